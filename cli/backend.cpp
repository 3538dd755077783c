#include <cstdlib>

#include "cli/context.hpp"
#include "client/http_api.hpp"
#include "engine/local_api.hpp"

namespace brix::cli {

std::unique_ptr<api::Api> make_api(const ResolvedConfig& config, RunExecution run_execution, const std::string& command) {
    if (config.backend == Backend::Local) return std::make_unique<engine::LocalApi>(config.local_root, run_execution == RunExecution::ThisProcess ? engine::jobs::RunExecution::AttachedWorker : engine::jobs::RunExecution::DetachedWorker);
    client::HttpConfig http;
    http.host = config.get("host");
    http.token = config.get("token");
    http.username = config.get("username");
    http.password = config.get("password");
    http.client_id = config.get("client_id");
    http.client_secret = config.get("client_secret");
    http.command = command;
    // Timeouts as the SDKs name them: profile keys or DATABRICKS_* environment variables.
    auto seconds = [&](const char* key, const char* env, long fallback) {
        std::string value = config.get(key);
        if (const char* from_env = std::getenv(env); from_env && *from_env) value = from_env;
        return value.empty() ? fallback : std::strtol(value.c_str(), nullptr, 10);
    };
    http.request_timeout_seconds = seconds("http_timeout_seconds", "DATABRICKS_HTTP_TIMEOUT_SECONDS", http.request_timeout_seconds);
    http.retry_budget_seconds = seconds("retry_timeout_seconds", "DATABRICKS_RETRY_TIMEOUT_SECONDS", http.retry_budget_seconds);
    http.connect_timeout_seconds = seconds("connect_timeout_seconds", "DATABRICKS_CONNECT_TIMEOUT_SECONDS", http.connect_timeout_seconds);
    return client::make_http_api(http);
}

}  // namespace brix::cli
