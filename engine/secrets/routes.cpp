// /api/2.0/secrets/*: scopes, secrets and scope ACLs.
#include "api/base64.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"
#include "engine/secrets/service.hpp"

namespace brix::engine::secrets {
namespace {

using api::Json;
using api::Method;
using api::Request;

// Exactly one of string_value (stored as its UTF-8 bytes) and bytes_value (base64).
std::string secret_value(const Params& params) {
    auto text = params.text("string_value");
    auto encoded = params.text("bytes_value");
    if (text.has_value() == encoded.has_value())
        throw api::ApiError(400, "MALFORMED_REQUEST", "Exactly one of string_value and bytes_value must be set");
    if (text) return std::move(*text);
    auto bytes = api::base64_decode(*encoded);
    if (!bytes) throw api::invalid_parameter("bytes_value is not valid base64");
    return std::move(*bytes);
}

}  // namespace

void add_routes(Router& router, store::EngineRoot& root) {
    auto service = std::make_shared<SecretsService>(root);

    router.json(Method::Post, {"2.0"}, "/secrets/scopes/create", [service](const Request& request, const std::string&) {
        Params params(request);
        service->create_scope(params.required_text("scope"), params.text("initial_manage_principal").value_or(""),
                              params.text("scope_backend_type").value_or(""));
        return Json::object();
    });
    router.json(Method::Get, {"2.0"}, "/secrets/scopes/list", [service](const Request&, const std::string&) {
        return service->list_scopes();
    });
    router.json(Method::Post, {"2.0"}, "/secrets/scopes/delete", [service](const Request& request, const std::string&) {
        service->delete_scope(Params(request).required_text("scope"));
        return Json::object();
    });
    router.json(Method::Post, {"2.0"}, "/secrets/put", [service](const Request& request, const std::string&) {
        Params params(request);
        service->put(params.required_text("scope"), params.required_text("key"), secret_value(params));
        return Json::object();
    });
    router.json(Method::Get, {"2.0"}, "/secrets/list", [service](const Request& request, const std::string&) {
        return service->list(Params(request).required_text("scope"));
    });
    router.json(Method::Post, {"2.0"}, "/secrets/delete", [service](const Request& request, const std::string&) {
        Params params(request);
        service->remove(params.required_text("scope"), params.required_text("key"));
        return Json::object();
    });
    router.json(Method::Get, {"2.0"}, "/secrets/get", [service](const Request& request, const std::string&) {
        Params params(request);
        return service->get(params.required_text("scope"), params.required_text("key"));
    });
    router.json(Method::Post, {"2.0"}, "/secrets/acls/put", [service](const Request& request, const std::string&) {
        Params params(request);
        service->put_acl(params.required_text("scope"), params.required_text("principal"),
                         params.required_text("permission"));
        return Json::object();
    });
    router.json(Method::Get, {"2.0"}, "/secrets/acls/get", [service](const Request& request, const std::string&) {
        Params params(request);
        return service->get_acl(params.required_text("scope"), params.required_text("principal"));
    });
    router.json(Method::Get, {"2.0"}, "/secrets/acls/list", [service](const Request& request, const std::string&) {
        return service->list_acls(Params(request).required_text("scope"));
    });
    router.json(Method::Post, {"2.0"}, "/secrets/acls/delete", [service](const Request& request, const std::string&) {
        Params params(request);
        service->delete_acl(params.required_text("scope"), params.required_text("principal"));
        return Json::object();
    });
}

}  // namespace brix::engine::secrets
