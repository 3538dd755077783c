// /api/2.1/unity-catalog/catalogs, /schemas, /volumes and /tables.
#include "engine/catalog/service.hpp"
#include "engine/catalog/store.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"

namespace brix::engine::catalog {
namespace {

using api::Json;
using api::Method;
using api::Request;

// The full name in `/<collection>/<full_name>`: one path segment.
std::string name_in(const Request& request, const std::string& tail) {
    auto name = tail.empty() ? tail : tail.substr(1);
    if (name.empty() || name.find('/') != std::string::npos) throw_no_route(request);
    return name;
}

ListPage page_of(const Params& params) {
    return ListPage{params.integer("max_results"), params.text("page_token").value_or("")};
}

void add_collection(Router& router, const std::shared_ptr<CatalogService>& service, Kind kind, const std::string& path,
                    std::function<std::string(const Params&)> parent_of) {
    router.json(Method::Post, {"2.1"}, path, [service, kind](const Request& request, const std::string&) {
        Params params(request);
        return service->create(kind, params.body().is_object() ? params.body() : Json::object());
    });
    router.json(Method::Get, {"2.1"}, path, [service, kind, parent_of](const Request& request, const std::string&) {
        Params params(request);
        return service->list(kind, parent_of(params), page_of(params));
    });
    auto prefix = "/api/2.1" + path;
    router.json_prefix(Method::Get, prefix, [service, kind](const Request& request, const std::string& tail) {
        return service->get(kind, name_in(request, tail));
    });
    router.json_prefix(Method::Patch, prefix, [service, kind](const Request& request, const std::string& tail) {
        Params params(request);
        return service->update(kind, name_in(request, tail), params.body().is_object() ? params.body() : Json::object());
    });
    router.json_prefix(Method::Delete, prefix, [service, kind](const Request& request, const std::string& tail) {
        service->remove(kind, name_in(request, tail), Params(request).boolean("force", false));
        return Json::object();
    });
}

}  // namespace

void add_routes(Router& router, store::EngineRoot& root) {
    auto service = std::make_shared<CatalogService>(root);
    add_collection(router, service, Kind::Catalog, "/unity-catalog/catalogs", [](const Params&) { return std::string(); });
    add_collection(router, service, Kind::Schema, "/unity-catalog/schemas", [service](const Params& params) {
        auto catalog = params.required_text("catalog_name");
        service->require(Kind::Catalog, catalog);
        return checked_name(catalog, "catalog_name");
    });
    add_collection(router, service, Kind::Volume, "/unity-catalog/volumes", [service](const Params& params) {
        auto schema = checked_name(params.required_text("catalog_name"), "catalog_name") + "." +
                      checked_name(params.required_text("schema_name"), "schema_name");
        service->require(Kind::Schema, schema);
        return schema;
    });

    // No tables are kept: a schema that exists lists none, and a table is never found.
    router.json(Method::Get, {"2.1"}, "/unity-catalog/tables", [service](const Request& request, const std::string&) {
        Params params(request);
        service->require(Kind::Schema, checked_name(params.required_text("catalog_name"), "catalog_name") + "." +
                                           checked_name(params.required_text("schema_name"), "schema_name"));
        return Json::object();
    });
    router.json_prefix(Method::Get, "/api/2.1/unity-catalog/tables", [](const Request&, const std::string& tail) -> Json {
        auto name = tail.empty() ? tail : tail.substr(1);
        if (auto slash = name.find('/'); slash != std::string::npos && name.substr(slash) == "/exists")
            return Json{{"table_exists", false}};
        throw api::ApiError(404, "TABLE_DOES_NOT_EXIST", "Table '" + name + "' does not exist.");
    });
}

}  // namespace brix::engine::catalog
