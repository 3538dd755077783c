#include "engine/workspace/store.hpp"

#include "engine/store/paths.hpp"

namespace brix::engine::workspace {
ObjectRow read_object_row(store::Statement& stmt) {
    return ObjectRow{stmt.integer(0), stmt.text(1),    stmt.text(2),    stmt.optional_text(3),
                     stmt.integer(4), stmt.integer(5), stmt.integer(6), stmt.integer(7) != 0};
}

api::Json ObjectRow::to_object_info() const {
    // Sized up front: a listing holds one of these per object, and a folder may hold 10,000s.
    api::Json info = api::Json::object();
    info.get_ref<api::Json::object_t&>().reserve(object_type == "FILE" ? 7 : language ? 5 : 4);
    info["object_type"] = is_repo ? "REPO" : object_type;
    info["path"] = path;
    if (language) info["language"] = *language;
    info["object_id"] = object_id;
    info["resource_id"] = std::to_string(object_id);
    if (object_type == "FILE") {
        info["created_at"] = created_at;
        info["modified_at"] = modified_at;
        info["size"] = size;
    }
    return info;
}

std::optional<ObjectRow> WorkspaceStore::find_by_id(std::int64_t object_id) {
    auto stmt = root_.db().prepare(std::string("SELECT ") + kObjectColumns + " FROM workspace_objects w WHERE w.object_id = ?");
    stmt.bind(1, object_id);
    if (!stmt.step()) return std::nullopt;
    return read_object_row(stmt);
}

std::optional<ObjectRow> WorkspaceStore::find(const std::string& path) {
    if (path == "/") return ObjectRow{0, "/", "DIRECTORY", std::nullopt, 0, 0, 0};
    auto stmt = root_.db().prepare(std::string("SELECT ") + kObjectColumns + " FROM workspace_objects w WHERE w.path = ?");
    stmt.bind(1, path);
    if (!stmt.step()) return std::nullopt;
    return read_object_row(stmt);
}

ObjectRow WorkspaceStore::require(const std::string& path) {
    auto row = find(path);
    if (!row) throw api::not_found("Path (" + path + ") doesn't exist.");
    return *row;
}

fs::path WorkspaceStore::disk_path(const std::string& path) const {
    return root_.workspace_dir() / path.substr(1);
}

void WorkspaceStore::put(ObjectRow row, store::TempFile& content, bool overwrite, ConflictStyle style) {
    root_.db().write_transaction([&] {
        auto parent = store::parent_path(row.path);
        auto parent_row = find(parent);
        if (!parent_row) {
            auto message = style == ConflictStyle::ImportFile
                               ? "The parent folder (" + parent + ") does not exist."
                               : "Path (" + parent + ") doesn't exist.";
            throw api::not_found(message);
        }
        if (parent_row->object_type != "DIRECTORY")
            throw api::invalid_parameter("Path (" + parent + ") is not a folder.");

        auto existing = find(row.path);
        if (existing && existing->object_type == "DIRECTORY")
            throw api::already_exists("Path (" + row.path + ") already exists and is a folder.");
        if (existing && !overwrite) {
            int status = style == ConflictStyle::ImportFile && existing->object_type == "FILE" ? 409 : 400;
            throw api::already_exists("Path (" + row.path + ") already exists.", status);
        }

        auto target = disk_path(row.path);
        fs::create_directories(target.parent_path());
        if (fs::is_directory(target)) store::remove_tree(target, root_.tmp_dir());  // orphan of an interrupted delete
        content.install(target, store::Replace::Allowed);

        auto now = store::now_ms();
        row.modified_at = now;
        row.size = static_cast<std::int64_t>(content.size());
        if (existing) {
            root_.db()
                .prepare("UPDATE workspace_objects SET object_type = ?, language = ?, modified_at = ?, size = ? "
                         "WHERE path = ?")
                .bind(1, row.object_type)
                .bind_optional(2, row.language)
                .bind(3, now)
                .bind(4, row.size)
                .bind(5, row.path)
                .run();
        } else {
            root_.db()
                .prepare("INSERT INTO workspace_objects (path, parent, object_type, language, created_at, "
                         "modified_at, size) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(1, row.path)
                .bind(2, parent)
                .bind(3, row.object_type)
                .bind_optional(4, row.language)
                .bind(5, now)
                .bind(6, now)
                .bind(7, row.size)
                .run();
        }
    });
}

}  // namespace brix::engine::workspace
