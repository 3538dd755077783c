#include "engine/jobs/scheduler.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <set>

#include "engine/clusters/environment.hpp"
#include "engine/jobs/for_each.hpp"
#include "engine/jobs/job_settings.hpp"
#include "engine/jobs/task_outcome.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

const std::set<std::string> kSkipResults = {"UPSTREAM_FAILED", "UPSTREAM_CANCELED", "EXCLUDED", "DISABLED"};
const std::set<std::string> kFailedResults = {"FAILED", "TIMEDOUT", "UPSTREAM_FAILED"};

std::filesystem::path own_binary() {
    std::error_code error;
    auto path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::filesystem::path("brix") : path;
}

std::map<std::string, std::string> resolve_job_parameters(const Json& settings, const Json& overriding) {
    std::map<std::string, std::string> values;
    for (const auto& parameter : settings.value("parameters", Json::array()))
        values[parameter.value("name", "")] = parameter.value("default", "");
    const auto overrides = overriding.value("job_parameters", Json::object());
    for (const auto& [name, value] : overrides.items()) values[name] = value.is_string() ? value.get<std::string>() : value.dump();
    return values;
}

}  // namespace

Scheduler::Scheduler(store::EngineRoot& root, RunStore& store, std::int64_t run_id) : root_(root), store_(store), run_(store.require(run_id)) {
    context_.job_id = run_.job_id;
    context_.job_run_id = run_.run_id;
    context_.job_settings = run_.settings;
    context_.overriding = run_.overriding;
    context_.brix_binary = own_binary();
    context_.run_dir = store.run_dir(run_id);
    context_.parallelism = clusters::default_parallelism();
    std::map<std::string, RunRow> latest;
    for (auto& row : store.task_runs(run_id)) latest[row.task_key] = std::move(row);
    for (const auto& spec : run_.settings.value("tasks", Json::array())) {
        auto task = std::make_unique<Task>();
        task->spec = spec;
        task->key = spec.value("task_key", "");
        task->row = latest[task->key];
        // A repair re-runs some tasks: the others keep the result they had.
        if (task->row.run_id && task->row.terminal()) {
            task->phase = Phase::Done;
            task->result = task->row.result_state.value_or("");
        }
        by_key_[task->key] = task.get();
        tasks_.push_back(std::move(task));
    }
}

Scheduler::~Scheduler() {
    for (auto& task : tasks_) {
        task->cancel->store(true);
        if (task->thread.joinable()) task->thread.join();
    }
}

void Scheduler::run() {
    started_ms_ = store::now_ms();
    run_.life_cycle_state = "RUNNING";
    if (!run_.start_time) run_.start_time = started_ms_;
    run_.state_message = "";
    store_.save(run_);
    // runs/ is private like the root (task logs are the user's data); the folders inside inherit that.
    ::mkdir(context_.run_dir.parent_path().c_str(), 0700);
    std::filesystem::create_directories(context_.run_dir);
    try {
        context_.job_parameters = resolve_job_parameters(run_.settings, run_.overriding);
        for (auto& [name, value] : context_.job_parameters)
            value = substitute_references(value, [&](const std::string& ref) { return reference(*tasks_.front(), ref); });
    } catch (const api::ApiError& error) {
        // The run fails as a whole (finish_run reads this back); no task starts.
        run_.result_state = "FAILED";
        run_.state_message = error.message();
        store_.save(run_);
        end_early("FAILED", error.message());
    }
    auto timeout_ms = run_.settings.value("timeout_seconds", std::int64_t{0}) * 1000;
    for (;;) {
        start_ready_tasks();
        bool pending = false;
        for (const auto& task : tasks_) pending = pending || task->phase != Phase::Done;
        if (!pending) break;
        std::deque<Event> events;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(100), [&] { return !events_.empty(); });
            events.swap(events_);
        }
        for (const auto& event : events) handle(event);
        if (!canceled_ && !timed_out_) {
            if (store_.require(run_.run_id).cancel_requested) {
                canceled_ = true;
                end_early("CANCELED", "Run canceled");
            } else if (timeout_ms > 0 && store::now_ms() - started_ms_ > timeout_ms) {
                timed_out_ = true;
                end_early("TIMEDOUT", "Run timed out after " + std::to_string(timeout_ms / 1000) + " seconds");
            }
        }
    }
    finish_run();
}

