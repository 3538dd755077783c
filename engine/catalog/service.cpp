#include "engine/catalog/service.hpp"

#include "engine/catalog/store.hpp"
#include "engine/catalog/volume_paths.hpp"
#include "engine/identity/current_user.hpp"
#include "engine/identity/principals.hpp"
#include "engine/store/random_ids.hpp"

namespace brix::engine::catalog {
namespace {

using api::Json;

constexpr std::int64_t kServerPageSize = 1000;

// The list key and the request name of each kind, as the API spells them.
const char* list_key(Kind kind) { return kind == Kind::Catalog ? "catalogs" : kind == Kind::Schema ? "schemas" : "volumes"; }
const char* call_name(Kind kind) { return kind == Kind::Catalog ? "Catalog" : kind == Kind::Schema ? "Schema" : "Volume"; }

std::string required_field(const Json& body, Kind kind, const char* field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty()))
        throw api::invalid_parameter(std::string("Create") + call_name(kind) + " Missing required field: " + field);
    if (!it->is_string()) throw api::invalid_parameter(std::string(field) + " must be a string");
    return it->get<std::string>();
}

// Copies the optional fields a create or update may set, checking their JSON types.
void copy_fields(const Json& body, Json& info, std::initializer_list<const char*> strings,
                 std::initializer_list<const char*> maps) {
    for (const char* field : strings) {
        auto it = body.find(field);
        if (it == body.end() || it->is_null()) continue;
        if (!it->is_string()) throw api::invalid_parameter(std::string(field) + " must be a string");
        info[field] = *it;
    }
    for (const char* field : maps) {
        auto it = body.find(field);
        if (it == body.end() || it->is_null()) continue;
        if (!it->is_object()) throw api::invalid_parameter(std::string(field) + " must be a map of strings");
        for (const auto& [key, value] : it->items())
            if (!value.is_string()) throw api::invalid_parameter(std::string(field) + "." + key + " must be a string");
        info[field] = *it;
    }
}

void refuse_fields(const Json& body, std::initializer_list<const char*> fields, const std::string& why) {
    for (const char* field : fields)
        if (body.contains(field) && !body[field].is_null())
            throw api::invalid_parameter(std::string(field) + " is not supported on the brix local engine: " + why);
}

Json stamped(Json info) {
    auto user = identity::current_user();
    auto now = store::now_ms();
    info["owner"] = user;
    info["created_at"] = now;
    info["created_by"] = user;
    info["updated_at"] = now;
    info["updated_by"] = user;
    return info;
}

void put_if(Json& out, const Json& info, const char* field) {
    if (auto it = info.find(field); it != info.end()) out[field] = *it;
}

Json render_securable(const store::EngineRoot& root, const Securable& row) {
    auto parts = split_full_name(row.full_name, row.kind);
    const auto& info = row.info;
    Json out{{"name", parts.back()}};
    if (row.kind != Kind::Catalog) out["catalog_name"] = parts[0];
    if (row.kind == Kind::Volume) out["schema_name"] = parts[1];
    out["full_name"] = row.full_name;
    for (const char* field : {"owner", "comment", "properties", "options", "storage_root", "catalog_type"}) put_if(out, info, field);
    if (row.kind == Kind::Catalog) {
        out["securable_type"] = "CATALOG";
        out["isolation_mode"] = info.value("isolation_mode", "OPEN");
        put_if(out, info, "enable_predictive_optimization");
    }
    if (row.kind == Kind::Schema) {
        put_if(out, info, "enable_predictive_optimization");
        put_if(out, info, "schema_id");
    }
    if (row.kind == Kind::Volume) {
        out["volume_type"] = info.value("volume_type", "MANAGED");
        out["storage_location"] = "file://" + volume_dir(root, row.full_name).string();
        put_if(out, info, "volume_id");
    }
    for (const char* field : {"created_at", "created_by", "updated_at", "updated_by"}) put_if(out, info, field);
    return out;
}

Securable require_row(store::Database& db, Kind kind, const std::string& full_name) {
    auto row = find_securable(db, kind, full_name);
    if (!row) throw does_not_exist(kind, full_name);
    return *row;
}

