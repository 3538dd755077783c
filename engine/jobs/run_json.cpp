// runs/get, runs/list and runs/get-output answers, shaped as Databricks returns them.
#include <algorithm>
#include <fstream>
#include <limits>
#include <map>

#include "engine/identity/current_user.hpp"
#include "engine/jobs/repair.hpp"
#include "engine/jobs/jobs_2_0.hpp"
#include "engine/jobs/run_store.hpp"
#include "engine/jobs/service.hpp"
#include "engine/repos/git_source.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

constexpr std::uint64_t kMaxOutputBytes = 5 * 1024 * 1024;

Json state_json(const RunRow& run) {
    Json state{{"life_cycle_state", run.life_cycle_state}};
    if (run.result_state) state["result_state"] = *run.result_state;
    state["state_message"] = run.state_message;
    if (run.life_cycle_state == "QUEUED") state["queue_reason"] = run.state_message;
    state["user_cancelled_or_timedout"] = run.result_state == "CANCELED" || run.result_state == "TIMEDOUT";
    return state;
}

std::pair<std::string, std::string> termination(const RunRow& run) {
    if (run.life_cycle_state == "INTERNAL_ERROR" && run.state_message.rfind("The run's executor", 0) == 0)
        return {"INTERNAL_ERROR", "INTERNAL_ERROR"};
    auto result = run.result_state.value_or("");
    if (result == "SUCCESS") return {"SUCCESS", "SUCCESS"};
    if (result == "SUCCESS_WITH_FAILURES") return {"SUCCESS_WITH_FAILURES", "SUCCESS"};
    if (result == "CANCELED") return {"USER_CANCELED", "SUCCESS"};
    if (result == "TIMEDOUT") return {"CANCELED", "CLIENT_ERROR"};
    if (result == "MAXIMUM_CONCURRENT_RUNS_REACHED") return {"MAX_CONCURRENT_RUNS_EXCEEDED", "CLIENT_ERROR"};
    if (result == "UPSTREAM_FAILED" || result == "UPSTREAM_CANCELED" || result == "EXCLUDED" || result == "DISABLED")
        return {"SKIPPED", "SUCCESS"};
    if (run.life_cycle_state == "INTERNAL_ERROR" && result.empty()) return {"INTERNAL_ERROR", "INTERNAL_ERROR"};
    return {"RUN_EXECUTION_ERROR", "CLIENT_ERROR"};
}

Json status_json(const RunRow& run) {
    std::string state = run.life_cycle_state;
    if (state == "INTERNAL_ERROR" || state == "SKIPPED") state = "TERMINATED";
    if (state == "WAITING_FOR_RETRY") state = "WAITING";
    Json status{{"state", state}};
    if (run.life_cycle_state == "QUEUED")
        status["queue_details"] = {{"code", "MAX_CONCURRENT_RUNS_REACHED"}, {"message", run.state_message}};
    if (run.terminal()) {
        auto [code, type] = termination(run);
        status["termination_details"] = {{"code", code}, {"type", type}, {"message", run.state_message}};
    }
    return status;
}

std::string page_url(const RunStore& store, std::int64_t job_run_id, std::int64_t task_run_id = 0) {
    auto dir = store.run_dir(job_run_id);
    if (task_run_id) dir /= std::to_string(task_run_id);
    return "file://" + dir.string() + "/";
}

void add_times(Json& json, const RunRow& run) {
    json["start_time"] = run.start_time;
    json["setup_duration"] = run.setup_duration;
    json["execution_duration"] = run.execution_duration;
    json["cleanup_duration"] = 0;
    json["end_time"] = run.end_time;
    json["run_duration"] = run.end_time && run.start_time ? run.end_time - run.start_time : 0;
}

// The latest attempt of each iteration of a for-each task's run, in input order.
std::vector<RunRow> latest_iterations(RunStore& store, std::int64_t for_each_run_id) {
    std::map<std::int64_t, RunRow> latest;  // by the iteration's first attempt
    for (auto& row : store.task_runs(for_each_run_id)) {
        auto first = row.original_attempt_run_id ? row.original_attempt_run_id : row.run_id;
        latest[first] = std::move(row);
    }
    std::vector<RunRow> ordered;
    for (auto& [first, row] : latest) ordered.push_back(std::move(row));
    return ordered;
}

