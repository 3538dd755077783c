// The Files API for Unity Catalog volumes: /api/2.0/fs/files/Volumes/... and
// /api/2.0/fs/directories/Volumes/..., served from the same tree as DBFS.
#include <ctime>

#include "engine/catalog/volume_paths.hpp"
#include "engine/files/dbfs_service.hpp"
#include "engine/files/upload_routes.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"
#include "engine/store/paths.hpp"

namespace brix::engine::files {
namespace {

using api::Json;
using api::Method;
using api::Request;
using catalog::VolumeAccess;

constexpr std::int64_t kMaxPageSize = 1000;

api::ApiError files_not_found(const std::string& path) {
    return api::ApiError(404, "NOT_FOUND", "The file or directory " + path + " does not exist.");
}

std::string http_date(std::int64_t epoch_ms) {
    std::time_t seconds = epoch_ms / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return text;
}

FileStat require_file(const DbfsService& service, const std::string& path) {
    auto found = service.stat(path);
    if (!found || found->is_dir) throw files_not_found(path);
    return *found;
}

FileStat require_directory(const DbfsService& service, const std::string& path) {
    auto found = service.stat(path);
    if (!found || !found->is_dir) throw files_not_found(path);
    return *found;
}

Json list_directory(const DbfsService& service, const Request& request, const std::string& path) {
    require_directory(service, path);
    Params params(request);
    auto page_size = std::min(params.integer("page_size").value_or(kMaxPageSize), kMaxPageSize);
    if (page_size <= 0) page_size = kMaxPageSize;
    auto after = params.text("page_token").value_or("");
    Json contents = Json::array();
    std::string last;
    bool more = false;
    for (const auto& entry : service.list(path)) {
        auto name = store::base_name(entry.path);
        if (!after.empty() && name <= after) continue;
        if (static_cast<std::int64_t>(contents.size()) == page_size) {
            more = true;
            break;
        }
        Json item{{"path", entry.path}, {"name", name}, {"is_directory", entry.is_dir}};
        if (!entry.is_dir) item["file_size"] = entry.size;
        item["last_modified"] = entry.modified_ms;
        contents.push_back(std::move(item));
        last = name;
    }
    Json result = Json::object();
    if (!contents.empty()) result["contents"] = std::move(contents);
    if (more) result["next_page_token"] = last;
    return result;
}

}  // namespace

std::string volume_path(store::EngineRoot& root, const std::string& tail, VolumeAccess access) {
    auto path = store::normalize_path(tail.empty() ? "/" : tail);
    int segments = 0;
    for (char c : path) segments += c == '/';
    if (path.rfind("/Volumes/", 0) != 0 || segments < 4)
        throw api::invalid_parameter("Files API paths must name a file or folder in a volume: "
                                     "/Volumes/<catalog>/<schema>/<volume>/...; got " + path);
    catalog::check_volume_path(root, path, access);
    return path;
}

void add_files_api_routes(Router& router, store::EngineRoot& root) {
    auto service = std::make_shared<DbfsService>(root);
    auto sessions = std::make_shared<UploadSessions>(root);
    add_upload_routes(router, root, sessions);
    auto* engine_root = &root;

    router.upload(Method::Put, "/api/2.0/fs/files",
                  [service, sessions, engine_root](const Request& request, const std::string& tail, api::ByteSource& body) {
                      auto path = volume_path(*engine_root, tail, VolumeAccess::Write);
                      if (is_part_upload(request)) return upload_part(*sessions, request, path, body);
                      auto overwrite = Params(request).boolean("overwrite", true);
                      try {
                          service->put(path, body, overwrite, 409);
                      } catch (const api::ApiError& error) {
                          if (error.http_status() != 409) throw;
                          throw api::ApiError(409, "ALREADY_EXISTS", "The file " + path + " already exists.");
                      }
                      return Json::object();
                  });
    router.download(Method::Get, "/api/2.0/fs/files",
                    [service, engine_root](const Request&, const std::string& tail, api::ByteSink& sink) {
                        auto path = volume_path(*engine_root, tail, VolumeAccess::Read);
                        require_file(*service, path);
                        service->stream(path, 0, sink);
                    });
    router.json_prefix(Method::Head, "/api/2.0/fs/files", [service, engine_root](const Request&, const std::string& tail) {
        auto file = require_file(*service, volume_path(*engine_root, tail, VolumeAccess::Read));
        return Json{{"Content-Length", std::to_string(file.size)},
                    {"Content-Type", "application/octet-stream"},
                    {"Last-Modified", http_date(file.modified_ms)}};
    });
    router.json_prefix(Method::Delete, "/api/2.0/fs/files",
                       [service, sessions, engine_root](const Request& request, const std::string& tail) {
        if (is_abort(request)) {
            auto path = volume_path(*engine_root, tail, VolumeAccess::Write);
            sessions->abort(Params(request).required_text("session_token"), path);
            return Json::object();
        }
        auto path = volume_path(*engine_root, tail, VolumeAccess::Remove);
        require_file(*service, path);
        service->remove(path, false);
        return Json::object();
    });

    router.json_prefix(Method::Put, "/api/2.0/fs/directories", [service, engine_root](const Request&, const std::string& tail) {
        auto path = volume_path(*engine_root, tail, VolumeAccess::Write);
        try {
            service->mkdirs(path);
        } catch (const api::ApiError& error) {
            if (error.error_code() != "RESOURCE_ALREADY_EXISTS") throw;
            throw api::ApiError(409, "RESOURCE_ALREADY_EXISTS", error.message());
        }
        return Json::object();
    });
    router.json_prefix(Method::Get, "/api/2.0/fs/directories",
                       [service, engine_root](const Request& request, const std::string& tail) {
                           return list_directory(*service, request, volume_path(*engine_root, tail, VolumeAccess::Read));
                       });
    router.json_prefix(Method::Head, "/api/2.0/fs/directories", [service, engine_root](const Request&, const std::string& tail) {
        require_directory(*service, volume_path(*engine_root, tail, VolumeAccess::Read));
        return Json::object();
    });
    router.json_prefix(Method::Delete, "/api/2.0/fs/directories", [service, engine_root](const Request&, const std::string& tail) {
        auto path = volume_path(*engine_root, tail, VolumeAccess::Remove);
        require_directory(*service, path);
        if (!service->list(path).empty())
            throw api::ApiError(400, "FAILED_PRECONDITION", "The directory " + path + " is not empty.")
                .with_reason("FILES_API_DIRECTORY_IS_NOT_EMPTY");
        service->remove(path, false);
        return Json::object();
    });
}

}  // namespace brix::engine::files
