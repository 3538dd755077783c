#include "engine/jobs/run_store.hpp"

#include <unistd.h>

#include <algorithm>

#include "engine/jobs/job_settings.hpp"
#include "engine/jobs/process_info.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

constexpr const char* kColumns =
    "run_id, job_id, parent_run_id, task_key, attempt_number, original_attempt_run_id, run_type, run_name, settings, "
    "overriding, life_cycle_state, result_state, state_message, outcome, created_time, start_time, end_time, "
    "setup_duration, execution_duration, executor_pid, executor_started, task_pid, cancel_requested, metrics, output";

Json parse_or(const std::optional<std::string>& text, Json fallback) {
    return text && !text->empty() ? Json::parse(*text) : fallback;
}

RunRow read_row(store::Statement& stmt) {
    RunRow row;
    row.run_id = stmt.integer(0);
    row.job_id = stmt.integer(1);
    row.parent_run_id = stmt.integer(2);
    row.task_key = stmt.text(3);
    row.attempt_number = stmt.integer(4);
    row.original_attempt_run_id = stmt.integer(5);
    row.run_type = stmt.text(6);
    row.run_name = stmt.text(7);
    row.settings = Json::parse(stmt.text(8));
    row.overriding = parse_or(stmt.optional_text(9), Json::object());
    row.life_cycle_state = stmt.text(10);
    row.result_state = stmt.optional_text(11);
    row.state_message = stmt.text(12);
    row.outcome = stmt.optional_text(13);
    row.created_time = stmt.integer(14);
    row.start_time = stmt.integer(15);
    row.end_time = stmt.integer(16);
    row.setup_duration = stmt.integer(17);
    row.execution_duration = stmt.integer(18);
    row.executor_pid = stmt.integer(19);
    row.executor_started = stmt.text(20);
    row.task_pid = stmt.integer(21);
    row.cancel_requested = stmt.integer(22) != 0;
    row.metrics = parse_or(stmt.optional_text(23), Json());
    row.output = parse_or(stmt.optional_text(24), Json::object());
    return row;
}

std::int64_t insert_run(store::Database& db, const RunRow& row, const std::optional<std::string>& token) {
    db.prepare("INSERT INTO runs (job_id, parent_run_id, task_key, attempt_number, original_attempt_run_id, run_type, "
               "run_name, settings, overriding, life_cycle_state, result_state, state_message, created_time, "
               "idempotency_token, executor_pid, executor_started) "
               "VALUES (NULLIF(?, 0), NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?)")
        .bind(1, row.job_id)
        .bind(2, row.parent_run_id)
        .bind(3, row.task_key)
        .bind(4, row.attempt_number)
        .bind(5, row.original_attempt_run_id)
        .bind(6, row.run_type)
        .bind(7, row.run_name)
        .bind(8, row.settings.dump())
        .bind(9, row.overriding.dump())
        .bind(10, row.life_cycle_state)
        .bind_optional(11, row.result_state)
        .bind(12, row.state_message)
        .bind(13, row.created_time)
        .bind_optional(14, token)
        .bind(15, row.executor_pid)
        .bind(16, row.executor_started)
        .run();
    return db.last_insert_id();
}

// Queueing is on unless the job turns it off (Jobs API 2.2 behaviour).
std::string initial_state(store::Database& db, const NewRun& run, std::string& message) {
    if (run.job_id == 0) return "PENDING";
    auto limit = run.settings.value("max_concurrent_runs", std::int64_t{1});
    bool queue = run.settings.value("queue", Json::object()).value("enabled", true);
    auto count = [&](const char* sql) {
        auto stmt = db.prepare(sql);
        stmt.bind(1, run.job_id);
        stmt.step();
        return stmt.integer(0);
    };
    auto active = count("SELECT count(*) FROM runs WHERE job_id = ? AND parent_run_id IS NULL AND "
                        "life_cycle_state IN ('PENDING', 'RUNNING', 'TERMINATING')");
    auto queued = count("SELECT count(*) FROM runs WHERE job_id = ? AND parent_run_id IS NULL AND life_cycle_state = 'QUEUED'");
    if (active < limit && queued == 0) return "PENDING";
    if (queue && limit > 0) {
        message = "Queued: the job already has " + std::to_string(active) + " active run(s) (max_concurrent_runs " +
                  std::to_string(limit) + ")";
        return "QUEUED";
    }
    message = "Skipped: the job already has " + std::to_string(limit) + " active run(s) (max_concurrent_runs)";
    return "SKIPPED";
}

