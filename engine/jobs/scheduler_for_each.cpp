// for_each_task inside one job run: the inputs resolved when the task starts, one iteration run
// per input (each a task the scheduler starts like any other, within the task's concurrency),
// and the task's result once every iteration has ended.
#include "engine/jobs/for_each.hpp"
#include "engine/jobs/scheduler.hpp"

namespace brix::engine::jobs {

using api::Json;

void Scheduler::start_for_each(Task& task) {
    task.row.start_time = store::now_ms();
    Json inputs;
    try {
        auto written = task.spec["for_each_task"].value("inputs", "");
        inputs = parse_for_each_inputs(substitute_references(written, [&](const std::string& ref) { return reference(task, ref); }));
    } catch (const api::ApiError& error) {
        return finish(task, "FAILED", error.message(), Json{{"error", error.message()}});
    }
    task.row.life_cycle_state = "RUNNING";
    store_.save(task.row);
    task.phase = Phase::Running;
    for (const auto& input : inputs) add_iteration(task, input);
}

// An input the nested task cannot take (a missing {{input.field}}) fails that iteration alone.
void Scheduler::add_iteration(Task& for_each, const Json& input) {
    const auto& nested = for_each.spec["for_each_task"]["task"];
    Json spec;
    std::string problem;
    try {
        spec = iteration_task(nested, input);
    } catch (const api::ApiError& error) {
        spec = nested;  // shown as written
        spec.erase("depends_on");
        spec.erase("run_if");
        problem = error.message();
    }
    auto iteration = std::make_unique<Task>();
    iteration->spec = spec;
    iteration->key = spec.value("task_key", "");
    iteration->row = store_.require(store_.add_child_run(for_each.row, spec));
    iteration->for_each = &for_each;
    for_each.iterations.push_back(iteration.get());
    tasks_.push_back(std::move(iteration));
    if (!problem.empty()) finish(*for_each.iterations.back(), "FAILED", problem, Json{{"error", problem}});
}

// Once every iteration has ended (retries included), the for-each task ends: SUCCESS when all
// succeeded, CANCELED or TIMEDOUT when the run was stopped, else FAILED. Returns whether it ended.
bool Scheduler::settle_for_each(Task& task) {
    int succeeded = 0;
    const Task* first_failure = nullptr;
    for (const auto* iteration : task.iterations) {
        if (iteration->phase != Phase::Done) return false;
        if (iteration->result == "SUCCESS") ++succeeded;
        else if (!first_failure) first_failure = iteration;
    }
    task.row.execution_duration = store::now_ms() - task.row.start_time;
    if (!first_failure) {
        finish(task, "SUCCESS", "");
        return true;
    }
    if (canceled_ || timed_out_) {
        auto message = canceled_ ? "Task canceled" : "Run timed out";
        finish(task, canceled_ ? "CANCELED" : "TIMEDOUT", message, Json{{"error", message}});
        return true;
    }
    auto total = task.iterations.size();
    auto message = std::to_string(total - static_cast<std::size_t>(succeeded)) + " of " + std::to_string(total) +
                   " iterations did not succeed; iteration run " + std::to_string(first_failure->row.run_id) + " ended " +
                   first_failure->result + (first_failure->row.state_message.empty() ? "" : ": " + first_failure->row.state_message);
    finish(task, "FAILED", message, Json{{"error", message}});
    return true;
}

}  // namespace brix::engine::jobs