Kind child_kind(Kind kind) { return kind == Kind::Catalog ? Kind::Schema : Kind::Volume; }

// A catalog whose only schema is an empty `default` (what create makes) counts as empty.
bool is_empty(store::Database& db, Kind kind, const std::string& full_name) {
    if (kind == Kind::Volume) return true;
    auto children = list_securables(db, child_kind(kind), full_name, "", 0);
    if (kind == Kind::Schema) return children.empty();
    for (const auto& schema : children)
        if (schema.full_name != full_name + ".default" || count_securables(db, Kind::Volume, schema.full_name) > 0)
            return false;
    return true;
}

Securable new_row(Kind kind, const Json& body) {
    const std::initializer_list<const char*> strings = {"comment", "storage_root"};
    if (kind == Kind::Catalog) {
        refuse_fields(body, {"connection_name", "provider_name", "share_name"},
                      "foreign and Delta Sharing catalogs need a Databricks workspace");
        auto name = checked_name(required_field(body, kind, "name"), "name");
        Json info = stamped(Json{{"catalog_type", "MANAGED_CATALOG"}});
        copy_fields(body, info, strings, {"properties", "options"});
        return Securable{kind, name, "", std::move(info)};
    }
    auto catalog = checked_name(required_field(body, kind, "catalog_name"), "catalog_name");
    if (kind == Kind::Schema) {
        auto name = checked_name(required_field(body, kind, "name"), "name");
        Json info = stamped(Json{{"schema_id", store::random_uuid()}});
        copy_fields(body, info, strings, {"properties"});
        return Securable{kind, catalog + "." + name, catalog, std::move(info)};
    }
    auto schema = checked_name(required_field(body, kind, "schema_name"), "schema_name");
    auto name = checked_name(required_field(body, kind, "name"), "name");
    auto type = required_field(body, kind, "volume_type");
    if (type == "EXTERNAL")
        throw api::invalid_parameter("EXTERNAL volumes need cloud storage; the brix local engine has MANAGED volumes only");
    if (type != "MANAGED") throw api::invalid_parameter("volume_type must be MANAGED or EXTERNAL, not '" + type + "'");
    if (body.contains("storage_location") && !body["storage_location"].is_null())
        throw api::invalid_parameter("CreateVolume storage_location can not be provided.");
    Json info = stamped(Json{{"volume_type", "MANAGED"}, {"volume_id", store::random_uuid()}});
    copy_fields(body, info, {"comment"}, {});
    return Securable{kind, catalog + "." + schema + "." + name, catalog + "." + schema, std::move(info)};
}

std::optional<Kind> parent_kind(Kind kind) {
    if (kind == Kind::Catalog) return std::nullopt;
    return kind == Kind::Schema ? Kind::Catalog : Kind::Schema;
}

}  // namespace

