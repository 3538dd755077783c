#pragma once
// Bundle variables: declared under `variables:` (description, default, type), given a value by,
// from strongest to weakest, --var name=value, $BUNDLE_VAR_name, the target's `variables:`, and
// the default. The value lands in variables.<name>.value, where ${var.<name>} reads it.

#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "commands/bundle/bundle_config.hpp"

namespace brix::commands::bundle {

struct VariableSources {
    api::Json target_values = api::Json::object();  // the selected target's `variables:` section
    std::vector<std::string> flags;                 // --var name=value, as typed
    std::string target;                             // for messages
};

// Throws cli::UsageError for a --var without '='; every other problem (no value, an unknown
// name, lookup) goes to `diagnostics`.
void resolve_variables(api::Json& document, const VariableSources& sources, Diagnostics& diagnostics);

}  // namespace brix::commands::bundle
