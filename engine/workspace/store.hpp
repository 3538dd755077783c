#pragma once
// Rows of the workspace_objects table and the one way a new object is put in place.

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"
#include "engine/store/file_ops.hpp"

namespace brix::engine::workspace {

struct ObjectRow {
    std::int64_t object_id = 0;
    std::string path;
    std::string object_type;  // DIRECTORY, NOTEBOOK, FILE
    std::optional<std::string> language;
    std::int64_t created_at = 0;
    std::int64_t modified_at = 0;
    std::int64_t size = 0;
    bool is_repo = false;  // a folder that is a Git folder (repos/): object_type REPO, as Databricks reports it

    api::Json to_object_info() const;
};

// How a conflict at the target is reported: workspace/import answers 400 for everything;
// workspace-files/import-file answers 409 for an existing file (the Go CLI relies on both).
enum class ConflictStyle { Import, ImportFile };

// The columns of a row, for queries over workspace_objects aliased `w`: a folder that a repo of the
// repos table holds (same path and id) is that repo.
inline constexpr const char* kObjectColumns =
    "w.object_id, w.path, w.object_type, w.language, w.created_at, w.modified_at, w.size, "
    "w.object_type = 'DIRECTORY' AND EXISTS (SELECT 1 FROM repos r WHERE r.repo_id = w.object_id AND r.path = w.path)";

// A row read with kObjectColumns.
ObjectRow read_object_row(store::Statement& stmt);

class WorkspaceStore {
public:
    explicit WorkspaceStore(store::EngineRoot& root) : root_(root) {}

    std::optional<ObjectRow> find(const std::string& path);
    std::optional<ObjectRow> find_by_id(std::int64_t object_id);
    ObjectRow require(const std::string& path);  // 404 when missing
    fs::path disk_path(const std::string& path) const;

    // Puts `content` at `row.path` in one transaction: parent must be a folder, an existing
    // object is replaced only with `overwrite`, a folder never.
    void put(ObjectRow row, store::TempFile& content, bool overwrite, ConflictStyle style);

private:
    store::EngineRoot& root_;
};

// Finishes or undoes the puts that a killed process left between the file's rename and its row's
// commit: a new object's file is removed, a replaced object's row follows its new bytes. Called
// when the engine opens a root.
void recover_interrupted_puts(store::EngineRoot& root);

}  // namespace brix::engine::workspace
