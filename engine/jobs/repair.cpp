#include "engine/jobs/repair.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>

#include "engine/jobs/process_info.hpp"
#include "engine/jobs/run_parameters.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

// Results a task keeps through rerun_all_failed_tasks: it succeeded, or was rightly left out.
const std::set<std::string> kKeptResults = {"SUCCESS", "EXCLUDED", "DISABLED"};

void check_latest_repair(store::EngineRoot& root, const RepairRequest& request) {
    auto repairs = repairs_of(root, request.run_id);
    auto run = std::to_string(request.run_id);
    if (repairs.empty()) {
        if (request.latest_repair_id)
            throw api::invalid_parameter("Run " + run + " has not been repaired: latest_repair_id " +
                                         std::to_string(*request.latest_repair_id) + " names no repair of it");
        return;
    }
    if (!request.latest_repair_id)
        throw api::invalid_parameter("The latest repair ID needs to be provided in order to create a new repair (run " + run +
                                     " was last repaired by repair " + std::to_string(repairs.back().repair_id) + ")");
    if (*request.latest_repair_id != repairs.back().repair_id)
        throw api::invalid_parameter("latest_repair_id " + std::to_string(*request.latest_repair_id) +
                                     " is not the latest repair of run " + run + ": that is " +
                                     std::to_string(repairs.back().repair_id));
}

// The task keys to run again, in the order the settings list them.
std::vector<std::string> tasks_to_rerun(RunStore& runs, const RepairRequest& request, const Json& settings) {
    if (request.rerun_tasks && request.rerun_all_failed_tasks)
        throw api::invalid_parameter("Only one of rerun_tasks or rerun_all_failed_tasks can be used");
    if (!request.rerun_tasks && !request.rerun_all_failed_tasks)
        throw api::invalid_parameter("Say which tasks to repair: rerun_tasks or rerun_all_failed_tasks");
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> dependants;
    for (const auto& task : settings.value("tasks", Json::array())) {
        order.push_back(task.value("task_key", ""));
        for (const auto& dep : task.value("depends_on", Json::array())) dependants[dep.value("task_key", "")].push_back(order.back());
    }
    std::map<std::string, std::string> results;
    for (const auto& row : runs.task_runs(request.run_id)) results[row.task_key] = row.result_state.value_or("");
    std::set<std::string> chosen;
    if (request.rerun_tasks) {
        if (request.rerun_tasks->empty()) throw api::invalid_parameter("rerun_tasks is empty: name the tasks to repair");
        std::string unknown;
        for (const auto& key : *request.rerun_tasks) {
            if (std::find(order.begin(), order.end(), key) == order.end()) unknown += (unknown.empty() ? "" : ", ") + key;
            chosen.insert(key);
        }
        if (!unknown.empty())
            throw api::invalid_parameter("rerun_tasks names tasks the job does not have: " + unknown);
    } else {
        for (const auto& key : order)
            if (results.count(key) && !kKeptResults.count(results[key])) chosen.insert(key);
        if (chosen.empty())
            throw api::invalid_parameter("Run " + std::to_string(request.run_id) + " has no failed tasks to repair");
    }
    // A task the job gained since the run has no result to keep: it runs in any repair.
    for (const auto& key : order)
        if (!results.count(key)) chosen.insert(key);
    if (request.rerun_dependent_tasks) {
        std::vector<std::string> pending(chosen.begin(), chosen.end());
        while (!pending.empty()) {
            auto key = pending.back();
            pending.pop_back();
            for (const auto& next : dependants[key])
                if (chosen.insert(next).second) pending.push_back(next);
        }
    }
    std::vector<std::string> keys;
    for (const auto& key : order)
        if (chosen.count(key)) keys.push_back(key);
    return keys;
}

}  // namespace

std::vector<RepairRecord> repairs_of(store::EngineRoot& root, std::int64_t run_id) {
    auto stmt = root.db().prepare(
        "SELECT repair_id, created_time, first_task_run_id, previous FROM run_repairs WHERE run_id = ? ORDER BY repair_id");
    stmt.bind(1, run_id);
    std::vector<RepairRecord> repairs;
    while (stmt.step())
        repairs.push_back({stmt.integer(0), stmt.integer(1), stmt.integer(2), Json::parse(stmt.text(3))});
    return repairs;
}

std::int64_t prepare_repair(JobsService& jobs, RunStore& runs, const RepairRequest& request) {
    auto run = runs.require(request.run_id);
    if (run.parent_run_id)
        throw api::invalid_parameter("Run " + std::to_string(run.run_id) + " is a task run: repair its job run " +
                                     std::to_string(runs.job_run_id_of(run)));
    runs.recover_if_orphaned(run);
    if (!run.terminal())
        throw api::ApiError(400, "INVALID_STATE", "Run " + std::to_string(run.run_id) + " is still " + run.life_cycle_state +
                                                      ": a run can be repaired once it has ended");
    auto& root = runs.root();
    check_latest_repair(root, request);
    // Tasks run again with the job's current settings (a one-time run keeps its own).
    auto settings = run.settings;
    if (run.job_id) {
        auto current = jobs.find_settings(run.job_id);
        if (!current) throw job_not_found(run.job_id);
        settings = *current;
    }
    auto overriding = run.overriding;
    auto given = overriding_parameters(request.body, settings);
    for (const auto& [field, value] : given.items()) overriding[field] = value;
    auto keys = tasks_to_rerun(runs, request, settings);
    std::map<std::string, Json> specs;
    for (const auto& task : settings.value("tasks", Json::array())) specs[task.value("task_key", "")] = task;

    Json previous{{"life_cycle_state", run.life_cycle_state}, {"state_message", run.state_message}, {"end_time", run.end_time}};
    if (run.result_state) previous["result_state"] = *run.result_state;
    std::int64_t repair_id = 0;
    auto& db = root.db();
    db.write_transaction([&] {
        auto now = store::now_ms();
        db.prepare("INSERT INTO run_repairs (run_id, created_time, first_task_run_id, previous) VALUES (?, ?, 0, ?)")
            .bind(1, run.run_id)
            .bind(2, now)
            .bind(3, previous.dump())
            .run();
        repair_id = db.last_insert_id();
        std::int64_t first = 0;
        for (const auto& key : keys) {
            auto id = runs.insert_child_run(run, specs[key]);
            if (!first) first = id;
            db.prepare("DELETE FROM task_values WHERE job_run_id = ? AND task_key = ?").bind(1, run.run_id).bind(2, key).run();
        }
        db.prepare("UPDATE run_repairs SET first_task_run_id = ? WHERE repair_id = ?").bind(1, first).bind(2, repair_id).run();
        // Back to PENDING, answered for by this process until the executor takes over (as a new run is).
        db.prepare("UPDATE runs SET settings = ?, overriding = ?, life_cycle_state = 'PENDING', result_state = NULL, "
                   "state_message = '', end_time = 0, cancel_requested = 0, executor_pid = ?, executor_started = ? "
                   "WHERE run_id = ?")
            .bind(1, settings.dump())
            .bind(2, overriding.dump())
            .bind(3, std::int64_t{::getpid()})
            .bind(4, process_start_time(::getpid()))
            .bind(5, run.run_id)
            .run();
    });
    return repair_id;
}

}  // namespace brix::engine::jobs
