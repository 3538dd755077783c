// /api/2.0/dbfs/*.
#include "api/base64.hpp"
#include "api/streams.hpp"
#include "engine/catalog/volume_paths.hpp"
#include "engine/files/dbfs_service.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"
#include "engine/store/paths.hpp"

namespace brix::engine::files {
namespace {

using api::Json;
using api::Method;
using api::Request;

constexpr std::uint64_t kMaxBlockBytes = 1 << 20;
constexpr std::uint64_t kDefaultReadBytes = 512 * 1024;

using catalog::VolumeAccess;

// A DBFS path from the request; one under /Volumes must lie in a volume that exists.
std::string dbfs_path(store::EngineRoot& root, const Params& params, VolumeAccess access, std::string_view field = "path") {
    auto path = store::normalize_dbfs_path(params.required_text(field));
    catalog::check_volume_path(root, path, access);
    return path;
}

std::string decode_block(const Params& params, std::string_view field) {
    auto bytes = api::base64_decode(params.text(field).value_or(""));
    if (!bytes) throw api::invalid_parameter(std::string(field) + " is not valid base64");
    if (bytes->size() > kMaxBlockBytes)
        throw api::ApiError(400, "MAX_BLOCK_SIZE_EXCEEDED",
                            "The size of the data block exceeds the maximum of 1 MB (" + std::to_string(bytes->size()) +
                                " bytes given); upload larger files with create, add-block and close");
    return *bytes;
}

template <typename Action>
JsonHandler void_route(Action action) {
    return [action](const Request& request, const std::string&) {
        action(Params(request));
        return Json::object();
    };
}

}  // namespace

void add_dbfs_routes(Router& router, store::EngineRoot& root) {
    auto service = std::make_shared<DbfsService>(root);
    auto* engine_root = &root;
    const std::initializer_list<std::string_view> v20 = {"2.0"};

    router.json(Method::Get, v20, "/dbfs/get-status", [service, engine_root](const Request& request, const std::string&) {
        return to_file_info(service->require(dbfs_path(*engine_root, Params(request), VolumeAccess::Read)));
    });
    router.json(Method::Get, v20, "/dbfs/list", [service, engine_root](const Request& request, const std::string&) {
        Json files = Json::array();
        for (const auto& entry : service->list(dbfs_path(*engine_root, Params(request), VolumeAccess::Read))) files.push_back(to_file_info(entry));
        Json result = Json::object();
        if (!files.empty()) result["files"] = std::move(files);
        return result;
    });
    router.json(Method::Post, v20, "/dbfs/mkdirs", void_route([service, engine_root](const Params& p) { service->mkdirs(dbfs_path(*engine_root, p, VolumeAccess::Write)); }));
    router.json(Method::Post, v20, "/dbfs/delete", void_route([service, engine_root](const Params& p) {
                    service->remove(dbfs_path(*engine_root, p, VolumeAccess::Remove), p.boolean("recursive", false));
                }));
    router.json(Method::Post, v20, "/dbfs/move", void_route([service, engine_root](const Params& p) {
                    service->move(dbfs_path(*engine_root, p, VolumeAccess::Remove, "source_path"),
                                  dbfs_path(*engine_root, p, VolumeAccess::Write, "destination_path"));
                }));
    router.json(Method::Post, v20, "/dbfs/put", void_route([service, engine_root](const Params& p) {
                    auto path = dbfs_path(*engine_root, p, VolumeAccess::Write);
                    auto bytes = decode_block(p, "contents");
                    api::StringSource source(bytes);
                    service->put(path, source, p.boolean("overwrite", false));
                }));
    router.json(Method::Post, v20, "/dbfs/create", [service, engine_root](const Request& request, const std::string&) {
        Params params(request);
        return Json{{"handle", service->create(dbfs_path(*engine_root, params, VolumeAccess::Write), params.boolean("overwrite", false))}};
    });
    router.json(Method::Post, v20, "/dbfs/add-block", void_route([service](const Params& p) {
                    auto handle = p.required_integer("handle");
                    if (!p.text("data")) throw api::invalid_parameter("Missing required field: data");
                    service->add_block(handle, decode_block(p, "data"));
                }));
    router.json(Method::Post, v20, "/dbfs/close",
                void_route([service](const Params& p) { service->close(p.required_integer("handle")); }));
    router.json(Method::Get, v20, "/dbfs/read", [service, engine_root](const Request& request, const std::string&) {
        Params params(request);
        auto offset = params.integer("offset").value_or(0);
        auto length = params.integer("length").value_or(static_cast<std::int64_t>(kDefaultReadBytes));
        if (offset < 0 || length < 0) throw api::invalid_parameter("offset and length must not be negative");
        if (static_cast<std::uint64_t>(length) > kMaxBlockBytes)
            throw api::ApiError(400, "MAX_READ_SIZE_EXCEEDED", "Cannot read more than 1 MB (1048576 bytes) at once");
        auto bytes = service->read(dbfs_path(*engine_root, params, VolumeAccess::Read), static_cast<std::uint64_t>(offset), static_cast<std::uint64_t>(length));
        return Json{{"bytes_read", bytes.size()}, {"data", api::base64_encode(bytes)}};
    });

    // Streamed forms used by brix itself: the whole file in one request.
    router.upload(Method::Post, "/api/2.0/dbfs/put",
                  [service, engine_root](const Request& request, const std::string&, api::ByteSource& body) {
                      Params params(request);
                      service->put(dbfs_path(*engine_root, params, VolumeAccess::Write), body, params.boolean("overwrite", false));
                      return Json::object();
                  });
    router.download(Method::Get, "/api/2.0/dbfs/read",
                     [service, engine_root](const Request& request, const std::string&, api::ByteSink& sink) {
                         Params params(request);
                         auto offset = params.integer("offset").value_or(0);
                         if (offset < 0) throw api::invalid_parameter("offset must not be negative");
                         service->stream(dbfs_path(*engine_root, params, VolumeAccess::Read), static_cast<std::uint64_t>(offset), sink);
                     });
}

}  // namespace brix::engine::files
