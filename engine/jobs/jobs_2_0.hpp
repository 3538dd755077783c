#pragma once
// Jobs API 2.0 beside 2.1 and 2.2 (rest-api.md §6.1). A 2.0 single-task document holds its one
// task's fields at the top level (`spark_python_task`, `new_cluster`, `libraries`, ...); the
// engine stores it as one task of format SINGLE_TASK, and 2.0 routes show such a job and its runs
// in the 2.0 shape again. On 2.1 and 2.2 those top-level fields do not exist: a document that
// has them is refused, never accepted in silence (a workspace would drop them). Which fields they
// are comes from the API schema: the fields of a task that job settings do not have.

#include <string>
#include <vector>

#include "api/api.hpp"

namespace brix::engine::jobs {

// A request to a /api/2.0/jobs/... route.
bool is_jobs_2_0(const api::Request& request);

// What a document describes: job settings (create, reset, update) or a one-time run (submit).
enum class JobDocument { Settings, SubmitRun };

// The top-level fields of `document` that belong to a task in the multi-task format.
std::vector<std::string> single_task_fields(const api::Json& document, JobDocument kind);

// 2.0 single-task settings ({"spark_python_task": ..., "new_cluster": ...}) -> one task, format
// SINGLE_TASK. Anything else is returned as it is.
api::Json normalize_settings(api::Json settings, JobDocument kind = JobDocument::Settings);

// On 2.1 and 2.2: throws 400 INVALID_PARAMETER_VALUE naming the 2.0 fields of `document` and the
// fix. `where` prefixes the names ("new_settings." for reset and update).
void refuse_single_task_fields(const api::Json& document, JobDocument kind, const std::string& where = "");

// A job stored from a 2.0 single-task document that still has its one task.
bool is_single_task(const api::Json& settings);

// The 2.0 view of single-task settings: the task's fields at the top level, no `tasks`.
api::Json single_task_view(api::Json settings);

// Turns a job run's JSON into the 2.0 shape of a single-task run: a top-level `task` (the task
// type field) and `cluster_spec` (its compute and libraries), no `tasks`.
void show_single_task_run(api::Json& run, const api::Json& settings, const api::Json* task_settings);

}  // namespace brix::engine::jobs