void Scheduler::post(Event event) {
    {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
    }
    wake_.notify_one();
}

void Scheduler::start_ready_tasks() {
    for (bool changed = true; changed;) {
        changed = false;
        // By index: starting a for-each task appends its iterations to tasks_.
        for (std::size_t i = 0; i < tasks_.size(); ++i) {
            auto& task = *tasks_[i];
            if (task.phase == Phase::Running && task_type_of(task.spec) == "for_each_task") changed = settle_for_each(task) || changed;
            if (task.phase != Phase::Waiting || canceled_ || timed_out_ || !may_start(task)) continue;
            std::string message;
            if (auto reason = skip_reason(task, message)) {
                finish(task, *reason, message);
                changed = true;
            } else if (task_type_of(task.spec) == "condition_task") {
                run_condition(task);
                changed = true;
            } else if (task_type_of(task.spec) == "for_each_task") {
                start_for_each(task);
                changed = true;
            } else if (running_ < context_.parallelism) {
                start(task);
            }
        }
    }
}

// Dependencies done, retry interval over, and for an iteration a free place within its
// for-each task's concurrency.
bool Scheduler::may_start(const Task& task) const {
    for (const auto& dep : task.spec.value("depends_on", Json::array()))
        if (by_key_.at(dep.value("task_key", ""))->phase != Phase::Done) return false;
    if (store::now_ms() < task.not_before_ms) return false;
    if (!task.for_each) return true;
    std::int64_t running = 0;
    for (const auto* iteration : task.for_each->iterations) running += iteration->phase == Phase::Running;
    return running < for_each_concurrency(task.for_each->spec["for_each_task"]);
}

std::optional<std::string> Scheduler::skip_reason(const Task& task, std::string& message) const {
    const auto& deps = task.spec.value("depends_on", Json::array());
    if (deps.empty()) return std::nullopt;
    int succeeded = 0, failed = 0, canceled = 0, excluded = 0;
    std::vector<std::string> failed_keys;
    for (const auto& dep : deps) {
        const auto& upstream = *by_key_.at(dep.value("task_key", ""));
        if (upstream.result == "SUCCESS" && dep.contains("outcome") && upstream.row.outcome.value_or("") != dep.value("outcome", ""))
            ++excluded;
        else if (upstream.result == "SUCCESS" || upstream.result == "SUCCESS_WITH_FAILURES")
            ++succeeded;
        else if (kFailedResults.count(upstream.result)) {
            ++failed;
            failed_keys.push_back(upstream.key);
        } else if (upstream.result == "CANCELED" || upstream.result == "UPSTREAM_CANCELED")
            ++canceled;
        else
            ++excluded;
    }
    int total = static_cast<int>(deps.size());
    auto run_if = task.spec.value("run_if", "ALL_SUCCESS");
    bool run = run_if == "ALL_SUCCESS"            ? succeeded == total
               : run_if == "AT_LEAST_ONE_SUCCESS" ? succeeded > 0
               : run_if == "NONE_FAILED"          ? failed == 0 && canceled == 0 && succeeded > 0
               : run_if == "ALL_DONE"             ? true
               : run_if == "AT_LEAST_ONE_FAILED"  ? failed > 0
                                                  : failed == total;
    if (run) return std::nullopt;
    if (failed > 0 && run_if != "AT_LEAST_ONE_FAILED" && run_if != "ALL_FAILED") {
        message = "Upstream task(s) failed: ";
        for (std::size_t i = 0; i < failed_keys.size(); ++i) message += (i ? ", " : "") + failed_keys[i];
        return "UPSTREAM_FAILED";
    }
    if (canceled > 0) {
        message = "Upstream task(s) were canceled";
        return "UPSTREAM_CANCELED";
    }
    message = "The task's run_if condition " + run_if + " was not met";
    return "EXCLUDED";
}

