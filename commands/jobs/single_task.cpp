#include "commands/jobs/single_task.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <vector>

#include "api/schema.hpp"
#include "cli/context.hpp"

namespace brix::commands::jobs {
namespace {

using api::Json;

constexpr std::size_t kLongestTaskKey = 100;  // the Jobs API refuses longer keys

const Json& route_body(const char* path) {
    const auto* route = api::schema::find_route("POST", path);
    if (!route || !route->body.is_object()) throw std::logic_error(std::string("the API table lacks POST ") + path);
    return route->body;
}

const Json& fields_of(const Json& spec) {
    if (spec.is_string()) {
        const auto* named = api::schema::type(spec.get<std::string>());
        if (!named) throw std::logic_error("the API table lacks the type " + spec.get<std::string>());
        return fields_of(*named);
    }
    return spec.at("fields");
}

// The fields of the task type (the element type of the settings' tasks[]) that the settings
// lack, and timeout_seconds: a 2.0 job's timeout applies to each run of its one task, each
// retry being a run, which is what a task's timeout does in 2.1.
std::vector<std::string> task_fields(const Json& settings_spec) {
    const auto& settings = fields_of(settings_spec);
    const auto& tasks_type = settings.at("tasks").at("type");
    std::vector<std::string> fields;
    for (const auto& [name, unused] : fields_of(tasks_type.at(1)).items())
        if (name == "timeout_seconds" || !settings.contains(name)) fields.push_back(name);
    return fields;
}

}  // namespace

const Json& job_create_spec() { return route_body("/api/2.2/jobs/create"); }

const Json& job_settings_spec() {
    static const Json spec = Json("jobs.JobSettings");
    return spec;
}

const Json& run_submit_spec() { return route_body("/api/2.2/jobs/runs/submit"); }

std::string task_key_for(const std::string& name) {
    std::string key = name.substr(0, kLongestTaskKey);
    for (auto& c : key)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
    return key.empty() ? "Untitled" : key;
}

Json to_multi_task(const Json& document, const Json& settings_spec) {
    if (!document.is_object()) return document;
    std::vector<std::string> found;
    for (const auto& field : task_fields(settings_spec))
        if (document.contains(field) && field != "timeout_seconds") found.push_back(field);
    if (found.empty()) return document;
    if (document.contains("tasks")) {
        std::string names;
        for (const auto& field : found) names += (names.empty() ? "" : ", ") + field;
        throw cli::UsageError("the JSON has tasks and, at the top level, the task fields of the Jobs API 2.0 format (" + names +
                              "): move them into a task");
    }
    Json settings = Json::object();
    Json task = Json::object();
    auto name = document.contains("name") ? document.value("name", "") : document.value("run_name", "");
    task["task_key"] = task_key_for(name);
    auto fields = task_fields(settings_spec);
    for (const auto& [key, value] : document.items()) {
        bool in_task = std::find(fields.begin(), fields.end(), key) != fields.end();
        (in_task ? task : settings)[key] = value;
    }
    settings["tasks"] = Json::array({std::move(task)});
    return settings;
}

}  // namespace brix::commands::jobs
