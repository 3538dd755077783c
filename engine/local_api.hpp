#pragma once
// The local engine behind the Api contract: requests are routed to engine services in this
// process. `brix serve` puts the same router behind HTTP.

#include <filesystem>
#include <memory>

#include "api/api.hpp"
#include "engine/jobs/launcher.hpp"

namespace brix::engine {

class LocalApi : public api::Api {
public:
    explicit LocalApi(std::filesystem::path root, RunExecution run_execution = RunExecution::DetachedWorker);
    ~LocalApi() override;

    api::Json call(const api::Request& request) override;
    api::Json upload(const api::Request& request, api::ByteSource& body) override;
    void download(const api::Request& request, api::ByteSink& sink) override;

    using api::Api::call;

private:
    struct Engine;
    std::unique_ptr<Engine> engine_;
};

}  // namespace brix::engine
