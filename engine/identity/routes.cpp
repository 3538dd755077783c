// /api/2.0/token/*, and the workspace's principals: SCIM Users, Groups, ServicePrincipals and Me
// (the caller) under /api/2.0/preview/scim/v2.
#include "engine/identity/scim.hpp"
#include "engine/identity/tokens.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"

namespace brix::engine::identity {

using api::Json;
using api::Method;
using api::Request;

namespace {

std::string scim_id_in(const Request& request, const std::string& tail) {
    auto id = tail.empty() ? tail : tail.substr(1);
    if (id.empty() || id.find('/') != std::string::npos) throw_no_route(request);
    return id;
}

Json scim_body(const Request& request) {
    Params params(request);
    return params.body().is_object() ? params.body() : Json::object();
}

void add_scim_collection(Router& router, const std::shared_ptr<ScimService>& scim, PrincipalKind kind,
                         const std::string& name) {
    auto path = "/preview/scim/v2/" + name;
    router.json(Method::Get, {"2.0"}, path,
                [scim, kind](const Request& request, const std::string&) { return scim->list(kind, request); });
    router.json(Method::Post, {"2.0"}, path,
                [scim, kind](const Request& request, const std::string&) { return scim->create(kind, scim_body(request)); });
    auto prefix = "/api/2.0" + path;
    router.json_prefix(Method::Get, prefix, [scim, kind](const Request& request, const std::string& tail) {
        return scim->get(kind, scim_id_in(request, tail));
    });
    // PUT and PATCH answer no body, as the API defines them
    router.json_prefix(Method::Put, prefix, [scim, kind](const Request& request, const std::string& tail) {
        scim->replace(kind, scim_id_in(request, tail), scim_body(request));
        return Json::object();
    });
    router.json_prefix(Method::Patch, prefix, [scim, kind](const Request& request, const std::string& tail) {
        scim->patch(kind, scim_id_in(request, tail), scim_body(request));
        return Json::object();
    });
    router.json_prefix(Method::Delete, prefix, [scim, kind](const Request& request, const std::string& tail) {
        scim->remove(kind, scim_id_in(request, tail));
        return Json::object();
    });
}

}  // namespace

void add_routes(Router& router, store::EngineRoot& root) {
    auto tokens = std::make_shared<TokenService>(root);
    router.json(Method::Post, {"2.0"}, "/token/create", [tokens](const Request& request, const std::string&) {
        Params params(request);
        return tokens->create(params.text("comment").value_or(""), params.integer("lifetime_seconds").value_or(0));
    });
    router.json(Method::Get, {"2.0"}, "/token/list", [tokens](const Request&, const std::string&) { return tokens->list(); });
    router.json(Method::Post, {"2.0"}, "/token/delete", [tokens](const Request& request, const std::string&) {
        tokens->revoke(Params(request).required_text("token_id"));
        return Json::object();
    });
    auto scim = std::make_shared<ScimService>(root);
    router.json(Method::Get, {"2.0"}, "/preview/scim/v2/Me", [scim](const Request&, const std::string&) { return scim->me(); });
    add_scim_collection(router, scim, PrincipalKind::User, "Users");
    add_scim_collection(router, scim, PrincipalKind::Group, "Groups");
    add_scim_collection(router, scim, PrincipalKind::ServicePrincipal, "ServicePrincipals");
}

}  // namespace brix::engine::identity
