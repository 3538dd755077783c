#pragma once
// Runs as stored: a job run (or one-time submit run) and its task runs share one table; every
// retry of a task is a new task run, and so is every iteration of a for_each_task (its parent is
// the for-each task's run). Also answers runs/get, runs/list and runs/get-output, and ends runs
// whose executor died (never left RUNNING).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::jobs {

struct RunRow {
    std::int64_t run_id = 0;
    std::int64_t job_id = 0;         // 0 for submit runs
    std::int64_t parent_run_id = 0;  // 0 for job runs; the job run for task runs; the for-each task's run for iterations
    std::string task_key;
    std::int64_t attempt_number = 0;
    std::int64_t original_attempt_run_id = 0;
    std::string run_type;
    std::string run_name;
    api::Json settings;    // job settings for a job run, task settings for a task run
    api::Json overriding;  // run-now parameters (job runs)
    std::string life_cycle_state;
    std::optional<std::string> result_state;
    std::string state_message;
    std::optional<std::string> outcome;
    std::int64_t created_time = 0;
    std::int64_t start_time = 0;
    std::int64_t end_time = 0;
    std::int64_t setup_duration = 0;
    std::int64_t execution_duration = 0;
    std::int64_t executor_pid = 0;
    std::string executor_started;
    std::int64_t task_pid = 0;
    bool cancel_requested = false;
    api::Json metrics;
    api::Json output;

    bool terminal() const;
};

struct NewRun {
    std::int64_t job_id = 0;
    std::string run_type = "JOB_RUN";  // JOB_RUN, SUBMIT_RUN, WORKFLOW_RUN
    std::string run_name;
    api::Json settings;
    api::Json overriding = api::Json::object();
    std::optional<std::string> idempotency_token;
};

// runs/list: which job runs (task runs are listed inside theirs), and which page of them, newest
// (highest run ID) first.
struct RunListQuery {
    std::int64_t job_id = 0;  // 0: every job
    std::optional<std::string> run_type;
    bool active_only = false;
    bool completed_only = false;
    std::optional<std::int64_t> start_time_from, start_time_to;
    std::int64_t limit = 20;
    std::int64_t offset = 0;      // legacy paging
    std::int64_t older_than = 0;  // a next_page_token: the runs after this one in the listing
    std::int64_t newer_than = 0;  // a prev_page_token: the runs before this one
};

struct RunListPage {
    std::vector<RunRow> runs;  // newest first
    bool has_older = false;    // more runs match after this page
    bool has_newer = false;    // more runs match before it
};

// How runs are shown. Jobs API 2.0 shows a run of a single-task job (format SINGLE_TASK) in the
// 2.0 shape: a top-level `task` and `cluster_spec`, no `tasks`; 2.1 and 2.2 always list tasks[].
struct RunView {
    bool jobs_2_0 = false;
    bool resolved_values = false;  // include_resolved_values: tasks[].resolved_values
    bool include_history = false;  // runs/get include_history: repair_history
};

struct Created {
    std::int64_t run_id = 0;
    bool already_existed = false;  // the idempotency token named an earlier run
};

class RunStore {
public:
    explicit RunStore(store::EngineRoot& root) : root_(root) {}

    Created create(const NewRun& run);
    std::optional<RunRow> find(std::int64_t run_id);
    RunRow require(std::int64_t run_id);
    std::vector<RunRow> task_runs(std::int64_t job_run_id);  // every attempt, oldest first (also: a for-each's iterations)
    std::vector<RunRow> descendants(std::int64_t job_run_id);  // task runs and iteration runs
    std::int64_t job_run_id_of(const RunRow& run);            // the job run a task or iteration run belongs to

    // runs/get (view.include_history adds repair_history).
    api::Json run_json(std::int64_t run_id, const RunView& view = {});
    RunListPage list_page(const RunListQuery& query);
    api::Json list_json(const api::Request& request, const RunView& view);
    api::Json output_json(std::int64_t run_id, const RunView& view);

    void request_cancel(std::int64_t run_id);
    void cancel_all(std::optional<std::int64_t> job_id);
    void remove(std::int64_t run_id);

    // Ends a run whose executor process is gone, and stops what it left running.
    void recover_if_orphaned(RunRow& run);
    // Ends the run and its unfinished tasks INTERNAL_ERROR / FAILED with `message`, and stops
    // their processes: for an executor that cannot go on.
    void abort(std::int64_t run_id, const std::string& message);
    // `worker` was started to execute the run: it answers for the run from now on, in place of
    // this process that created it (unless it already took over by itself).
    void hand_over(std::int64_t run_id, pid_t worker);

    // Used by the executor.
    void set_state(std::int64_t run_id, const std::string& life_cycle, const std::optional<std::string>& result,
                   const std::string& message);
    void save(const RunRow& run);  // every mutable field
    std::int64_t add_retry(const RunRow& previous);
    // A new PENDING run of `task` under `parent`: a task under its job run (a new or repaired
    // one), an iteration under a for-each task's run. insert_child_run is the same inside the
    // caller's write transaction.
    std::int64_t add_child_run(const RunRow& parent, const api::Json& task);
    std::int64_t insert_child_run(const RunRow& parent, const api::Json& task, const std::string& life_cycle_state = "PENDING");
    fs::path run_dir(std::int64_t job_run_id) const { return root_.root() / "runs" / std::to_string(job_run_id); }
    store::EngineRoot& root() { return root_; }

private:
    store::EngineRoot& root_;
};

api::ApiError run_not_found(std::int64_t run_id);
bool is_active_state(const std::string& life_cycle);

}  // namespace brix::engine::jobs
