// The tasks that run no process of their own: condition_task, evaluated here, and run_job_task,
// a run of another job executed on a thread of this scheduler.
#include "engine/jobs/executor.hpp"
#include "engine/jobs/scheduler.hpp"
#include "engine/jobs/service.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

bool compare(const std::string& op, const std::string& left, const std::string& right) {
    if (op == "EQUAL_TO") return left == right;
    if (op == "NOT_EQUAL") return left != right;
    double l = 0, r = 0;
    try {
        l = std::stod(left);
        r = std::stod(right);
    } catch (const std::exception&) {
        throw api::invalid_parameter("condition_task " + op + " compares numbers; got '" + left + "' and '" + right + "'");
    }
    if (op == "GREATER_THAN") return l > r;
    if (op == "GREATER_THAN_OR_EQUAL") return l >= r;
    if (op == "LESS_THAN") return l < r;
    return l <= r;
}

}  // namespace

void Scheduler::run_condition(Task& task) {
    task.row.start_time = store::now_ms();
    try {
        const auto& condition = task.spec["condition_task"];
        auto lookup = [&](const std::string& ref) { return reference(task, ref); };
        auto text = [&](const char* field) {
            const auto& value = condition[field];
            return substitute_references(value.is_string() ? value.get<std::string>() : value.dump(), lookup);
        };
        auto left = text("left");
        auto right = text("right");
        task.row.output["resolved_values"] = Json{{"condition_task", {{"left", left}, {"right", right}}}};
        bool outcome = compare(condition.value("op", ""), left, right);
        task.row.outcome = outcome ? "true" : "false";
        finish(task, "SUCCESS", "");
    } catch (const api::ApiError& error) {
        finish(task, "FAILED", error.message(), Json{{"error", error.message()}});
    }
}

void Scheduler::start_child_job(Task& task) {
    try {
        const auto& spec = task.spec["run_job_task"];
        auto job_id = spec["job_id"].is_string() ? std::stoll(spec["job_id"].get<std::string>()) : spec["job_id"].get<std::int64_t>();
        auto settings = JobsService(root_).find_settings(job_id);
        if (!settings) throw job_not_found(job_id);
        Json overriding = Json::object();
        auto lookup = [&](const std::string& ref) { return reference(task, ref); };
        if (spec.contains("job_parameters")) {
            Json parameters = Json::object();
            for (const auto& [name, value] : spec["job_parameters"].items())
                parameters[name] = substitute_references(value.is_string() ? value.get<std::string>() : value.dump(), lookup);
            overriding["job_parameters"] = parameters;
            task.row.output["resolved_values"] = Json{{"run_job_task", {{"job_parameters", parameters}}}};
        }
        for (const auto* legacy : {"notebook_params", "python_params", "jar_params", "python_named_params"})
            if (spec.contains(legacy)) overriding[legacy] = spec[legacy];
        auto child = store_.create(NewRun{job_id, "JOB_RUN", settings->value("name", "Untitled"), *settings, overriding, std::nullopt});
        task.child_run_id = child.run_id;
        task.row.output["run_job_output"] = Json{{"run_id", child.run_id}};
    } catch (const std::exception& error) {
        return finish(task, "FAILED", error.what(), Json{{"error", error.what()}});
    }
    task.row.life_cycle_state = "RUNNING";
    store_.save(task.row);
    task.phase = Phase::Running;
    ++running_;
    auto root = root_.root();
    auto child_id = task.child_run_id;
    task.thread = std::thread([this, root, child_id, owner = &task] {
        execute_run(root, child_id);
        store::EngineRoot own(root);
        auto child = RunStore(own).require(child_id);
        Event finished;
        finished.task = owner;
        finished.child_run_id = child_id;
        finished.child_result = child.result_state.value_or("FAILED");
        finished.child_message = child.state_message;
        post(std::move(finished));
    });
}

}  // namespace brix::engine::jobs
