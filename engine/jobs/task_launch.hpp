#pragma once
// The one place where a task's process is put together: its environment variables, PYTHONPATH,
// working folder, interpreter (the task's own cached virtual environment when it has libraries)
// and file system view. prepare_task (task_prep.hpp) finds the code and its arguments; this turns
// them into the ProcessSpec that run_process starts (fresh, or forked from a warm interpreter:
// fork_server.hpp).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/clusters/environment.hpp"
#include "engine/jobs/task_process.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::jobs {

struct RunContext;

// What prepare_task found out about the code a task runs.
struct TaskCode {
    // The whole argv; when argv[0] is the compute's Python it may become the task's environment's.
    std::vector<std::string> argv;
    // The folder holding the notebook or script on the host (its working folder, as on Databricks
    // Runtime 14+); empty for code that has none (wheels, DBFS files): the task's own folder.
    std::filesystem::path code_folder;
    std::vector<std::filesystem::path> python_path;  // folders to import from (a repo's root, a checkout)
    std::map<std::string, std::string> env;           // variables of this task type (widgets, notebook path)
};

struct TaskLaunch {
    ProcessSpec spec;
    std::string problem;  // set when the task cannot run as specified (an unsupported library, ...)
};

TaskLaunch launch_task(store::EngineRoot& root, const RunContext& context, const api::Json& task, std::int64_t task_run_id,
                       const clusters::Environment& compute, const TaskCode& code);

// The task's Python environment spec for brix_runtime.environments: its `libraries` and the
// dependencies of its `environment_key`. Null when it has neither (the compute's Python as it is).
// Sets `problem` for what cannot be installed here (maven, cran, egg) or an unknown key.
api::Json environment_spec(const api::Json& job_settings, const api::Json& task, std::string& problem);

}  // namespace brix::engine::jobs
