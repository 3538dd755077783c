#pragma once
// runs/repair: some tasks of an ended job run run again inside that run, with the job's current
// settings: the named ones (rerun_tasks) or every task that did not succeed
// (rerun_all_failed_tasks), plus, with rerun_dependent_tasks, every task downstream of them. The
// other tasks keep their runs, results and task values. Each repair is recorded for
// repair_history; the second and later repairs must name the latest one (latest_repair_id).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/jobs/run_store.hpp"
#include "engine/jobs/service.hpp"

namespace brix::engine::jobs {

struct RepairRequest {
    std::int64_t run_id = 0;
    std::optional<std::int64_t> latest_repair_id;
    std::optional<std::vector<std::string>> rerun_tasks;
    bool rerun_all_failed_tasks = false;
    bool rerun_dependent_tasks = false;
    api::Json body = api::Json::object();  // for the parameter fields (job_parameters, notebook_params, ...)
};

// Checks the request against the run, then in one transaction records the repair, adds a pending
// task run for each task to re-run, clears those tasks' values and puts the run back to PENDING.
// The caller then starts the run's executor. Returns the repair's ID.
std::int64_t prepare_repair(JobsService& jobs, RunStore& runs, const RepairRequest& request);

struct RepairRecord {
    std::int64_t repair_id = 0;
    std::int64_t created_time = 0;
    std::int64_t first_task_run_id = 0;  // this repair's task runs: from here to the next repair's
    api::Json previous;                  // how the run had ended before this repair: state and end_time
};

std::vector<RepairRecord> repairs_of(store::EngineRoot& root, std::int64_t run_id);  // oldest first

}  // namespace brix::engine::jobs
