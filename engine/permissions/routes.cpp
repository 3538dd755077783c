// /api/2.0/permissions/<type>/<id> and /api/2.0/permissions/<type>/<id>/permissionLevels for the
// object types the engine keeps; other types (pipelines, warehouses, ...) are ENDPOINT_NOT_FOUND.
#include "engine/params.hpp"
#include "engine/permissions/service.hpp"
#include "engine/routes.hpp"

namespace brix::engine::permissions {
namespace {

using api::Json;
using api::Method;
using api::Request;

struct PermissionTarget {
    const ObjectType* type = nullptr;
    std::string id;
    bool levels = false;
};

// The tail: /<type>/<id>, or /<type>/<id>/permissionLevels.
PermissionTarget target_in(const Request& request, const std::string& tail) {
    std::vector<std::string> parts;
    std::size_t start = 1;
    while (start <= tail.size()) {
        auto slash = tail.find('/', start);
        parts.push_back(tail.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    bool levels = parts.size() == 3 && parts[2] == "permissionLevels";
    if ((parts.size() != 2 && !levels) || parts[1].empty()) throw_no_route(request);
    const auto* type = find_object_type(parts[0]);
    if (!type || (levels && request.method != Method::Get)) throw_no_route(request);
    return PermissionTarget{type, parts[1], levels};
}

// A PUT or PATCH without a body changes nothing.
Json request_body(const Request& request) {
    Params params(request);
    return params.body().is_object() ? params.body() : Json::object();
}

}  // namespace

void add_routes(Router& router, store::EngineRoot& root) {
    auto service = std::make_shared<PermissionsService>(root);
    const std::string prefix = "/api/2.0/permissions";
    router.json_prefix(Method::Get, prefix, [service](const Request& request, const std::string& tail) {
        auto target = target_in(request, tail);
        return target.levels ? service->levels(*target.type, target.id) : service->get(*target.type, target.id);
    });
    router.json_prefix(Method::Put, prefix, [service](const Request& request, const std::string& tail) {
        auto target = target_in(request, tail);
        return service->change(*target.type, target.id, request_body(request), Change::Replace);
    });
    router.json_prefix(Method::Patch, prefix, [service](const Request& request, const std::string& tail) {
        auto target = target_in(request, tail);
        return service->change(*target.type, target.id, request_body(request), Change::Merge);
    });
}

}  // namespace brix::engine::permissions
