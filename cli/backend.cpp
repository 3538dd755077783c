#include "cli/context.hpp"
#include "client/http_api.hpp"
#include "engine/local_api.hpp"

namespace brix::cli {

std::unique_ptr<api::Api> make_api(const ResolvedConfig& config, RunExecution run_execution) {
    if (config.backend == Backend::Local) return std::make_unique<engine::LocalApi>(config.local_root, run_execution == RunExecution::ThisProcess ? engine::RunExecution::AttachedWorker : engine::RunExecution::DetachedWorker);
    client::HttpConfig http;
    http.host = config.get("host");
    http.token = config.get("token");
    http.username = config.get("username");
    http.password = config.get("password");
    return client::make_http_api(http);
}

}  // namespace brix::cli