// The WHERE clause of runs/list and the integers it binds, in order. Active runs are few: with
// active_only the runs_active index finds them all and SQLite sorts them (the unary + keeps it off
// the other indexes); every other listing walks an index in run ID order from the newest end
// (runs_by_parent, or runs_listed_by_job for one job) and stops after a page.
struct ListFilter {
    std::string where;
    std::vector<std::int64_t> values;
};

ListFilter list_filter(const RunListQuery& query) {
    const char* unindexed = query.active_only ? "+" : "";
    ListFilter filter{std::string(unindexed) + "parent_run_id IS NULL", {}};
    if (query.job_id) {
        filter.where += std::string(" AND ") + unindexed + "job_id = ?";
        filter.values.push_back(query.job_id);
    }
    if (query.active_only) filter.where += " AND life_cycle_state IN ('QUEUED', 'PENDING', 'RUNNING', 'TERMINATING')";
    if (query.completed_only) filter.where += " AND life_cycle_state NOT IN ('QUEUED', 'PENDING', 'RUNNING', 'TERMINATING')";
    if (query.run_type) {
        const auto& type = *query.run_type;
        filter.where += " AND run_type = '" +
                        std::string(type == "SUBMIT_RUN" ? "SUBMIT_RUN" : type == "WORKFLOW_RUN" ? "WORKFLOW_RUN" : "JOB_RUN") + "'";
    }
    if (query.start_time_from) {
        filter.where += " AND start_time >= ?";
        filter.values.push_back(*query.start_time_from);
    }
    if (query.start_time_to) {
        filter.where += " AND start_time <= ?";
        filter.values.push_back(*query.start_time_to);
    }
    return filter;
}

// Runs that pass the filter, then `tail` (more conditions, order, limit) binding `more`.
std::vector<RunRow> select_runs(store::Database& db, const ListFilter& filter, const std::string& tail,
                                const std::vector<std::int64_t>& more) {
    auto stmt = db.prepare(std::string("SELECT ") + kColumns + " FROM runs WHERE " + filter.where + tail);
    int index = 1;
    for (auto value : filter.values) stmt.bind(index++, value);
    for (auto value : more) stmt.bind(index++, value);
    std::vector<RunRow> rows;
    while (stmt.step()) rows.push_back(read_row(stmt));
    return rows;
}

}  // namespace

bool RunRow::terminal() const { return !is_active_state(life_cycle_state); }

bool is_active_state(const std::string& life_cycle) {
    return life_cycle == "QUEUED" || life_cycle == "PENDING" || life_cycle == "RUNNING" || life_cycle == "TERMINATING" ||
           life_cycle == "BLOCKED" || life_cycle == "WAITING_FOR_RETRY";
}

api::ApiError run_not_found(std::int64_t run_id) {
    return api::not_found("Run " + std::to_string(run_id) + " does not exist.");
}

Created RunStore::create(const NewRun& run) {
    Created created;
    auto& db = root_.db();
    db.write_transaction([&] {
        if (run.idempotency_token) {
            auto stmt = db.prepare("SELECT run_id FROM runs WHERE idempotency_token = ?");
            stmt.bind(1, *run.idempotency_token);
            if (stmt.step()) {
                created = {stmt.integer(0), true};
                return;
            }
        }
        RunRow job_run;
        job_run.job_id = run.job_id;
        job_run.run_type = run.run_type;
        job_run.run_name = run.run_name;
        job_run.settings = run.settings;
        job_run.overriding = run.overriding;
        job_run.created_time = store::now_ms();
        // The process that creates a run answers for it until its executor takes over
        // (RunLauncher): should it die first, the run is an orphan like any other and ends at the
        // next look, instead of waiting forever for an executor that never comes.
        job_run.executor_pid = ::getpid();
        job_run.executor_started = process_start_time(::getpid());
        job_run.life_cycle_state = initial_state(db, run, job_run.state_message);
        if (job_run.life_cycle_state == "SKIPPED") job_run.result_state = "MAXIMUM_CONCURRENT_RUNS_REACHED";
        created.run_id = job_run.run_id = insert_run(db, job_run, run.idempotency_token);
        for (const auto& task : run.settings.value("tasks", Json::array()))
            insert_child_run(job_run, task, job_run.life_cycle_state == "SKIPPED" ? "SKIPPED" : "PENDING");
    });
    return created;
}

