#include "engine/catalog/volume_paths.hpp"

#include <vector>

#include "engine/catalog/service.hpp"
#include "engine/catalog/store.hpp"
#include "engine/identity/current_user.hpp"
#include "engine/store/random_ids.hpp"

namespace brix::engine::catalog {
namespace {

using api::Json;

constexpr const char* kDefaultSchema = "main.default";

// The path's parts after /Volumes; nullopt when the path is not under /Volumes.
std::optional<std::vector<std::string>> parts_under_volumes(const std::string& path) {
    if (path != "/Volumes" && path.rfind("/Volumes/", 0) != 0) return std::nullopt;
    std::vector<std::string> parts;
    std::size_t start = 9;
    while (start < path.size()) {
        auto slash = path.find('/', start);
        parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return parts;
}

Securable default_volume(const std::string& name) {
    auto user = identity::current_user();
    auto now = store::now_ms();
    Json info{{"volume_type", "MANAGED"}, {"volume_id", store::random_uuid()}, {"owner", user},
              {"comment", "Created on first use under /Volumes/main/default"},
              {"created_at", now}, {"created_by", user}, {"updated_at", now}, {"updated_by", user}};
    return Securable{Kind::Volume, std::string(kDefaultSchema) + "." + name, kDefaultSchema, std::move(info)};
}

bool is_valid_name(const std::string& name) {
    try {
        return checked_name(name, "name") == name;
    } catch (const api::ApiError&) {
        return false;
    }
}

}  // namespace

void adopt_default_volumes(store::EngineRoot& root) {
    auto& db = root.db();
    if (!find_securable(db, Kind::Schema, kDefaultSchema)) return;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(volume_dir(root, kDefaultSchema), error)) {
        auto name = entry.path().filename().string();
        if (!entry.is_directory(error) || !is_valid_name(name)) continue;
        if (!find_securable(db, Kind::Volume, std::string(kDefaultSchema) + "." + name))
            insert_securable(db, default_volume(name));
    }
}

void check_volume_path(store::EngineRoot& root, const std::string& normalized_path, VolumeAccess access) {
    auto parts = parts_under_volumes(normalized_path);
    if (!parts) return;
    if (parts->size() < 3) {
        if (access == VolumeAccess::Read) return;
        throw api::invalid_parameter("Cannot change " + normalized_path +
                                     ": files live in volumes, /Volumes/<catalog>/<schema>/<volume>/...; "
                                     "catalogs, schemas and volumes are made with the Unity Catalog API");
    }
    if (access == VolumeAccess::Remove && parts->size() == 3)
        throw api::invalid_parameter("Cannot remove or move the folder of a volume (" + normalized_path +
                                     "): delete the volume instead");
    auto full_name = (*parts)[0] + "." + (*parts)[1] + "." + (*parts)[2];
    auto& db = root.db();
    if (find_securable(db, Kind::Volume, full_name)) return;
    bool in_default = (*parts)[0] + "." + (*parts)[1] == kDefaultSchema && is_valid_name((*parts)[2]);
    bool adoptable = in_default && (access != VolumeAccess::Read || fs::is_directory(volume_dir(root, full_name)));
    if (adoptable) {
        db.write_transaction([&] {
            if (find_securable(db, Kind::Schema, kDefaultSchema) && !find_securable(db, Kind::Volume, full_name))
                insert_securable(db, default_volume((*parts)[2]));
        });
        if (find_securable(db, Kind::Volume, full_name)) return;
    }
    throw api::ApiError(404, "NOT_FOUND", "Volume '" + full_name + "' does not exist.");
}

}  // namespace brix::engine::catalog
