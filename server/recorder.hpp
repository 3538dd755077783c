#pragma once
// The contract check's recording mode: with BRIX_SERVE_RECORD=/path/file.jsonl set, `brix serve`
// appends one JSON line per exchange (the request as a client sent it, the answer as the engine
// gave it), for tests/contract/validate.py to check against the Databricks API schema. The record
// format is docs/contract-check.md's.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace brix::server {

class Recorder {
public:
    // The recorder BRIX_SERVE_RECORD names, or nullptr when it is unset or empty. Throws when the
    // file cannot be opened: a check that silently records nothing would pass every suite.
    static std::unique_ptr<Recorder> from_environment();
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // One line: `method` is the method the client used (a GET with a body arrives as a marked
    // POST), `body` the request body as JSON, null when there was none or it was not JSON.
    void record(const std::string& method, const httplib::Request& req, const nlohmann::ordered_json& body,
                const httplib::Response& res) const;

private:
    explicit Recorder(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace brix::server