std::optional<RunRow> RunStore::find(std::int64_t run_id) {
    auto stmt = root_.db().prepare(std::string("SELECT ") + kColumns + " FROM runs WHERE run_id = ?");
    stmt.bind(1, run_id);
    if (!stmt.step()) return std::nullopt;
    return read_row(stmt);
}

RunRow RunStore::require(std::int64_t run_id) {
    auto run = find(run_id);
    if (!run) throw run_not_found(run_id);
    return *run;
}

std::vector<RunRow> RunStore::task_runs(std::int64_t job_run_id) {
    auto stmt = root_.db().prepare(std::string("SELECT ") + kColumns + " FROM runs WHERE parent_run_id = ? ORDER BY run_id");
    stmt.bind(1, job_run_id);
    std::vector<RunRow> rows;
    while (stmt.step()) rows.push_back(read_row(stmt));
    return rows;
}

std::vector<RunRow> RunStore::descendants(std::int64_t job_run_id) {
    auto stmt = root_.db().prepare(std::string("SELECT ") + kColumns +
                                   " FROM runs WHERE parent_run_id = ?1 OR parent_run_id IN "
                                   "(SELECT run_id FROM runs WHERE parent_run_id = ?1) ORDER BY run_id");
    stmt.bind(1, job_run_id);
    std::vector<RunRow> rows;
    while (stmt.step()) rows.push_back(read_row(stmt));
    return rows;
}

std::int64_t RunStore::job_run_id_of(const RunRow& run) {
    if (!run.parent_run_id) return run.run_id;
    auto parent = require(run.parent_run_id);
    return parent.parent_run_id ? parent.parent_run_id : parent.run_id;
}

RunListPage RunStore::list_page(const RunListQuery& query) {
    auto& db = root_.db();
    auto filter = list_filter(query);
    bool backwards = query.newer_than != 0;
    // One run more than the page, to know whether the listing goes on in that direction.
    RunListPage page;
    if (backwards)
        page.runs = select_runs(db, filter, " AND run_id > ? ORDER BY run_id LIMIT ?", {query.newer_than, query.limit + 1});
    else if (query.older_than)
        page.runs = select_runs(db, filter, " AND run_id < ? ORDER BY run_id DESC LIMIT ?", {query.older_than, query.limit + 1});
    else
        page.runs = select_runs(db, filter, " ORDER BY run_id DESC LIMIT ? OFFSET ?", {query.limit + 1, query.offset});
    bool more = static_cast<std::int64_t>(page.runs.size()) > query.limit;
    if (more) page.runs.pop_back();
    if (backwards) std::reverse(page.runs.begin(), page.runs.end());
    if (page.runs.empty()) return page;
    auto any_run = [&](const char* condition, std::int64_t run_id) {
        return !select_runs(db, filter, std::string(" AND run_id ") + condition + " ? LIMIT 1", {run_id}).empty();
    };
    page.has_older = backwards ? any_run("<", page.runs.back().run_id) : more;
    page.has_newer = backwards ? more : (query.older_than || query.offset) && any_run(">", page.runs.front().run_id);
    return page;
}

