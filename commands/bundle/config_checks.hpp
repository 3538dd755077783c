#pragma once
// What databricks.yml may say that brix does not do. Each key is either ignored with a warning
// (harmless: permissions, presets, experimental settings) or refused with an error (deploying
// without it would mislead: other resource types, artifacts, run_as, local libraries).

#include "api/api.hpp"
#include "commands/bundle/bundle_config.hpp"

namespace brix::commands::bundle {

// The top level and `bundle:`, before the target is merged (targets are checked as they merge).
void check_top_level(const api::Json& document, Diagnostics& diagnostics);

// resources, sync and permissions after the target is merged; removes what the Jobs API must not
// see (a job's permissions).
void check_resources(api::Json& document, Diagnostics& diagnostics);

}  // namespace brix::commands::bundle
