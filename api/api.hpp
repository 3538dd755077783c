#pragma once
// The one contract between commands and backends: the Databricks REST API at the level of JSON.
// Commands build the request the real CLI would send; LocalApi (engine/) or HttpApi (client/)
// answers it. This header is the only thing both sides share.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace brix::api {

using Json = nlohmann::ordered_json;

enum class Method { Get, Head, Post, Put, Patch, Delete };

std::string_view method_name(Method method);

// Query parameters in order; a key may repeat (lists are sent as repeated keys).
using Query = std::vector<std::pair<std::string, std::string>>;

struct Request {
    Method method = Method::Get;
    std::string path;  // e.g. "/api/2.0/workspace/list", not percent-encoded
    Query query;
    Json body;  // null when there is none

    std::optional<std::string> param(std::string_view key) const;
};

// An error as Databricks reports it: a string error_code, a message and the HTTP status.
class ApiError : public std::runtime_error {
public:
    ApiError(int http_status, std::string error_code, std::string message);

    int http_status() const { return http_status_; }
    const std::string& error_code() const { return error_code_; }
    const std::string& message() const { return message_; }
    Json to_json() const;

    // google.rpc.ErrorInfo `reason`, for the answers clients branch on (Files API).
    ApiError& with_reason(std::string reason);
    const std::string& reason() const { return reason_; }

private:
    int http_status_;
    std::string error_code_;
    std::string message_;
    std::string reason_;
};

// Shorthands for the errors the API returns most.
ApiError invalid_parameter(std::string message);
ApiError not_found(std::string message);
ApiError already_exists(std::string message, int http_status = 400);
ApiError not_implemented(std::string message);

// A stream of bytes going up. When the bytes come from a regular file, fd() lets a backend
// hand the copy to the kernel (copy_file_range) instead of moving it through user space.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Fills up to `size` bytes; returns 0 at the end.
    virtual std::size_t read(char* buffer, std::size_t size) = 0;
    virtual std::optional<std::uint64_t> size() const { return std::nullopt; }
    virtual int fd() const { return -1; }
};

// Where downloaded bytes go. fd() works as for ByteSource.
class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual void write(const char* data, std::size_t size) = 0;
    virtual int fd() const { return -1; }
};

class Api {
public:
    virtual ~Api() = default;

    virtual Json call(const Request& request) = 0;

    // Streamed uploads: `dbfs/put` (fields in the query), `fs/files/...` (Files API PUT),
    // `workspace-files/import-file/...`. The answer is the JSON the route returns.
    virtual Json upload(const Request& request, ByteSource& body) = 0;

    // Streamed downloads: `dbfs/read` (whole file from `offset`), `fs/files/...`,
    // `workspace/export` with direct_download.
    virtual void download(const Request& request, ByteSink& sink) = 0;

    Json call(Method method, std::string path, Query query = {}, Json body = nullptr) {
        return call(Request{method, std::move(path), std::move(query), std::move(body)});
    }
};

}  // namespace brix::api
