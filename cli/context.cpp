#include "cli/context.hpp"

#include <cstdlib>

#include "cli/debug_api.hpp"
#include "cli/strings.hpp"

namespace brix::cli {
namespace {

}  // namespace

OutputMode Context::output_mode() const {
    auto mode = options.output;
    if (mode.empty()) mode = environment("BRIX_OUTPUT").value_or(environment("DATABRICKS_OUTPUT_FORMAT").value_or("text"));
    return lower_case(mode) == "json" ? OutputMode::Json : OutputMode::Text;
}

const ResolvedConfig& Context::config() {
    if (!config_) config_ = resolve_config(ConfigRequest{options.profile, environment, home_folder()});
    return *config_;
}

api::Api& Context::api() {
    if (!api_) api_ = open_api();
    return *api_;
}

std::unique_ptr<api::Api> Context::open_api() {
    auto api = make_api(config(), run_execution, command);
    if (options.debug) api = std::make_unique<DebugApi>(std::move(api));
    return api;
}

}  // namespace brix::cli
