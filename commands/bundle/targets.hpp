#pragma once
// Targets (`targets.<name>`, formerly `environments`): choosing one and merging it into the bundle.

#include <optional>
#include <string>

#include "api/api.hpp"
#include "commands/bundle/bundle_config.hpp"

namespace brix::commands::bundle {

// -t, else $DATABRICKS_BUNDLE_TARGET, else the target marked `default: true`, else the only
// target; "default" for a bundle that declares none. Throws std::runtime_error when the choice is
// unknown or ambiguous.
std::string select_target(const api::Json& document, const std::optional<std::string>& requested);

struct TargetSettings {
    std::string mode;                                 // development, production or ""
    api::Json variables = api::Json::object();        // the target's values for variables
};

// Merges the chosen target's bundle, workspace, resources, sync and permissions into the
// document and removes every target from it.
TargetSettings apply_target(api::Json& document, const std::string& name, Diagnostics& diagnostics);

}  // namespace brix::commands::bundle
