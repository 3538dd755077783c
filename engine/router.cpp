#include "engine/router.hpp"

namespace brix::engine {

std::string route_key(api::Method method, std::string_view path) {
    return std::string(api::method_name(method)) + " " + std::string(path);
}

// A workspace names the route without its "/api/<version>" prefix: `GET /api/2.1/unity-catalog/x`
// answers "No API found for 'GET /unity-catalog/x'".
void throw_no_route(const api::Request& request) {
    std::string_view path = request.path;
    if (path.rfind("/api/", 0) == 0) {
        auto version_end = path.find('/', 5);
        if (version_end != std::string_view::npos) path.remove_prefix(version_end);
    }
    throw api::ApiError(404, "ENDPOINT_NOT_FOUND", "No API found for '" + route_key(request.method, path) + "'");
}

template <typename Handler>
const Handler* Router::Routes<Handler>::find(api::Method method, const std::string& path, std::string& tail) const {
    if (auto it = exact.find(route_key(method, path)); it != exact.end()) return &it->second;
    auto key = route_key(method, path);
    for (const auto& [prefix, handler] : prefixes) {
        if (key.compare(0, prefix.size(), prefix) == 0 && (key.size() == prefix.size() || key[prefix.size()] == '/')) {
            tail = key.substr(prefix.size());
            return &handler;
        }
    }
    return nullptr;
}

void Router::json(api::Method method, std::initializer_list<std::string_view> versions, std::string_view path,
                  JsonHandler handler) {
    for (auto version : versions)
        json_.exact.emplace(route_key(method, "/api/" + std::string(version) + std::string(path)), handler);
}

void Router::json_prefix(api::Method method, std::string_view prefix, JsonHandler handler) {
    json_.prefixes.emplace_back(route_key(method, prefix), std::move(handler));
}

void Router::upload(api::Method method, std::string_view path_or_prefix, UploadHandler handler) {
    uploads_.prefixes.emplace_back(route_key(method, path_or_prefix), std::move(handler));
}

void Router::download(api::Method method, std::string_view path_or_prefix, DownloadHandler handler) {
    downloads_.prefixes.emplace_back(route_key(method, path_or_prefix), std::move(handler));
}

api::Json Router::call(const api::Request& request) const {
    std::string tail;
    if (const auto* handler = json_.find(request.method, request.path, tail)) return (*handler)(request, tail);
    throw_no_route(request);
}

api::Json Router::upload(const api::Request& request, api::ByteSource& body) const {
    std::string tail;
    if (const auto* handler = uploads_.find(request.method, request.path, tail)) return (*handler)(request, tail, body);
    throw_no_route(request);
}

void Router::download(const api::Request& request, api::ByteSink& sink) const {
    std::string tail;
    if (const auto* handler = downloads_.find(request.method, request.path, tail)) return (*handler)(request, tail, sink);
    throw_no_route(request);
}

}  // namespace brix::engine
