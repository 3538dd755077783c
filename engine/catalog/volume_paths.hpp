#pragma once
// Which /Volumes/<catalog>/<schema>/<volume>/... paths the file APIs may use: those inside a
// volume that exists, as on Databricks. One convenience keeps scripts written for an older brix
// (where any /Volumes path worked) running: while the schema main.default exists, a write under
// /Volumes/main/default/<name> creates the volume <name> on first use, and folders a task made
// there (by a plain mkdir) are taken as volumes when next looked at.

#include <string>

#include "engine/store/engine_root.hpp"

namespace brix::engine::catalog {

enum class VolumeAccess {
    Read,    // the volume must exist
    Write,   // the volume must exist (or is created in main.default); nothing above a volume is written
    Remove,  // as Write, and the volume's own folder is not removed or moved: delete the volume instead
};

// Does nothing for paths outside /Volumes. Throws 404 NOT_FOUND for a volume that does not
// exist, 400 INVALID_PARAMETER_VALUE for a change above or of a volume's folder.
void check_volume_path(store::EngineRoot& root, const std::string& normalized_path, VolumeAccess access);

// Registers the folders under dbfs/Volumes/main/default that have no volume yet (see above).
// Called inside a write transaction.
void adopt_default_volumes(store::EngineRoot& root);

}  // namespace brix::engine::catalog
