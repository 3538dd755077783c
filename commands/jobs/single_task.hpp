#pragma once
// Jobs API 2.0 single-task documents, with one task's fields at the top level (new_cluster,
// spark_python_task, libraries, max_retries, timeout_seconds, ...), turned into the multi-task
// document that 2.1 and 2.2 take. Those routes know the task's fields only inside tasks[]: a
// workspace drops them from the top level (rest-api.md §6.1), and a job or run without its task
// is what a 2.0 script would get. brix sends every jobs request to 2.2, so it converts first.
//
// Which fields belong to the task comes from the API table (api/schema), not from a list here:
// the fields of the task type (jobs.Task, jobs.SubmitTask) that the settings type lacks.

#include <string>

#include "api/api.hpp"

namespace brix::commands::jobs {

// The type specs of the documents that can be in the 2.0 format.
const api::Json& job_create_spec();    // POST /api/2.2/jobs/create
const api::Json& job_settings_spec();  // jobs.JobSettings, the new_settings of reset
const api::Json& run_submit_spec();    // POST /api/2.2/jobs/runs/submit

// The document in the multi-task format: unchanged when it has no top-level task field; else
// one task, keyed by the name's slug (`name`, or `run_name` of a submit; "Untitled" without
// one), holding every top-level task field and timeout_seconds. A document with both tasks[]
// and top-level task fields is refused (cli::UsageError naming the fields).
api::Json to_multi_task(const api::Json& document, const api::Json& settings_spec);

// A task_key from a name: letters, digits, '_' and '-' kept, anything else '_', at most 100.
std::string task_key_for(const std::string& name);

}  // namespace brix::commands::jobs