void Scheduler::start(Task& task) {
    auto prepare_start = store::now_ms();
    task.row.start_time = prepare_start;
    if (task_type_of(task.spec) == "run_job_task") return start_child_job(task);
    PreparedTask prepared;
    try {
        prepared = prepare_task(root_, context_, task.spec, task.row.run_id,
                                [&](const std::string& ref) { return reference(task, ref); });
    } catch (const api::ApiError& error) {
        prepared.error = error.message();
    } catch (const std::exception& error) {
        prepared.error = error.what();
    }
    if (!prepared.error.empty()) return finish(task, "FAILED", prepared.error, Json{{"error", prepared.error}});
    if (!prepared.resolved_values.is_null()) task.row.output["resolved_values"] = std::move(prepared.resolved_values);
    task.row.life_cycle_state = "RUNNING";
    task.row.setup_duration = store::now_ms() - prepare_start;
    store_.save(task.row);
    task.phase = Phase::Running;
    task.cancel->store(false);
    ++running_;
    auto cancel = task.cancel;
    task.thread = std::thread([this, owner = &task, cancel, spec = std::move(prepared.spec)] {
        auto result = run_process(spec, *cancel, [&](pid_t pid) {
            Event started;
            started.task = owner;
            started.started = true;
            started.pid = pid;
            post(std::move(started));
        });
        Event finished;
        finished.task = owner;
        finished.process = std::move(result);
        post(std::move(finished));
    });
}

void Scheduler::handle(const Event& event) {
    auto& task = *event.task;
    if (event.started) {
        task.row.task_pid = event.pid;
        store_.save(task.row);
        return;
    }
    if (task.thread.joinable()) task.thread.join();
    --running_;
    if (event.child_run_id) {
        auto result = *event.child_result == "SUCCESS" ? "SUCCESS" : *event.child_result == "CANCELED" ? "CANCELED" : "FAILED";
        auto output = task.row.output;
        if (std::string(result) != "SUCCESS") output["error"] = "The triggered run " + std::to_string(event.child_run_id) + " ended " + *event.child_result + ": " + event.child_message;
        return finish(task, result, output.value("error", ""), output);
    }
    // `runs cancel` from another process may have stopped the task before this one saw the request.
    if (!canceled_ && !timed_out_ && store_.require(run_.run_id).cancel_requested) {
        canceled_ = true;
        end_early("CANCELED", "Run canceled");
    }
    auto timeout_ms = task.spec.value("timeout_seconds", std::int64_t{0}) * 1000;
    auto outcome = collect_outcome(context_.run_dir / std::to_string(task.row.run_id), event.process, timeout_ms);
    // Stopped by a cancel or the job's timeout: say so, whatever the killed process left in its
    // log (`runs cancel` may have killed it before this process saw the request, so the process
    // looks as if it failed on its own).
    if (outcome.result != "SUCCESS" && (canceled_ || (timed_out_ && outcome.result == "CANCELED"))) {
        outcome.result = canceled_ ? "CANCELED" : "TIMEDOUT";
        outcome.message = canceled_ ? "Task canceled"
                                    : "Run timed out after " + std::to_string(run_.settings.value("timeout_seconds", std::int64_t{0})) +
                                          " seconds";
        outcome.output.erase("error_trace");
        outcome.output["error"] = outcome.message;
    }
    task.row.metrics = outcome.metrics;
    task.row.execution_duration = event.process.wall_ms;
    finish(task, outcome.result, outcome.message, outcome.output);

    auto max_retries = task.spec.value("max_retries", std::int64_t{0});
    bool retryable = outcome.result == "FAILED" || (outcome.result == "TIMEDOUT" && task.spec.value("retry_on_timeout", false));
    if (!retryable || canceled_ || timed_out_ || (max_retries != -1 && task.row.attempt_number >= max_retries)) return;
    auto failed_start = task.row.start_time;
    auto retry_id = store_.add_retry(task.row);
    task.row = store_.require(retry_id);
    task.row.life_cycle_state = "WAITING_FOR_RETRY";
    store_.save(task.row);
    task.phase = Phase::Waiting;
    task.result.clear();
    task.not_before_ms = failed_start + task.spec.value("min_retry_interval_millis", std::int64_t{0});
}

