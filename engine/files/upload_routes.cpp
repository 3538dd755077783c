#include "engine/files/upload_routes.hpp"

#include <cstdio>

#include "engine/files/dbfs_service.hpp"
#include "engine/params.hpp"

namespace brix::engine::files {
namespace {

using api::Json;
using api::Method;
using api::Request;

constexpr std::int64_t kMostUrlsAtOnce = 1000;
constexpr std::int64_t kLastPartNumber = 10000;

bool is_unreserved(unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~'; }

// Percent-encodes everything but unreserved characters (and '/' in a path).
std::string encode_for_url(const std::string& text, bool keep_slashes) {
    std::string out;
    for (unsigned char c : text) {
        if (is_unreserved(c) || (keep_slashes && c == '/')) {
            out += static_cast<char>(c);
        } else {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", c);
            out += escaped;
        }
    }
    return out;
}

std::string files_url(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query) {
    auto url = "/api/2.0/fs/files" + encode_for_url(path, true);
    char separator = '?';
    for (const auto& [key, value] : query) {
        url += separator + key + "=" + encode_for_url(value, false);
        separator = '&';
    }
    return url;
}

Json url_header(const char* name, const char* value) { return Json{{"name", name}, {"value", value}}; }

std::optional<bool> overwrite_of(const Params& params) {
    if (!params.text("overwrite")) return std::nullopt;
    return params.boolean("overwrite", true);
}

}  // namespace

bool is_part_upload(const Request& request) { return request.param("upload_type").has_value(); }

bool is_abort(const Request& request) { return request.param("action").value_or("") == "abort-upload"; }

Json upload_part(UploadSessions& sessions, const Request& request, const std::string& path, api::ByteSource& body) {
    Params params(request);
    if (params.required_text("upload_type") != "multipart")
        throw api::invalid_parameter("upload_type must be multipart (the only upload type this server hands out)");
    auto etag = sessions.put_part(params.required_text("session_token"), path, params.required_integer("part_number"), body);
    return Json{{"etag", etag}};
}

void add_upload_routes(Router& router, store::EngineRoot& root, std::shared_ptr<UploadSessions> sessions) {
    router.json_prefix(Method::Post, "/api/2.0/fs/files", [sessions, &root](const Request& request, const std::string& tail) {
        Params params(request);
        auto path = volume_path(root, tail, catalog::VolumeAccess::Write);
        auto action = params.required_text("action");
        if (action == "initiate-upload")
            return Json{{"multipart_upload", {{"session_token", sessions->initiate(path, overwrite_of(params))}}}};
        if (action == "complete-upload") {
            if (params.text("upload_type").value_or("multipart") != "multipart")
                throw api::invalid_parameter("upload_type must be multipart");
            sessions->complete(params.required_text("session_token"), path, request.body.value("parts", Json()));
            return Json::object();
        }
        if (action == "abort-upload") {
            sessions->abort(params.required_text("session_token"), path);
            return Json::object();
        }
        throw api::invalid_parameter("Unknown action " + action + " (expected initiate-upload, complete-upload or abort-upload)");
    });

    router.json(Method::Post, {"2.0"}, "/fs/create-upload-part-urls", [sessions, &root](const Request& request, const std::string&) {
        Params params(request);
        auto path = volume_path(root, params.required_text("path"), catalog::VolumeAccess::Write);
        auto token = params.required_text("session_token");
        sessions->require(token, path);
        auto first = params.required_integer("start_part_number");
        auto count = params.required_integer("count");
        if (first < 1 || count < 1 || count > kMostUrlsAtOnce || first + count - 1 > kLastPartNumber)
            throw api::invalid_parameter("Part numbers go from 1 to " + std::to_string(kLastPartNumber) + ", at most " +
                                         std::to_string(kMostUrlsAtOnce) + " URLs at a time");
        Json urls = Json::array();
        for (auto part = first; part < first + count; ++part)
            urls.push_back(Json{{"part_number", part},
                                {"url", files_url(path, {{"upload_type", "multipart"}, {"session_token", token},
                                                         {"part_number", std::to_string(part)}})},
                                {"headers", Json::array({url_header("Content-Type", "application/octet-stream")})}});
        return Json{{"upload_part_urls", std::move(urls)}};
    });

    router.json(Method::Post, {"2.0"}, "/fs/create-abort-upload-url", [sessions, &root](const Request& request, const std::string&) {
        Params params(request);
        auto path = volume_path(root, params.required_text("path"), catalog::VolumeAccess::Write);
        auto token = params.required_text("session_token");
        sessions->require(token, path);
        return Json{{"abort_upload_url",
                     {{"url", files_url(path, {{"action", "abort-upload"}, {"session_token", token}})}, {"headers", Json::array()}}}};
    });

    router.json(Method::Post, {"2.0"}, "/fs/create-download-url", [&root](const Request& request, const std::string&) {
        auto path = volume_path(root, Params(request).required_text("path"), catalog::VolumeAccess::Read);
        auto found = DbfsService(root).stat(path);
        if (!found || found->is_dir) throw api::ApiError(404, "NOT_FOUND", "The file " + path + " does not exist.");
        return Json{{"url", files_url(path, {})}, {"headers", Json::array()}};
    });
}

}  // namespace brix::engine::files
