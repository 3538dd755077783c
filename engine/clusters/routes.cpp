// /api/2.0/clusters/* and /api/2.1/clusters/*.
#include "engine/routes.hpp"

#include "engine/clusters/service.hpp"
#include "engine/params.hpp"

namespace brix::engine::clusters {
namespace {

using api::Json;
using api::Method;
using api::Request;

const std::initializer_list<std::string_view> kVersions = {"2.0", "2.1"};

Json body_of(const Request& request) { return request.body.is_object() ? request.body : Json::object(); }

}  // namespace

void add_routes(Router& router, store::EngineRoot& root) {
    auto service = std::make_shared<clusters::ClusterService>(root);
    auto id_of = [](const Request& request) { return Params(request).required_text("cluster_id"); };

    router.json(Method::Post, kVersions, "/clusters/create",
                [service](const Request& request, const std::string&) { return service->create(body_of(request)); });
    router.json(Method::Get, kVersions, "/clusters/get",
                [service, id_of](const Request& request, const std::string&) { return service->get(id_of(request)); });
    router.json(Method::Get, {"2.0"}, "/clusters/list",
                [service](const Request& request, const std::string&) { return service->list(request, false); });
    router.json(Method::Get, {"2.1"}, "/clusters/list",
                [service](const Request& request, const std::string&) { return service->list(request, true); });
    router.json(Method::Post, kVersions, "/clusters/edit", [service, id_of](const Request& request, const std::string&) {
        service->edit(id_of(request), body_of(request));
        return Json::object();
    });
    router.json(Method::Post, kVersions, "/clusters/resize", [service, id_of](const Request& request, const std::string&) {
        service->resize(id_of(request), body_of(request));
        return Json::object();
    });
    router.json(Method::Post, kVersions, "/clusters/start", [service, id_of](const Request& request, const std::string&) {
        service->start(id_of(request));
        return Json::object();
    });
    router.json(Method::Post, kVersions, "/clusters/restart", [service, id_of](const Request& request, const std::string&) {
        service->restart(id_of(request));
        return Json::object();
    });
    router.json(Method::Post, kVersions, "/clusters/delete", [service, id_of](const Request& request, const std::string&) {
        service->terminate(id_of(request));
        return Json::object();
    });
    router.json(Method::Post, kVersions, "/clusters/permanent-delete", [service, id_of](const Request& request, const std::string&) {
        service->permanent_delete(id_of(request));
        return Json::object();
    });
    router.json(Method::Get, kVersions, "/clusters/spark-versions",
                [](const Request&, const std::string&) { return clusters::spark_versions(); });
    router.json(Method::Get, kVersions, "/clusters/list-node-types",
                [&root](const Request&, const std::string&) { return clusters::node_types(root.root()); });
    router.json(Method::Get, kVersions, "/clusters/list-zones",
                [](const Request&, const std::string&) { return Json{{"zones", Json::array({"local"})}, {"default_zone", "local"}}; });
}

}  // namespace brix::engine::clusters
