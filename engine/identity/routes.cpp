// /api/2.0/token/*, and what clients ask a workspace about itself: host metadata, OIDC
// discovery, and the caller's identity.
#include "engine/identity/current_user.hpp"
#include "engine/identity/tokens.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"

namespace brix::engine::identity {

using api::Json;
using api::Method;
using api::Request;

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
    router.json(Method::Get, {"2.0"}, "/preview/scim/v2/Me", [](const Request&, const std::string&) {
        auto user = identity::current_user();
        return Json{{"id", "1"},
                    {"userName", user},
                    {"displayName", user},
                    {"active", true},
                    {"emails", Json::array({Json{{"value", user}, {"primary", true}}})},
                    {"schemas", Json::array({"urn:ietf:params:scim:schemas:core:2.0:User"})}};
    });
}

}  // namespace brix::engine::identity
