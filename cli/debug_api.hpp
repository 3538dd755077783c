#pragma once
// --debug: wraps any backend and logs one line per request and per answer on stderr, with
// bodies truncated and secret-bearing fields redacted.

#include <memory>

#include "api/api.hpp"

namespace brix::cli {

class DebugApi : public api::Api {
public:
    explicit DebugApi(std::unique_ptr<api::Api> inner) : inner_(std::move(inner)) {}

    api::Json call(const api::Request& request) override;
    api::Json upload(const api::Request& request, api::ByteSource& body) override;
    void download(const api::Request& request, api::ByteSink& sink) override;

private:
    template <typename Work>
    auto traced(const api::Request& request, std::string_view kind, Work&& work) -> decltype(work());

    std::unique_ptr<api::Api> inner_;
};

// A copy of `body` fit for a log: secret fields replaced, long strings cut.
api::Json redacted(const api::Json& body);

}  // namespace brix::cli