// for_each_task.stats: counts over the latest attempt of each iteration, and the most common
// error messages of those that failed.
Json for_each_stats(const std::vector<RunRow>& iterations) {
    std::int64_t active = 0, completed = 0, succeeded = 0, scheduled = 0;
    std::map<std::pair<std::string, std::string>, std::int64_t> errors;
    for (const auto& iteration : iterations) {
        if (iteration.terminal()) {
            ++completed;
            if (iteration.result_state == "SUCCESS") ++succeeded;
            else ++errors[{iteration.state_message, termination(iteration).first}];
        } else if (iteration.life_cycle_state == "PENDING") {
            ++scheduled;
        } else {
            ++active;
        }
    }
    auto total = static_cast<std::int64_t>(iterations.size());
    Json stats{{"task_run_stats",
                {{"total_iterations", total},
                 {"scheduled_iterations", scheduled},
                 {"active_iterations", active},
                 {"completed_iterations", completed},
                 {"succeeded_iterations", succeeded},
                 {"failed_iterations", completed - succeeded}}}};
    std::vector<std::pair<std::int64_t, Json>> common;
    for (const auto& [error, count] : errors)
        common.push_back({count, Json{{"error_message", error.first}, {"termination_category", error.second}, {"count", count}}});
    std::stable_sort(common.begin(), common.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (common.size() > 3) common.resize(3);  // Databricks samples the 3 most common
    if (!common.empty()) {
        stats["error_message_stats"] = Json::array();
        for (auto& [count, entry] : common) stats["error_message_stats"].push_back(std::move(entry));
    }
    return stats;
}

// A RunTask: the task's settings and its run. A condition task's result is its
// condition_task.outcome ("true" or "false"), as Databricks reports it. `job_run_id`: the job run
// it belongs to (an iteration's parent is its for-each task run).
Json task_json(RunStore& store, const RunRow& task, std::int64_t job_run_id, const RunView& view) {
    Json json = task.settings;
    json["run_id"] = task.run_id;
    json["attempt_number"] = task.attempt_number;
    json["state"] = state_json(task);
    json["status"] = status_json(task);
    add_times(json, task);
    if (task.outcome && json.contains("condition_task") && json["condition_task"].is_object())
        json["condition_task"]["outcome"] = *task.outcome;
    json["run_page_url"] = page_url(store, job_run_id, task.run_id);
    if (view.resolved_values && task.output.contains("resolved_values")) json["resolved_values"] = task.output["resolved_values"];
    if (!task.metrics.is_null()) json["brix_metrics"] = task.metrics;
    if (json.contains("for_each_task") && json["for_each_task"].is_object())
        json["for_each_task"]["stats"] = for_each_stats(latest_iterations(store, task.run_id));
    return json;
}

// The latest attempt of each task, in the order the settings list them.
std::vector<RunRow> latest_attempts(RunStore& store, const RunRow& job_run) {
    std::map<std::string, RunRow> latest;
    for (auto& task : store.task_runs(job_run.run_id)) latest[task.task_key] = std::move(task);
    std::vector<RunRow> ordered;
    for (const auto& task : job_run.settings.value("tasks", Json::array()))
        if (auto it = latest.find(task.value("task_key", "")); it != latest.end()) ordered.push_back(it->second);
    return ordered;
}

Json job_run_json(RunStore& store, const RunRow& run, bool with_tasks, const RunView& view) {
    Json json{{"job_id", run.job_id}, {"run_id", run.run_id}, {"number_in_job", run.run_id}};
    json["creator_user_name"] = identity::current_user();
    json["original_attempt_run_id"] = run.run_id;
    json["state"] = state_json(run);
    json["status"] = status_json(run);
    add_times(json, run);
    json["trigger"] = "ONE_TIME";
    json["run_name"] = run.run_name;
    json["run_type"] = run.run_type;
    json["run_page_url"] = page_url(store, run.run_id);
    if (run.settings.contains("parameters")) {
        Json parameters = Json::array();
        const auto overrides = run.overriding.value("job_parameters", Json::object());
        for (const auto& parameter : run.settings["parameters"]) {
            auto name = parameter.value("name", "");
            auto value = overrides.contains(name) ? overrides[name] : parameter.value("default", Json(""));
            parameters.push_back(Json{{"name", name}, {"default", parameter.value("default", "")}, {"value", value}});
        }
        json["job_parameters"] = std::move(parameters);
    }
    // job_parameters values show in job_parameters above; the rest are the run's RunParameters.
    Json overriding = run.overriding;
    overriding.erase("job_parameters");
    if (!overriding.empty()) json["overriding_parameters"] = std::move(overriding);
    if (run.settings.contains("git_source")) {
        json["git_source"] = run.settings["git_source"];
        if (auto commit = repos::used_commit(store.root(), run.run_id))
            json["git_source"]["git_snapshot"] = Json{{"used_commit", *commit}};
    }
    auto tasks = latest_attempts(store, run);
    if (view.jobs_2_0 && is_single_task(run.settings)) {
        show_single_task_run(json, run.settings, tasks.empty() ? nullptr : &tasks.front().settings);
        if (!tasks.empty()) {
            json["setup_duration"] = tasks.front().setup_duration;
            json["execution_duration"] = tasks.front().execution_duration;
        }
    } else if (with_tasks) {
        Json listed = Json::array();
        for (const auto& task : tasks) listed.push_back(task_json(store, task, run.run_id, view));
        json["tasks"] = std::move(listed);
    }
    return json;
}

// repair_history: the original run, then each repair, each with its state and its task runs.
// A repair's task runs are those from its first_task_run_id up to the next repair's.
Json repair_history(RunStore& store, const RunRow& run) {
    auto repairs = repairs_of(store.root(), run.run_id);
    auto tasks = store.task_runs(run.run_id);
    Json history = Json::array();
    for (std::size_t i = 0; i <= repairs.size(); ++i) {
        auto from = i == 0 ? 0 : repairs[i - 1].first_task_run_id;
        auto to = i < repairs.size() ? repairs[i].first_task_run_id : std::numeric_limits<std::int64_t>::max();
        // The state this attempt ended in: kept by the next repair, or the run's own for the last.
        auto ended = run;
        if (i < repairs.size()) {
            const auto& previous = repairs[i].previous;
            ended.life_cycle_state = previous.value("life_cycle_state", "");
            ended.result_state = previous.contains("result_state") ? std::optional<std::string>(previous["result_state"]) : std::nullopt;
            ended.state_message = previous.value("state_message", "");
            ended.end_time = previous.value("end_time", std::int64_t{0});
        }
        Json item{{"type", i == 0 ? "ORIGINAL" : "REPAIR"}};
        if (i > 0) item["id"] = repairs[i - 1].repair_id;
        item["start_time"] = i == 0 ? run.start_time : repairs[i - 1].created_time;
        item["end_time"] = ended.end_time;
        item["state"] = state_json(ended);
        item["status"] = status_json(ended);
        Json ids = Json::array();
        for (const auto& task : tasks)
            if (task.run_id >= from && task.run_id < to) ids.push_back(task.run_id);
        item["task_run_ids"] = std::move(ids);
        history.push_back(std::move(item));
    }
    return history;
}

// A task run asked for by its own run ID: a Run whose tasks[] holds that one task run (and, for a
// for-each task, whose iterations[] hold its iterations).
Json task_run_json(RunStore& store, const RunRow& task, std::int64_t job_run_id, const RunView& view) {
    Json json{{"job_id", task.job_id}, {"run_id", task.run_id}, {"job_run_id", job_run_id}};
    json["creator_user_name"] = identity::current_user();
    json["attempt_number"] = task.attempt_number;
    json["original_attempt_run_id"] = task.original_attempt_run_id ? task.original_attempt_run_id : task.run_id;
    json["state"] = state_json(task);
    json["status"] = status_json(task);
    add_times(json, task);
    json["run_name"] = task.run_name;
    json["run_page_url"] = page_url(store, job_run_id, task.run_id);
    json["tasks"] = Json::array({task_json(store, task, job_run_id, view)});
    if (task.settings.contains("for_each_task")) {  // a for-each task's run also lists its iterations
        Json iterations = Json::array();
        for (const auto& iteration : latest_iterations(store, task.run_id)) iterations.push_back(task_json(store, iteration, job_run_id, view));
        json["iterations"] = std::move(iterations);
    }
    return json;
}

std::string read_tail(const fs::path& file, bool& truncated) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    truncated = false;
    if (!in) return "";
    auto size = static_cast<std::uint64_t>(in.tellg());
    auto start = size > kMaxOutputBytes ? size - kMaxOutputBytes : 0;
    truncated = start > 0;
    in.seekg(static_cast<std::streamoff>(start));
    std::string out(size - start, '\0');
    in.read(out.data(), static_cast<std::streamsize>(out.size()));
    return out;
}

}  // namespace

