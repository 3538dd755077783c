#include "engine/local_api.hpp"

#include "engine/routes.hpp"

namespace brix::engine {

struct LocalApi::Engine {
    EngineRoot root;
    RunLauncher launcher;
    Router router;

    Engine(std::filesystem::path path, RunExecution run_execution) : root(path), launcher(path, run_execution) {
        add_workspace_routes(router, root);
        add_dbfs_routes(router, root);
        add_files_routes(router, root);
        add_jobs_routes(router, root, launcher);
        add_identity_routes(router, root);
        add_repos_and_clusters_routes(router, root);
        add_secrets_routes(router, root);
    }
};

namespace {

// Failures below the API (a malformed JSON value, a file system error) still leave as the one
// error type, so every caller handles exactly one kind of error.
template <typename Work>
auto guarded(Work&& work) -> decltype(work()) {
    try {
        return work();
    } catch (const api::ApiError&) {
        throw;
    } catch (const nlohmann::json::exception& error) {
        throw api::ApiError(400, "MALFORMED_REQUEST", std::string("Invalid request: ") + error.what());
    } catch (const std::filesystem::filesystem_error& error) {
        if (error.code() == std::errc::filename_too_long) throw api::invalid_parameter("The path is too long");
        throw api::ApiError(500, "IO_ERROR", error.what());
    }
}

}  // namespace

LocalApi::LocalApi(std::filesystem::path root, RunExecution run_execution)
    : engine_(std::make_unique<Engine>(std::move(root), run_execution)) {}

LocalApi::~LocalApi() = default;

api::Json LocalApi::call(const api::Request& request) {
    return guarded([&] { return engine_->router.call(request); });
}

api::Json LocalApi::upload(const api::Request& request, api::ByteSource& body) {
    return guarded([&] { return engine_->router.upload(request, body); });
}

void LocalApi::download(const api::Request& request, api::ByteSink& sink) {
    guarded([&] { engine_->router.download(request, sink); });
}

}  // namespace brix::engine
