#pragma once
// Turns a task's settings into the process that runs it: references substituted, parameters
// merged as Databricks merges them, the code located, notebooks flattened (%run inlined).

#include <map>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/jobs/references.hpp"
#include "engine/jobs/task_process.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::jobs {

struct RunContext {
    std::int64_t job_id = 0;
    std::int64_t job_run_id = 0;
    api::Json job_settings;
    api::Json overriding;                             // run-now parameters
    std::map<std::string, std::string> job_parameters;  // resolved name -> value
    std::filesystem::path brix_binary;
    std::filesystem::path run_dir;
    int parallelism = 1;
};

struct PreparedTask {
    ProcessSpec spec;
    std::string error;  // when set the task fails at once with this message, without a process
    // The parameters after references were substituted, as runs/get shows them with
    // include_resolved_values: {"<task type>": {"parameters": ...}} (jobs.ResolvedValues).
    api::Json resolved_values;
};

PreparedTask prepare_task(store::EngineRoot& root, const RunContext& context, const api::Json& task, std::int64_t task_run_id,
                          const ReferenceLookup& references);

// The widget values a notebook task sees.
std::map<std::string, std::string> notebook_widgets(const RunContext& context, const api::Json& task,
                                                    const ReferenceLookup& references);

}  // namespace brix::engine::jobs
