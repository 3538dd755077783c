#pragma once
// The local engine behind the Api contract: requests are routed to engine services in this
// process. `brix serve` puts the same router behind HTTP.

#include <cstdint>
#include <filesystem>
#include <memory>

#include "api/api.hpp"
#include "engine/jobs/launcher.hpp"

namespace brix::engine {

class LocalApi : public api::Api {
public:
    explicit LocalApi(std::filesystem::path root, jobs::RunExecution run_execution = jobs::RunExecution::DetachedWorker);
    ~LocalApi() override;

    api::Json call(const api::Request& request) override;
    api::Json upload(const api::Request& request, api::ByteSource& body) override;
    void download(const api::Request& request, api::ByteSink& sink) override;

    using api::Api::call;

    // For a transport in front of the engine (brix serve): who may call. The tokens are the
    // engine's own (brix tokens create), so the server needs nothing else from the engine.
    bool accepts_token(const std::string& value);
    bool has_tokens();
    void adopt_token(const std::string& value, const std::string& comment);  // unless known already
    api::Json create_token(const std::string& comment, std::int64_t lifetime_seconds);

private:
    struct Engine;
    std::unique_ptr<Engine> engine_;
};

}  // namespace brix::engine
