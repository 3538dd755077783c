#pragma once
// Request bodies for the verbs that take JSON and flags together. Pure functions, so every rule
// (which ID wins, which flag conflicts with which JSON field) is checked without a backend.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "commands/jobs/job_input.hpp"

namespace brix::commands::jobs {

// reset: a bare settings object, or the API shape {job_id, new_settings}. An ID given as JOB_ID
// or --job-id wins over the body's job_id, as in the legacy CLI. Settings in the Jobs API 2.0
// single-task format are converted to the multi-task format (single_task.hpp), as in create and submit.
api::Json build_reset_body(const api::Json& document, std::optional<std::int64_t> job_id);

// update: {new_settings, fields_to_remove} (job_id optional in the body); a document with
// neither key is taken as bare new_settings, like reset.
api::Json build_update_body(const api::Json& document, std::optional<std::int64_t> job_id);

struct ParamFlag {
    const char* flag;  // --notebook-params
    const char* key;   // notebook_params
    ParamShape shape;
};
inline constexpr std::array<ParamFlag, 6> kRunNowParams{{
    {"--notebook-params", "notebook_params", ParamShape::StringMap},
    {"--python-params", "python_params", ParamShape::StringList},
    {"--python-named-params", "python_named_params", ParamShape::StringMap},
    {"--jar-params", "jar_params", ParamShape::StringList},
    {"--spark-submit-params", "spark_submit_params", ParamShape::StringList},
    {"--job-parameters", "job_parameters", ParamShape::StringMap},
}};

// The raw values of those flags, in kRunNowParams order.
using ParamValues = std::array<std::optional<std::string>, kRunNowParams.size()>;

struct RunNowRequest {
    std::optional<std::int64_t> job_id;                                // JOB_ID or --job-id
    std::optional<api::Json> document;                                 // --json
    ParamValues params;
    std::optional<std::string> idempotency_token;
    std::optional<std::string> performance_target;
};

// Every run-now body carries an idempotency_token: the user's, or a fresh one.
api::Json build_run_now_body(const RunNowRequest& request);

struct SubmitRequest {
    api::Json document;
    std::optional<std::string> run_name;
    std::optional<std::int64_t> timeout_seconds;
    std::optional<std::string> idempotency_token;
};

api::Json build_submit_body(const SubmitRequest& request);

struct RepairRunRequest {
    std::optional<std::int64_t> run_id;  // RUN_ID or --run-id
    std::optional<api::Json> document;   // --json
    std::vector<std::string> rerun_tasks;
    bool rerun_all_failed_tasks = false;
    bool rerun_dependent_tasks = false;
    std::optional<std::int64_t> latest_repair_id;
    std::optional<std::string> performance_target;
    ParamValues params;
};

// repair: {run_id, rerun_tasks | rerun_all_failed_tasks, ...}; the flags join the JSON's fields,
// and the run ID may come from either place (once, or the same twice).
api::Json build_repair_body(const RepairRunRequest& request);

}  // namespace brix::commands::jobs