void Scheduler::finish(Task& task, const std::string& result, const std::string& message, Json output) {
    task.row.life_cycle_state = kSkipResults.count(result) ? "SKIPPED" : "TERMINATED";
    task.row.result_state = result;
    task.row.state_message = message;
    task.row.end_time = store::now_ms();
    if (!output.empty()) {
        // What the task started with stays: the parameters it resolved.
        if (task.row.output.contains("resolved_values") && !output.contains("resolved_values"))
            output["resolved_values"] = task.row.output["resolved_values"];
        task.row.output = std::move(output);
    }
    store_.save(task.row);
    task.phase = Phase::Done;
    task.result = result;
}

void Scheduler::end_early(const std::string& result, const std::string& message) {
    for (auto& task : tasks_) {
        if (task->phase == Phase::Running) {
            task->cancel->store(true);
            if (task->child_run_id) store_.request_cancel(task->child_run_id);
        } else if (task->phase == Phase::Waiting) {
            finish(*task, result == "FAILED" ? "UPSTREAM_FAILED" : result, message);
        }
    }
}

void Scheduler::finish_run() {
    std::set<std::string> upstream;
    for (const auto& task : tasks_)
        for (const auto& dep : task->spec.value("depends_on", Json::array())) upstream.insert(dep.value("task_key", ""));
    std::string first_failed, first_timed_out;
    bool leaves_ok = true;
    for (const auto& task : tasks_) {
        if (task->for_each) continue;  // an iteration counts through its for-each task
        if (task->result == "FAILED" && first_failed.empty()) first_failed = task->key;
        if (task->result == "TIMEDOUT" && first_timed_out.empty()) first_timed_out = task->key;
        if (!upstream.count(task->key) && task->result != "SUCCESS" && task->result != "EXCLUDED" && task->result != "DISABLED")
            leaves_ok = false;
    }
    run_ = store_.require(run_.run_id);
    run_.end_time = store::now_ms();
    run_.life_cycle_state = "TERMINATED";
    if (canceled_) {
        run_.result_state = "CANCELED";
        run_.state_message = "Run canceled";
    } else if (timed_out_ || (!first_timed_out.empty() && first_failed.empty())) {
        run_.result_state = "TIMEDOUT";
        run_.state_message = timed_out_ ? "Run timed out" : "Task " + first_timed_out + " timed out";
    } else if (!first_failed.empty() && leaves_ok) {
        run_.result_state = "SUCCESS_WITH_FAILURES";
        run_.state_message = "Task " + first_failed + " failed, but every leaf task succeeded";
    } else if (!first_failed.empty()) {
        // Databricks rolls a failed task up this way: life cycle INTERNAL_ERROR, result FAILED.
        run_.life_cycle_state = "INTERNAL_ERROR";
        run_.result_state = "FAILED";
        run_.state_message = "Task " + first_failed + " failed with message: Workload failed, see run output for details.";
    } else if (run_.result_state == "FAILED") {
        run_.life_cycle_state = "INTERNAL_ERROR";
    } else {
        run_.result_state = "SUCCESS";
        run_.state_message = "";
    }
    store_.save(run_);
}

}  // namespace brix::engine::jobs
