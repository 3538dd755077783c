#pragma once
// A repo's checkout seen as workspace objects. The checkout under <root>/repos/<id> is the git
// truth; its files are mirrored under the repo's folder in the workspace tree (rows in
// workspace_objects, contents under workspace/), so everything that reads the workspace (list,
// export, get-status, jobs, %run) sees them. Source files with a notebook header and .ipynb files
// become notebooks, as workspace AUTO import decides; everything else stays a file.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/store/database.hpp"

namespace brix::engine::repos {

namespace fs = std::filesystem;

struct MirroredObject {
    std::string relative_path;  // "notebooks/etl" below the repo folder
    std::string object_type;    // DIRECTORY, NOTEBOOK, FILE
    std::optional<std::string> language;
    std::int64_t size = 0;
};

// A folder made under the engine's tmp/ folder, removed on destruction unless released. Its name
// starts with "write-<pid>-", so a crashed process's leftovers are swept like other writes.
class StagingDir {
public:
    StagingDir(const fs::path& tmp_dir, const std::string& what);
    ~StagingDir();
    StagingDir(const StagingDir&) = delete;
    StagingDir& operator=(const StagingDir&) = delete;

    const fs::path& path() const { return path_; }
    void release() { released_ = true; }  // moved into place: nothing left to remove

private:
    fs::path path_;
    bool released_ = false;
};

// Copies the checkout (without .git and symlinks) into `stage`, named as the workspace names the
// objects; returns them parents first.
std::vector<MirroredObject> stage_checkout(const fs::path& checkout, const fs::path& stage);

// Inside a write transaction: makes the rows below `repo_path` exactly `objects`. Rows of paths
// that stay keep their object_id; the repo folder's own row is not touched.
void replace_rows(store::Database& db, const std::string& repo_path, const std::vector<MirroredObject>& objects);

// Deletes the rows of `repo_path` and everything below it.
void delete_rows(store::Database& db, const std::string& repo_path);

// Puts `stage` where `target` is (atomically swapped when the file system allows), then removes
// the old contents.
void install_tree(StagingDir& stage, const fs::path& target, const fs::path& tmp_dir);

}  // namespace brix::engine::repos
