#include "engine/workspace/store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <optional>

#include "engine/store/paths.hpp"
#include "engine/store/write_intent.hpp"

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

namespace {

// Settles a put that stopped between its file's rename and its row's commit, from the put's note.
// Only that put's own file is touched: not installed yet, or replaced since by another write, it
// is none of the note's business. A new object whose row never came was never acknowledged, and
// its file goes; a replaced object's old bytes are gone, so its row is brought up to the new ones.
void settle_put(store::EngineRoot& root, const api::Json& note) {
    WorkspaceStore store(root);
    auto path = note.value("path", "");
    auto disk = store.disk_path(path);
    struct stat file {};
    if (::lstat(disk.c_str(), &file) != 0 || file.st_dev != note.value("device", dev_t{}) ||
        file.st_ino != note.value("inode", ino_t{}))
        return;
    if (!store.find(path)) {
        ::unlink(disk.c_str());
        return;
    }
    auto language = note.value("language", "");
    root.db()
        .prepare("UPDATE workspace_objects SET object_type = ?, language = ?, modified_at = ?, size = ? WHERE path = ?")
        .bind(1, note.value("object_type", "FILE"))
        .bind_optional(2, language.empty() ? std::nullopt : std::optional<std::string>(language))
        .bind(3, note.value("modified_at", std::int64_t{0}))
        .bind(4, note.value("size", std::int64_t{0}))
        .bind(5, path)
        .run();
}

}  // namespace

void WorkspaceStore::put(ObjectRow row, store::TempFile& content, bool overwrite, ConflictStyle style) {
    // Outlives the transaction: the note is emptied only once the row is committed.
    std::optional<store::WriteIntent> intent;
    api::Json note;
    bool installed = false;
    try {
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

            auto now = store::now_ms();
            row.modified_at = now;
            row.size = static_cast<std::int64_t>(content.size());
            // The bytes are in place before the row is committed: a crash in between is settled
            // by the next process that opens the root (recover_interrupted_puts).
            struct stat file {};
            if (::stat(content.path().c_str(), &file) != 0) store::throw_io_error("cannot read", content.path(), errno);
            note = api::Json{{"path", row.path},         {"object_type", row.object_type}, {"language", row.language.value_or("")},
                             {"size", row.size},         {"modified_at", now},             {"device", file.st_dev},
                             {"inode", file.st_ino}};
            intent.emplace(root_.writes_dir(), "workspace", note.dump());
            installed = content.install(target, store::Replace::Allowed);
            store::crash_point("workspace-file-installed");
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
    } catch (...) {
        // The commit failed after the rename (a full disk, say): settled at once where possible.
        if (installed) {
            try {
                root_.db().write_transaction([&] { settle_put(root_, note); });
            } catch (const std::exception&) {
                // The database refuses this too: the first error is the one the caller hears.
            }
        }
        throw;
    }
}

void recover_interrupted_puts(store::EngineRoot& root) {
    store::recover_intents(root.writes_dir(), "workspace", [&root](const std::string& text) {
        auto note = api::Json::parse(text, nullptr, false);
        if (note.is_object()) root.db().write_transaction([&] { settle_put(root, note); });
    });
}

}  // namespace brix::engine::workspace