fs::path volume_dir(const store::EngineRoot& root, const std::string& full_name) {
    auto dir = root.dbfs_dir() / "Volumes";
    std::size_t start = 0;
    while (start <= full_name.size()) {
        auto dot = full_name.find('.', start);
        dir /= full_name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return dir;
}

void CatalogService::require(Kind kind, const std::string& full_name) {
    auto name = join_full_name(split_full_name(full_name, kind), text_of(kind).parts);
    if (kind == Kind::Schema && name == "main.default") {
        // listing its volumes also registers the folders tasks made there
        root_.db().write_transaction([&] { adopt_default_volumes(root_); });
    }
    require_row(root_.db(), kind, name);
}

Json CatalogService::create(Kind kind, const Json& body) {
    if (!body.is_object()) throw api::invalid_parameter("the request body must be a JSON object");
    auto row = new_row(kind, body);
    auto& db = root_.db();
    db.write_transaction([&] {
        if (auto parent = parent_kind(kind)) require_row(db, *parent, row.parent);
        if (find_securable(db, kind, row.full_name)) throw already_exists(kind, row.full_name);
        insert_securable(db, row);
        if (kind == Kind::Catalog) {
            // Unity Catalog gives every new catalog a `default` schema
            Json info = stamped(Json{{"schema_id", store::random_uuid()}, {"comment", "Default schema (auto-created)"}});
            insert_securable(db, Securable{Kind::Schema, row.full_name + ".default", row.full_name, std::move(info)});
        }
        if (kind == Kind::Volume) fs::create_directories(volume_dir(root_, row.full_name));
    });
    return render_securable(root_, row);
}

Json CatalogService::get(Kind kind, const std::string& full_name) {
    auto name = join_full_name(split_full_name(full_name, kind), text_of(kind).parts);
    if (kind == Kind::Volume && name.rfind("main.default.", 0) == 0)
        root_.db().write_transaction([&] { adopt_default_volumes(root_); });
    return render_securable(root_, require_row(root_.db(), kind, name));
}

Json CatalogService::list(Kind kind, const std::string& parent, const ListPage& page) {
    if (page.max_results && *page.max_results < 0) throw api::invalid_parameter("max_results must not be negative");
    std::int64_t limit = 0;
    if (page.max_results) limit = *page.max_results == 0 ? kServerPageSize : std::min(*page.max_results, kServerPageSize);
    auto rows = list_securables(root_.db(), kind, parent, page.page_token, limit ? limit + 1 : 0);
    bool more = limit && static_cast<std::int64_t>(rows.size()) > limit;
    if (more) rows.resize(static_cast<std::size_t>(limit));
    Json items = Json::array();
    for (const auto& row : rows) items.push_back(render_securable(root_, row));
    Json result = Json::object();
    if (!items.empty()) result[list_key(kind)] = std::move(items);
    if (more) result["next_page_token"] = rows.back().full_name;
    return result;
}

Json CatalogService::update(Kind kind, const std::string& full_name, const Json& body) {
    if (!body.is_object()) throw api::invalid_parameter("the request body must be a JSON object");
    auto parts = split_full_name(full_name, kind);
    auto name = join_full_name(parts, parts.size());
    auto& db = root_.db();
    Securable row;
    db.write_transaction([&] {
        row = require_row(db, kind, name);
        if (kind == Kind::Catalog) copy_fields(body, row.info, {"comment", "isolation_mode", "enable_predictive_optimization"}, {"properties", "options"});
        else if (kind == Kind::Schema) copy_fields(body, row.info, {"comment", "enable_predictive_optimization"}, {"properties"});
        else copy_fields(body, row.info, {"comment"}, {});
        if (auto owner = body.find("owner"); owner != body.end() && owner->is_string()) {
            if (!identity::principal_exists(db, owner->get<std::string>()))
                throw api::invalid_parameter("Owner '" + owner->get<std::string>() + "' is not a user, group or service principal of this workspace");
            row.info["owner"] = *owner;
        }
        row.info["updated_at"] = store::now_ms();
        row.info["updated_by"] = identity::current_user();
        save_securable(db, row);
        auto new_name = body.find("new_name");
        if (new_name == body.end() || new_name->is_null()) return;
        if (!new_name->is_string()) throw api::invalid_parameter("new_name must be a string");
        parts.back() = checked_name(new_name->get<std::string>(), "new_name");
        auto renamed = join_full_name(parts, parts.size());
        if (renamed == name) return;
        if (find_securable(db, kind, renamed)) throw already_exists(kind, renamed);
        rename_securable(db, kind, name, renamed);
        if (fs::exists(volume_dir(root_, name))) fs::rename(volume_dir(root_, name), volume_dir(root_, renamed));
        row.full_name = renamed;
    });
    return render_securable(root_, row);
}

void CatalogService::remove(Kind kind, const std::string& full_name, bool force) {
    auto name = join_full_name(split_full_name(full_name, kind), text_of(kind).parts);
    auto& db = root_.db();
    db.write_transaction([&] {
        require_row(db, kind, name);
        if (!force && !is_empty(db, kind, name)) {
            auto code = kind == Kind::Catalog ? "CATALOG_NOT_EMPTY" : "SCHEMA_NOT_EMPTY";
            throw api::ApiError(400, code, std::string(text_of(kind).noun) + " '" + name +
                                               "' is not empty: delete what it contains first, or pass force=true");
        }
        erase_securable(db, kind, name);
    });
    // the data goes with the volume, as a managed volume's does
    fs::remove_all(volume_dir(root_, name));
}

}  // namespace brix::engine::catalog
