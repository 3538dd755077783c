// /api/2.0/repos and /api/2.0/repos/{repo_id}.
#include <charconv>

#include "engine/params.hpp"
#include "engine/repos/service.hpp"
#include "engine/routes.hpp"

namespace brix::engine::repos {
namespace {

using api::Json;
using api::Method;
using api::Request;

std::int64_t repo_id_from(const Request& request, const std::string& tail) {
    auto text = tail.size() > 1 ? tail.substr(1) : std::string();
    if (text.find('/') != std::string::npos) throw_no_route(request);
    std::int64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw api::invalid_parameter("Invalid repo id: " + text);
    return id;
}

std::vector<std::string> patterns_of(const Json& sparse) {
    if (!sparse.is_object() || !sparse.contains("patterns") || !sparse["patterns"].is_array())
        throw api::invalid_parameter("sparse_checkout must be {\"patterns\": [...]}");
    std::vector<std::string> patterns;
    for (const auto& pattern : sparse["patterns"]) {
        if (!pattern.is_string() || pattern.get<std::string>().empty())
            throw api::invalid_parameter("sparse_checkout.patterns must be a list of folder names");
        patterns.push_back(pattern.get<std::string>());
    }
    return patterns;
}

}  // namespace

void add_routes(Router& router, store::EngineRoot& root) {
    auto service = std::make_shared<repos::RepoService>(root);

    router.json(Method::Post, {"2.0"}, "/repos", [service](const Request& request, const std::string&) {
        Params params(request);
        repos::CreateRequest create;
        create.url = params.required_text("url");
        create.provider = params.text("provider");
        create.path = params.text("path");
        if (request.body.is_object() && request.body.contains("sparse_checkout") && !request.body["sparse_checkout"].is_null())
            create.sparse_patterns = patterns_of(request.body["sparse_checkout"]);
        return service->create(create);
    });
    router.json(Method::Get, {"2.0"}, "/repos", [service](const Request& request, const std::string&) {
        Params params(request);
        return service->list(params.text("path_prefix"), params.text("next_page_token"));
    });
    router.json_prefix(Method::Get, "/api/2.0/repos", [service](const Request& request, const std::string& tail) {
        return service->get(repo_id_from(request, tail));
    });
    router.json_prefix(Method::Patch, "/api/2.0/repos", [service](const Request& request, const std::string& tail) {
        auto id = repo_id_from(request, tail);
        Params params(request);
        repos::UpdateRequest update;
        update.branch = params.text("branch");
        update.tag = params.text("tag");
        if (request.body.is_object() && request.body.contains("sparse_checkout") && !request.body["sparse_checkout"].is_null())
            update.sparse_patterns = patterns_of(request.body["sparse_checkout"]);
        service->update(id, update);
        return Json::object();
    });
    router.json_prefix(Method::Delete, "/api/2.0/repos", [service](const Request& request, const std::string& tail) {
        service->remove(repo_id_from(request, tail));
        return Json::object();
    });

}

}  // namespace brix::engine::repos
