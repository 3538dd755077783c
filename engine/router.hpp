#pragma once
// Maps REST method + path to engine handlers, exactly as the Databricks API names them, so
// the in-process LocalApi and `brix serve` share one implementation.

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/api.hpp"

namespace brix::engine {

// `tail` is the rest of the path after a prefix route ("" for exact routes), percent-decoded.
using JsonHandler = std::function<api::Json(const api::Request&, const std::string& tail)>;
using UploadHandler = std::function<api::Json(const api::Request&, const std::string& tail, api::ByteSource&)>;
using DownloadHandler = std::function<void(const api::Request&, const std::string& tail, api::ByteSink&)>;

class Router {
public:
    // `versions` lists the API versions the path answers under, e.g. {"2.0", "2.1", "2.2"} for
    // Jobs; `path` is what follows "/api/<version>".
    void json(api::Method method, std::initializer_list<std::string_view> versions, std::string_view path,
              JsonHandler handler);
    void json_prefix(api::Method method, std::string_view prefix, JsonHandler handler);
    void upload(api::Method method, std::string_view path_or_prefix, UploadHandler handler);
    void download(api::Method method, std::string_view path_or_prefix, DownloadHandler handler);

    api::Json call(const api::Request& request) const;
    api::Json upload(const api::Request& request, api::ByteSource& body) const;
    void download(const api::Request& request, api::ByteSink& sink) const;

private:
    template <typename Handler>
    struct Routes {
        std::unordered_map<std::string, Handler> exact;
        std::vector<std::pair<std::string, Handler>> prefixes;
        const Handler* find(api::Method method, const std::string& path, std::string& tail) const;
    };
    Routes<JsonHandler> json_;
    Routes<UploadHandler> uploads_;
    Routes<DownloadHandler> downloads_;
};

std::string route_key(api::Method method, std::string_view path);
[[noreturn]] void throw_no_route(const api::Request& request);

}  // namespace brix::engine
