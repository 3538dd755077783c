#include "engine/jobs/task_files.hpp"

#include "engine/files/dbfs_service.hpp"
#include "engine/store/paths.hpp"
#include "engine/workspace/store.hpp"

namespace brix::engine::jobs {

std::optional<TaskFile> resolve_task_file(store::EngineRoot& root, const std::string& path) {
    if (path.rfind("dbfs:", 0) == 0) {
        files::DbfsService dbfs(root);
        auto normalized = store::normalize_dbfs_path(path);
        auto stat = dbfs.stat(normalized);
        if (!stat || stat->is_dir) return std::nullopt;
        return TaskFile{dbfs.disk_path(normalized), "", "", ""};
    }
    if (path.rfind("file:", 0) == 0) {
        std::filesystem::path local = path.substr(path.rfind("file://", 0) == 0 ? 7 : 5);
        if (!std::filesystem::is_regular_file(local)) return std::nullopt;
        return TaskFile{local, "", "", ""};
    }
    if (path.empty() || path.front() != '/') return std::nullopt;
    workspace::WorkspaceStore store(root);
    auto normalized = store::normalize_workspace_path(path);
    if (auto row = store.find(normalized); row && row->object_type != "DIRECTORY")
        return TaskFile{store.disk_path(normalized), normalized, row->object_type, row->language.value_or("")};
    if (path.rfind("/dbfs/", 0) == 0) return resolve_task_file(root, "dbfs:" + path.substr(5));
    if (std::filesystem::is_regular_file(path)) return TaskFile{path, "", "", ""};
    return std::nullopt;
}

}  // namespace brix::engine::jobs
