#pragma once
// An api::Api for unit tests of commands: answers each request with `handler`'s JSON and keeps
// every request it was sent, in order. Transfers are not scripted.

#include <functional>
#include <stdexcept>
#include <vector>

#include "api/api.hpp"

namespace brix::testing {

class ScriptedApi : public api::Api {
public:
    std::function<api::Json(const api::Request&)> handler;
    std::vector<api::Request> requests;
    // A pager under test that never stops fails after this many requests instead of hanging (0: no limit).
    std::size_t most_requests = 0;

    api::Json call(const api::Request& request) override {
        if (most_requests > 0 && requests.size() >= most_requests)
            throw std::logic_error("still calling after " + std::to_string(most_requests) + " requests");
        requests.push_back(request);
        return handler(request);
    }
    api::Json upload(const api::Request&, api::ByteSource&) override { throw std::logic_error("not used"); }
    void download(const api::Request&, api::ByteSink&) override { throw std::logic_error("not used"); }
};

}  // namespace brix::testing
