#pragma once
// Where the code a task names lives on this machine: a workspace object, a DBFS file, or a
// local file, as a task's python_file and notebook_path may say.

#include <filesystem>
#include <optional>
#include <string>

#include "engine/store/engine_root.hpp"

namespace brix::engine::jobs {

struct TaskFile {
    std::filesystem::path disk_path;
    std::string workspace_path;  // normalised workspace path, "" when not a workspace object
    std::string object_type;     // NOTEBOOK, FILE, or "" for DBFS and local files
    std::string language;        // notebook language
};

// "dbfs:/x", "/Workspace/x", "/x" (workspace first, then a local absolute path) or "file:/x".
std::optional<TaskFile> resolve_task_file(store::EngineRoot& root, const std::string& path);

}  // namespace brix::engine::jobs
