// /api/2.0/libraries/*: libraries on local clusters.
#include "engine/clusters/libraries.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"

namespace brix::engine::clusters {

void add_library_routes(Router& router, store::EngineRoot& root) {
    using api::Json;
    using api::Method;
    using api::Request;
    auto service = std::make_shared<LibraryService>(root);
    auto libraries_of = [](const Params& params) {
        return params.body().is_object() ? params.body().value("libraries", Json()) : Json();
    };
    router.json(Method::Post, {"2.0"}, "/libraries/install", [service, libraries_of](const Request& request, const std::string&) {
        Params params(request);
        service->install(params.required_text("cluster_id"), libraries_of(params));
        return Json::object();
    });
    router.json(Method::Post, {"2.0"}, "/libraries/uninstall", [service, libraries_of](const Request& request, const std::string&) {
        Params params(request);
        service->uninstall(params.required_text("cluster_id"), libraries_of(params));
        return Json::object();
    });
    router.json(Method::Get, {"2.0"}, "/libraries/cluster-status", [service](const Request& request, const std::string&) {
        return service->cluster_status(Params(request).required_text("cluster_id"));
    });
    router.json(Method::Get, {"2.0"}, "/libraries/all-cluster-statuses",
                [service](const Request&, const std::string&) { return service->all_cluster_statuses(); });
}

}  // namespace brix::engine::clusters