Json RunStore::run_json(std::int64_t run_id, const RunView& view) {
    auto run = require(run_id);
    if (run.parent_run_id) {
        auto job_run = require(job_run_id_of(run));
        recover_if_orphaned(job_run);
        run = require(run_id);
        return task_run_json(*this, run, job_run.run_id, view);
    }
    recover_if_orphaned(run);
    auto json = job_run_json(*this, run, true, view);
    if (view.include_history) json["repair_history"] = repair_history(*this, run);
    return json;
}

// Page tokens name the run a page ends at, so pages stay put while new runs start and each
// page costs the same however deep into the listing it is: "older.<run_id>" lists the runs after
// that run (next_page_token), "newer.<run_id>" the runs before it (prev_page_token).
Json RunStore::list_json(const api::Request& request, const RunView& view) {
    auto param = [&](const char* key) { return request.param(key); };
    auto flag = [&](const char* key) {
        auto value = param(key);
        if (!value || *value == "false" || *value == "False" || *value == "0") return false;
        if (*value == "true" || *value == "True" || *value == "1") return true;
        throw api::invalid_parameter(std::string(key) + " must be true or false");
    };
    auto number = [](const char* key, const std::string& text) {
        try {
            std::size_t used = 0;
            auto value = static_cast<std::int64_t>(std::stoll(text, &used));
            if (used == text.size()) return value;
        } catch (const std::exception&) {
        }
        throw api::invalid_parameter(std::string(key) + " must be an integer");
    };
    auto optional_number = [&](const char* key) -> std::optional<std::int64_t> {
        auto value = param(key);
        if (!value || value->empty()) return std::nullopt;
        return number(key, *value);
    };
    RunListQuery query;
    query.active_only = flag("active_only");
    query.completed_only = flag("completed_only");
    if (query.active_only && query.completed_only)
        throw api::invalid_parameter("active_only and completed_only cannot both be true");
    query.limit = optional_number("limit").value_or(20);
    if (query.limit < 0 || query.limit > 1000) throw api::invalid_parameter("limit must be between 0 and 1000");
    if (query.limit == 0) query.limit = 1000;
    query.offset = optional_number("offset").value_or(0);
    if (query.offset < 0) throw api::invalid_parameter("offset cannot be negative");
    query.job_id = optional_number("job_id").value_or(0);
    query.run_type = param("run_type");
    if (query.run_type && *query.run_type != "JOB_RUN" && *query.run_type != "SUBMIT_RUN" && *query.run_type != "WORKFLOW_RUN")
        throw api::invalid_parameter("run_type must be JOB_RUN, WORKFLOW_RUN or SUBMIT_RUN");
    query.start_time_from = optional_number("start_time_from");
    query.start_time_to = optional_number("start_time_to");
    if (auto token = param("page_token"); token && !token->empty()) {
        auto dot = token->find('.');
        auto direction = token->substr(0, dot == std::string::npos ? 0 : dot);
        if (direction != "older" && direction != "newer") throw api::invalid_parameter("page_token is not valid");
        auto run_id = number("page_token", token->substr(dot + 1));
        (direction == "older" ? query.older_than : query.newer_than) = run_id;
        query.offset = 0;
    }

    auto page = list_page(query);
    Json runs = Json::array();
    bool expand = flag("expand_tasks");
    for (auto& run : page.runs) {
        recover_if_orphaned(run);
        runs.push_back(job_run_json(*this, run, expand, view));
    }
    Json result = Json::object();
    if (!runs.empty()) result["runs"] = std::move(runs);
    result["has_more"] = page.has_older;
    if (page.has_older) result["next_page_token"] = "older." + std::to_string(page.runs.back().run_id);
    if (page.has_newer) result["prev_page_token"] = "newer." + std::to_string(page.runs.front().run_id);
    return result;
}

