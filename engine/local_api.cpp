#include "engine/local_api.hpp"

#include "engine/identity/tokens.hpp"
#include "engine/routes.hpp"
#include "engine/workspace/store.hpp"

namespace brix::engine {

struct LocalApi::Engine {
    store::EngineRoot root;
    jobs::RunLauncher launcher;
    Router router;
    identity::TokenService tokens{root};

    Engine(std::filesystem::path path, jobs::RunExecution run_execution) : root(path), launcher(path, run_execution) {
        workspace::add_routes(router, root);
        files::add_dbfs_routes(router, root);
        files::add_files_api_routes(router, root);
        jobs::add_routes(router, root, launcher);
        identity::add_routes(router, root);
        repos::add_routes(router, root);
        clusters::add_routes(router, root);
        secrets::add_routes(router, root);
        catalog::add_routes(router, root);
        clusters::add_library_routes(router, root);
        permissions::add_routes(router, root);
        workspace::recover_interrupted_puts(root);
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

LocalApi::LocalApi(std::filesystem::path root, jobs::RunExecution run_execution)
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

bool LocalApi::accepts_token(const std::string& value) { return engine_->tokens.accepts(value); }

bool LocalApi::has_tokens() { return engine_->tokens.any(); }

void LocalApi::adopt_token(const std::string& value, const std::string& comment) { engine_->tokens.adopt(value, comment); }

api::Json LocalApi::create_token(const std::string& comment, std::int64_t lifetime_seconds) {
    return engine_->tokens.create(comment, lifetime_seconds);
}

}  // namespace brix::engine
