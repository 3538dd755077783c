#include "engine/jobs/jobs_2_0.hpp"

#include "api/schema.hpp"
#include "engine/jobs/job_settings.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

// The schema's specs of a document and of its tasks. Runs are submitted with SubmitTasks in a
// body of their own; jobs hold Tasks in JobSettings.
struct DocumentSpecs {
    Json document;
    Json task;
};

const DocumentSpecs& specs(JobDocument kind) {
    static const DocumentSpecs settings{Json("jobs.JobSettings"), Json("jobs.Task")};
    static const DocumentSpecs submit = [] {
        const auto* route = api::schema::find_route("POST", "/api/2.2/jobs/runs/submit");
        return DocumentSpecs{route ? route->body : Json("any"), Json("jobs.SubmitTask")};
    }();
    return kind == JobDocument::Settings ? settings : submit;
}

// Compute and libraries of a 2.0 single-task run: its cluster_spec.
const std::vector<std::string> kClusterSpecFields = {"existing_cluster_id", "new_cluster", "job_cluster_key", "libraries"};

}  // namespace

bool is_jobs_2_0(const api::Request& request) { return request.path.rfind("/api/2.0/", 0) == 0; }

std::vector<std::string> single_task_fields(const Json& document, JobDocument kind) {
    std::vector<std::string> found;
    if (!document.is_object()) return found;
    const auto& spec = specs(kind);
    for (const auto& [name, value] : document.items())
        if (name != "task_key" && !api::schema::is_known_field(spec.document, name) && api::schema::is_known_field(spec.task, name))
            found.push_back(name);
    return found;
}

Json normalize_settings(Json settings, JobDocument kind) {
    if (!settings.is_object() || settings.contains("tasks")) return settings;
    auto fields = single_task_fields(settings, kind);
    auto type = task_type_of(settings);
    if (type.empty()) return settings;
    Json task{{"task_key", type == "notebook_task" ? "notebook" : "main"}};
    for (const auto& field : fields) {
        task[field] = settings[field];
        settings.erase(field);
    }
    settings["tasks"] = Json::array({task});
    settings["format"] = "SINGLE_TASK";
    return settings;
}

void refuse_single_task_fields(const Json& document, JobDocument kind, const std::string& where) {
    auto fields = single_task_fields(document, kind);
    if (fields.empty()) return;
    std::string names;
    for (const auto& field : fields) names += (names.empty() ? "" : ", ") + where + field;
    throw api::invalid_parameter(
        "Jobs API 2.1 and 2.2 take tasks only inside tasks[]: " + names +
        (fields.size() == 1 ? " is a field" : " are fields") + " of the Jobs API 2.0 single-task format. Move " + (fields.size() == 1 ? "it" : "them") +
        " into a task of " + where + "tasks (with a task_key), or send the document to /api/2.0/jobs/...");
}

bool is_single_task(const Json& settings) {
    return settings.value("format", "") == "SINGLE_TASK" && settings.contains("tasks") && settings["tasks"].is_array() &&
           settings["tasks"].size() == 1;
}

Json single_task_view(Json settings) {
    if (!is_single_task(settings)) return settings;
    auto task = settings["tasks"][0];
    settings.erase("tasks");
    for (const auto& [field, value] : task.items())
        if (field != "task_key" && !settings.contains(field)) settings[field] = value;
    return settings;
}

void show_single_task_run(Json& run, const Json& settings, const Json* task_settings) {
    const Json& task = task_settings ? *task_settings : settings["tasks"][0];
    auto type = task_type_of(task);
    if (!type.empty()) run["task"] = Json{{type, task[type]}};
    Json cluster_spec = Json::object();
    for (const auto& field : kClusterSpecFields)
        if (task.contains(field)) cluster_spec[field] = task[field];
    if (!cluster_spec.empty()) run["cluster_spec"] = std::move(cluster_spec);
    run.erase("tasks");
}

}  // namespace brix::engine::jobs