// In Jobs API 2.0 the run of a single-task job has the output of its one task, and its metadata
// is the job run in the 2.0 shape; 2.1 and 2.2 answer only for task runs.
Json RunStore::output_json(std::int64_t run_id, const RunView& view) {
    auto run = require(run_id);
    Json metadata;
    if (!run.parent_run_id) {
        recover_if_orphaned(run);
        auto tasks = latest_attempts(*this, run);
        bool single = tasks.size() == 1 && (view.jobs_2_0 || is_single_task(run.settings));
        if (!single)
            throw api::invalid_parameter(
                "Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of "
                "each individual task run instead.");
        if (view.jobs_2_0) metadata = run_json(run.run_id, view);
        run = tasks.front();
    }
    Json output{{"metadata", metadata.is_null() ? run_json(run.run_id, view) : std::move(metadata)}};
    run = require(run.run_id);
    for (const auto& field : {"notebook_output", "error", "error_trace", "run_job_output"})
        if (run.output.contains(field)) output[field] = run.output[field];
    if (run.task_pid || run.terminal()) {
        bool truncated = false;
        auto logs = read_tail(run_dir(job_run_id_of(run)) / std::to_string(run.run_id) / "output.log", truncated);
        output["logs"] = logs;
        output["logs_truncated"] = truncated;
    }
    return output;
}

}  // namespace brix::engine::jobs
