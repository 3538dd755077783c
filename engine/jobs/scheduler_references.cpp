// What {{...}} references mean inside one job run.
#include <ctime>

#include "engine/jobs/repair.hpp"
#include "engine/jobs/scheduler.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

std::string time_part(std::int64_t ms, const char* format) {
    std::time_t seconds = ms / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::strftime(text, sizeof text, format, &utc);
    return text;
}

}  // namespace

std::optional<std::string> Scheduler::reference(const Task& task, const std::string& name) {
    auto start = run_.start_time ? run_.start_time : store::now_ms();
    static const std::map<std::string, const char*> time_formats = {
        {"iso_date", "%Y-%m-%d"}, {"iso_datetime", "%Y-%m-%dT%H:%M:%S"}, {"year", "%Y"},   {"month", "%m"},
        {"day", "%d"},            {"hour", "%H"},                        {"minute", "%M"}, {"second", "%S"}};
    auto time_key = [&](const std::string& key) -> std::optional<std::string> {
        if (auto it = time_formats.find(key); it != time_formats.end()) return time_part(start, it->second);
        if (key == "timestamp_ms") return std::to_string(start);
        if (key == "iso_weekday") return std::to_string((std::stoi(time_part(start, "%u"))));
        if (key == "is_weekday") return std::stoi(time_part(start, "%u")) <= 5 ? "true" : "false";
        return std::nullopt;
    };
    if (name == "job.id" || name == "job_id") return run_.job_id ? std::to_string(run_.job_id) : "";
    if (name == "job.name" || name == "job_name") return run_.run_name;
    if (name == "job.run_id" || name == "parent_run_id") return std::to_string(run_.run_id);
    if (name == "job.repair_count") return std::to_string(repairs_of(root_, run_.run_id).size());
    if (name == "job.trigger.type") return "ONE_TIME";
    if (name.rfind("job.start_time.", 0) == 0) return time_key(name.substr(15));
    if (name.rfind("job.trigger.time.", 0) == 0) return time_key(name.substr(17));
    if (name.rfind("job.parameters.", 0) == 0) {
        auto it = context_.job_parameters.find(name.substr(15));
        if (it != context_.job_parameters.end()) return it->second;
        return std::nullopt;
    }
    if (name == "start_date") return time_part(start, "%Y-%m-%d");
    if (name == "start_time") return std::to_string(start);
    if (name == "task.name" || name == "task_key") return task.key;
    if (name == "task.run_id" || name == "run_id") return std::to_string(task.row.run_id);
    if (name == "task.execution_count") return std::to_string(task.row.attempt_number + 1);
    if (name == "task_retry_count") return std::to_string(task.row.attempt_number);
    if (name == "task.notebook_path") return task.spec.value("notebook_task", Json::object()).value("notebook_path", "");
    if (name == "workspace.id") return "0";
    if (name == "workspace.url") return "file://" + root_.root().string();
    if (name.rfind("tasks.", 0) == 0) {
        auto rest = name.substr(6);
        for (const auto& [key, other] : by_key_) {
            if (rest.rfind(key + ".", 0) != 0) continue;
            auto field = rest.substr(key.size() + 1);
            if (field == "run_id") return std::to_string(other->row.run_id);
            if (field == "result_state") return other->result;
            if (field == "execution_count") return std::to_string(other->row.attempt_number + 1);
            if (field == "error_code") return other->result == "SUCCESS" ? "" : other->result;
            if (field.rfind("values.", 0) == 0) {
                auto stmt = root_.db().prepare("SELECT value FROM task_values WHERE job_run_id = ? AND task_key = ? AND key = ?");
                stmt.bind(1, run_.run_id).bind(2, key).bind(3, field.substr(7));
                if (!stmt.step()) return std::nullopt;
                auto value = Json::parse(stmt.text(0), nullptr, false);
                return value.is_string() ? value.get<std::string>() : stmt.text(0);
            }
        }
    }
    return std::nullopt;
}

}  // namespace brix::engine::jobs
