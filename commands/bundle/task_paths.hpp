#pragma once
// The code paths of tasks (spark_python_task.python_file, notebook_task.notebook_path). In YAML
// they are relative to the file that holds them; the Jobs API needs workspace paths. Both steps
// happen here: anchoring when a file is read, rewriting once the bundle is resolved.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "commands/bundle/bundle_config.hpp"
#include "commands/bundle/bundle_files.hpp"

namespace brix::commands::bundle {

// A path in the bundle's folder: not absolute, no scheme (dbfs:/, s3://), not a ${...} reference.
bool is_local_path(const std::string& path);

// Calls `visit(task, where)` for every task of every job in `jobs` (resources.jobs), including
// the inner task of a for_each_task; `where` reads "resources.jobs.etl.tasks[0]".
using TaskVisitor = std::function<void(api::Json& task, const api::Json& job, const std::string& where)>;
void for_each_task(api::Json& jobs, const std::string& prefix, const TaskVisitor& visit);

// Makes the local task paths of one file's document (its resources and its targets' resources)
// relative to the bundle root; `file_dir` is the file's folder relative to the root ("" for it).
void anchor_task_paths(api::Json& document, const std::filesystem::path& file_dir);

// Checks each local task path (the file exists, is inside the bundle, is uploaded, is a notebook
// for a notebook_task and a plain file for a python_file) and points it at its deployed copy
// under `file_path`.
void rewrite_task_paths(api::Json& jobs, const std::filesystem::path& root, const std::string& file_path,
                        const std::vector<BundleFile>& files, Diagnostics& diagnostics);

}  // namespace brix::commands::bundle