void RunStore::set_state(std::int64_t run_id, const std::string& life_cycle, const std::optional<std::string>& result,
                         const std::string& message) {
    root_.db().write_transaction([&] {
        root_.db()
            .prepare("UPDATE runs SET life_cycle_state = ?, result_state = ?, state_message = ? WHERE run_id = ?")
            .bind(1, life_cycle)
            .bind_optional(2, result)
            .bind(3, message)
            .bind(4, run_id)
            .run();
    });
}

void RunStore::save(const RunRow& run) {
    root_.db().write_transaction([&] {
        root_.db()
            .prepare("UPDATE runs SET life_cycle_state = ?, result_state = ?, state_message = ?, outcome = ?, "
                     "start_time = ?, end_time = ?, setup_duration = ?, execution_duration = ?, executor_pid = ?, "
                     "executor_started = ?, task_pid = ?, metrics = ?, output = ?, settings = ? WHERE run_id = ?")
            .bind(1, run.life_cycle_state)
            .bind_optional(2, run.result_state)
            .bind(3, run.state_message)
            .bind_optional(4, run.outcome)
            .bind(5, run.start_time)
            .bind(6, run.end_time)
            .bind(7, run.setup_duration)
            .bind(8, run.execution_duration)
            .bind(9, run.executor_pid)
            .bind(10, run.executor_started)
            .bind(11, run.task_pid)
            // A task's output may quote bytes that are not UTF-8: kept as U+FFFD, never an exception.
            .bind(12, run.metrics.is_null() ? std::string() : run.metrics.dump(-1, ' ', false, Json::error_handler_t::replace))
            .bind(13, run.output.dump(-1, ' ', false, Json::error_handler_t::replace))
            .bind(14, run.settings.dump(-1, ' ', false, Json::error_handler_t::replace))
            .bind(15, run.run_id)
            .run();
    });
}

std::int64_t RunStore::add_retry(const RunRow& previous) {
    RunRow retry = previous;
    retry.attempt_number = previous.attempt_number + 1;
    retry.original_attempt_run_id = previous.original_attempt_run_id ? previous.original_attempt_run_id : previous.run_id;
    retry.life_cycle_state = "PENDING";
    retry.result_state.reset();
    retry.state_message = "";
    retry.created_time = store::now_ms();
    std::int64_t id = 0;
    root_.db().write_transaction([&] { id = insert_run(root_.db(), retry, std::nullopt); });
    return id;
}

std::int64_t RunStore::insert_child_run(const RunRow& parent, const api::Json& task, const std::string& life_cycle_state) {
    RunRow child;
    child.job_id = parent.job_id;
    child.parent_run_id = parent.run_id;
    child.task_key = task.value("task_key", "");
    child.run_type = parent.run_type;
    child.run_name = child.task_key;
    child.settings = task;
    child.created_time = store::now_ms();
    child.life_cycle_state = life_cycle_state;
    auto id = insert_run(root_.db(), child, std::nullopt);
    root_.db().prepare("UPDATE runs SET original_attempt_run_id = ? WHERE run_id = ?").bind(1, id).bind(2, id).run();
    return id;
}

std::int64_t RunStore::add_child_run(const RunRow& parent, const api::Json& task) {
    std::int64_t id = 0;
    root_.db().write_transaction([&] { id = insert_child_run(parent, task); });
    return id;
}

void RunStore::request_cancel(std::int64_t run_id) {
    auto run = require(run_id);
    auto target = job_run_id_of(run);
    auto job_run = target == run.run_id ? run : require(target);
    bool executed = process_alive(static_cast<pid_t>(job_run.executor_pid), job_run.executor_started);
    root_.db().write_transaction([&] {
        root_.db().prepare("UPDATE runs SET cancel_requested = 1 WHERE run_id = ?").bind(1, target).run();
        // A queued or pending run no live process executes ends at once.
        if (executed) return;
        root_.db()
            .prepare("UPDATE runs SET life_cycle_state = 'TERMINATED', result_state = 'CANCELED', "
                     "state_message = 'Run canceled before it started', end_time = ? "
                     "WHERE (run_id = ?2 OR parent_run_id = ?2) AND life_cycle_state IN ('QUEUED', 'PENDING')")
            .bind(1, store::now_ms())
            .bind(2, target)
            .run();
    });
    // A live executor stops its tasks itself within a poll: SIGTERM, then SIGKILL after the grace
    // period, so a task's own SIGTERM handler gets to run. Without one, stop them here.
    if (executed) return;
    for (const auto& task : descendants(target))
        if (!task.terminal() && task.task_pid > 0) stop_process_group(static_cast<pid_t>(task.task_pid), 0);
}

