// /api/2.0/workspace/* and /api/2.0/workspace-files/*.
#include "api/base64.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"
#include "engine/store/file_ops.hpp"
#include "engine/store/paths.hpp"
#include "engine/workspace/service.hpp"

namespace brix::engine::workspace {
namespace {

using api::Json;
using api::Method;
using api::Request;

std::string workspace_path(const Params& params) {
    return store::normalize_workspace_path(params.required_text("path"));
}

std::string export_format(const Params& params) { return params.text("format").value_or("SOURCE"); }

}  // namespace

void add_routes(Router& router, store::EngineRoot& root) {
    auto service = std::make_shared<WorkspaceService>(root);

    router.json(Method::Get, {"2.0"}, "/workspace/list", [service](const Request& request, const std::string&) {
        Params params(request);
        return service->list(workspace_path(params), params.integer("notebooks_modified_after"));
    });
    router.json(Method::Get, {"2.0"}, "/workspace/get-status", [service](const Request& request, const std::string&) {
        return service->get_status(workspace_path(Params(request)));
    });
    router.json(Method::Post, {"2.0"}, "/workspace/mkdirs", [service](const Request& request, const std::string&) {
        service->mkdirs(workspace_path(Params(request)));
        return Json::object();
    });
    router.json(Method::Post, {"2.0"}, "/workspace/delete", [service](const Request& request, const std::string&) {
        Params params(request);
        service->remove(workspace_path(params), params.boolean("recursive", false));
        return Json::object();
    });
    router.json(Method::Post, {"2.0"}, "/workspace/import", [service](const Request& request, const std::string&) {
        Params params(request);
        ImportRequest import;
        import.path = params.required_text("path");
        import.format = params.text("format").value_or("SOURCE");
        import.language = params.text("language");
        import.overwrite = params.boolean("overwrite", false);
        auto content = api::base64_decode(params.text("content").value_or(""));
        if (!content) throw api::invalid_parameter("content is not valid base64");
        import.content = std::move(*content);
        service->import(import);
        return Json::object();
    });
    router.json(Method::Get, {"2.0"}, "/workspace/export", [service](const Request& request, const std::string&) {
        Params params(request);
        auto exported = service->export_object(workspace_path(params), export_format(params), false);
        return Json{{"content", api::base64_encode(exported.content)}, {"file_type", exported.file_type}};
    });
    router.download(Method::Get, "/api/2.0/workspace/export",
                    [service](const Request& request, const std::string&, api::ByteSink& sink) {
                        Params params(request);
                        auto exported = service->export_object(workspace_path(params), export_format(params), true);
                        if (exported.raw_file) return store::stream_file(*exported.raw_file, 0, sink);
                        sink.write(exported.content.data(), exported.content.size());
                    });
    router.upload(Method::Post, "/api/2.0/workspace-files/import-file",
                  [service](const Request& request, const std::string& tail, api::ByteSource& body) {
                      Params params(request);
                      service->import_file(tail, body, params.boolean("overwrite", false));
                      return Json::object();
                  });
}

}  // namespace brix::engine::workspace