void RunStore::cancel_all(std::optional<std::int64_t> job_id) {
    std::vector<std::int64_t> ids;
    auto stmt = root_.db().prepare(
        "SELECT run_id FROM runs WHERE parent_run_id IS NULL AND life_cycle_state IN ('QUEUED', 'PENDING', 'RUNNING', "
        "'TERMINATING') AND (? = 0 OR job_id = ?)");
    stmt.bind(1, job_id.value_or(0)).bind(2, job_id.value_or(0));
    while (stmt.step()) ids.push_back(stmt.integer(0));
    for (auto id : ids) request_cancel(id);
}

void RunStore::remove(std::int64_t run_id) {
    auto run = require(run_id);
    recover_if_orphaned(run);
    if (!run.terminal())
        throw api::ApiError(400, "INVALID_STATE", "Run " + std::to_string(run_id) + " is still active; cancel it first.");
    root_.db().write_transaction([&] {
        // Iterations first: their parents (for-each task runs) must still be there to find them.
        root_.db()
            .prepare("DELETE FROM runs WHERE parent_run_id IN (SELECT run_id FROM runs WHERE parent_run_id = ?)")
            .bind(1, run_id)
            .run();
        root_.db().prepare("DELETE FROM runs WHERE run_id = ? OR parent_run_id = ?").bind(1, run_id).bind(2, run_id).run();
        root_.db().prepare("DELETE FROM task_values WHERE job_run_id = ?").bind(1, run_id).run();
        root_.db().prepare("DELETE FROM run_repairs WHERE run_id = ?").bind(1, run_id).run();
    });
    std::error_code ignored;
    fs::remove_all(run_dir(run_id), ignored);
}

void RunStore::hand_over(std::int64_t run_id, pid_t worker) {
    // A worker that is already gone gets no start time, so the run counts as orphaned at once.
    auto started = process_start_time(worker);
    root_.db().write_transaction([&] {
        root_.db()
            .prepare("UPDATE runs SET executor_pid = ?, executor_started = ? WHERE run_id = ? AND executor_pid = ?")
            .bind(1, std::int64_t{worker})
            .bind(2, started)
            .bind(3, run_id)
            .bind(4, std::int64_t{::getpid()})
            .run();
    });
}

void RunStore::recover_if_orphaned(RunRow& run) {
    if (run.terminal() || run.parent_run_id != 0) return;
    if (run.executor_pid == 0 || process_alive(static_cast<pid_t>(run.executor_pid), run.executor_started)) return;
    abort(run.run_id, "The run's executor (pid " + std::to_string(run.executor_pid) +
                          ") stopped before the run finished; its tasks were stopped");
    run = require(run.run_id);
}

void RunStore::abort(std::int64_t run_id, const std::string& message) {
    for (const auto& task : descendants(run_id))
        if (task.task_pid > 0 && !task.terminal()) stop_process_group(static_cast<pid_t>(task.task_pid), 0);
    root_.db().write_transaction([&] {
        auto end = store::now_ms();
        root_.db()
            .prepare("UPDATE runs SET life_cycle_state = 'INTERNAL_ERROR', result_state = 'FAILED', state_message = ?, "
                     "end_time = ? WHERE (run_id = ?3 OR parent_run_id = ?3 OR parent_run_id IN (SELECT run_id FROM runs "
                     "WHERE parent_run_id = ?3)) AND life_cycle_state IN ('QUEUED', 'PENDING', 'RUNNING', 'TERMINATING', "
                     "'BLOCKED', 'WAITING_FOR_RETRY')")
            .bind(1, message)
            .bind(2, end)
            .bind(3, run_id)
            .run();
    });
}

}  // namespace brix::engine::jobs
