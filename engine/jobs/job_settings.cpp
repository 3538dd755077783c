#include "engine/jobs/job_settings.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "engine/clusters/service.hpp"
#include "engine/jobs/for_each.hpp"
#include "engine/jobs/task_files.hpp"
#include "engine/repos/git_source.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

const std::set<std::string> kRunIf = {"ALL_SUCCESS", "AT_LEAST_ONE_SUCCESS", "NONE_FAILED",
                                      "ALL_DONE",    "AT_LEAST_ONE_FAILED",  "ALL_FAILED"};
const std::set<std::string> kConditionOps = {"EQUAL_TO",  "NOT_EQUAL",          "GREATER_THAN",
                                             "GREATER_THAN_OR_EQUAL", "LESS_THAN", "LESS_THAN_OR_EQUAL"};

api::ApiError bad(const std::string& message) { return api::invalid_parameter(message); }

bool valid_key(const std::string& key) {
    return !key.empty() && key.size() <= 100 &&
           std::all_of(key.begin(), key.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; });
}

// Numbers the executor reads as integers: anything else would only fail once the run is going.
void check_integer(const Json& object, const char* field, std::int64_t minimum, const std::string& where) {
    if (!object.contains(field) || object[field].is_null()) return;
    if (!object[field].is_number_integer() || object[field].get<std::int64_t>() < minimum)
        throw bad(where + field + " must be an integer of at least " + std::to_string(minimum));
}

bool valid_parameter_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

// The task's own fields the executor acts on, type by type.
void validate_task_fields(const Json& task, const std::string& key) {
    auto where = "Task " + key + ": ";
    check_integer(task, "timeout_seconds", 0, where);
    check_integer(task, "max_retries", -1, where);
    check_integer(task, "min_retry_interval_millis", 0, where);
    if (task.contains("retry_on_timeout") && !task["retry_on_timeout"].is_boolean())
        throw bad(where + "retry_on_timeout must be true or false");
    if (task.contains("depends_on") && !task["depends_on"].is_array()) throw bad(where + "depends_on must be a list");
    for (const auto& dep : task.value("depends_on", Json::array()))
        if (dep.is_object() && dep.contains("outcome") && dep["outcome"] != "true" && dep["outcome"] != "false")
            throw bad(where + "a dependency's outcome must be \"true\" or \"false\"");
    auto type = task_type_of(task);
    if (type.empty() || !task[type].is_object()) return;
    const auto& spec = task[type];
    if (spec.contains("source") && spec["source"] != "WORKSPACE" && spec["source"] != "GIT")
        throw bad(where + type + ".source must be WORKSPACE or GIT");
    if (spec.contains("parameters") && !spec["parameters"].is_array() && !spec["parameters"].is_object())
        throw bad(where + type + ".parameters must be a list");
}

bool uses_git(const Json& settings, const Json& task, const std::string& type) {
    auto source = task[type].value("source", settings.contains("git_source") ? "GIT" : "WORKSPACE");
    return source == "GIT";
}

void validate_code_paths(store::EngineRoot& root, const Json& settings, const Json& task, const std::string& key) {
    auto type = task_type_of(task);
    if (type == "spark_python_task") {
        const auto& file = task[type].value("python_file", Json());
        if (!file.is_string() || file.get<std::string>().empty())
            throw bad("Task " + key + ": spark_python_task.python_file is required");
        if (!uses_git(settings, task, type) && !resolve_task_file(root, file.get<std::string>()))
            throw bad("Task " + key + ": python_file " + file.get<std::string>() + " does not exist");
    } else if (type == "notebook_task") {
        const auto& path = task[type].value("notebook_path", Json());
        if (!path.is_string() || path.get<std::string>().empty())
            throw bad("Task " + key + ": notebook_task.notebook_path is required");
        if (!uses_git(settings, task, type)) {
            auto found = resolve_task_file(root, path.get<std::string>());
            if (!found || found->object_type != "NOTEBOOK")
                throw bad("Task " + key + ": " + path.get<std::string>() + " is not a notebook");
        }
        const auto parameters = task[type].value("base_parameters", Json::object());
        for (const auto& [name, value] : parameters.items())
            if (!value.is_string())
                throw bad("Task " + key + ": base_parameters." + name + " must be a string (widget values are strings)");
    } else if (type == "condition_task") {
        const auto& condition = task[type];
        if (!kConditionOps.count(condition.value("op", "")))
            throw bad("Task " + key + ": condition_task.op must be one of EQUAL_TO, NOT_EQUAL, GREATER_THAN, "
                      "GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL");
        if (!condition.contains("left") || !condition.contains("right"))
            throw bad("Task " + key + ": condition_task needs left and right");
    } else if (type == "python_wheel_task") {
        if (!task[type].contains("package_name") || !task[type].contains("entry_point"))
            throw bad("Task " + key + ": python_wheel_task needs package_name and entry_point");
    } else if (type == "run_job_task") {
        if (!task[type].contains("job_id")) throw bad("Task " + key + ": run_job_task.job_id is required");
    }
}

// The compute a task names must exist: an existing cluster, or a key of the job's job_clusters.
void validate_compute(store::EngineRoot& root, const Json& settings, const Json& task, const std::string& key) {
    if (task.contains("existing_cluster_id") && !task["existing_cluster_id"].is_null()) {
        const auto& id = task["existing_cluster_id"];
        if (!id.is_string() || id.get<std::string>().empty()) throw bad("Task " + key + ": existing_cluster_id must be a cluster id");
        if (!clusters::cluster_exists(root, id.get<std::string>()))
            throw bad("Task " + key + ": cluster " + id.get<std::string>() + " does not exist");
    }
    if (task.contains("job_cluster_key") && !task["job_cluster_key"].is_null()) {
        auto cluster_key = task["job_cluster_key"].is_string() ? task["job_cluster_key"].get<std::string>() : "";
        bool defined = false;
        for (const auto& cluster : settings.value("job_clusters", Json::array()))
            defined = defined || (cluster.is_object() && cluster.value("job_cluster_key", "") == cluster_key);
        if (!defined) throw bad("Task " + key + ": job_cluster_key '" + cluster_key + "' is not defined in job_clusters");
    }
}

// for_each_task: inputs and concurrency, then the nested task, checked as a task of its own.
void validate_for_each(store::EngineRoot& root, const Json& settings, const Json& task, const std::string& key) {
    const auto& for_each = task["for_each_task"];
    check_for_each_settings(for_each, key);
    const auto& nested = for_each["task"];
    if (!nested.contains("task_key") || !nested["task_key"].is_string() || !valid_key(nested["task_key"].get<std::string>()))
        throw bad("Task " + key + ": for_each_task.task needs a task_key of letters, digits, _ and - (at most 100)");
    auto nested_key = nested["task_key"].get<std::string>();
    int types = 0;
    for (const auto& type : task_types()) types += nested.contains(type);
    if (types != 1) throw bad("Task " + key + ": for_each_task.task must have exactly one task type");
    validate_task_fields(nested, nested_key);
    validate_code_paths(root, settings, nested, nested_key);
    validate_compute(root, settings, nested, nested_key);
}

}  // namespace

const std::vector<std::string>& task_types() {
    static const std::vector<std::string> types = {
        "notebook_task",  "spark_python_task", "python_wheel_task", "spark_jar_task", "spark_submit_task",
        "sql_task",       "run_job_task",      "condition_task",    "pipeline_task",  "dbt_task",
        "for_each_task",  "dashboard_task"};
    return types;
}

std::string task_type_of(const Json& task) {
    for (const auto& type : task_types())
        if (task.contains(type)) return type;
    return "";
}

std::vector<std::string> topological_order(const Json& tasks) {
    std::map<std::string, int> pending;
    std::map<std::string, std::vector<std::string>> dependants;
    std::vector<std::string> keys;
    for (const auto& task : tasks) {
        auto key = task.value("task_key", "");
        keys.push_back(key);
        pending[key] = 0;
    }
    for (const auto& task : tasks)
        for (const auto& dep : task.value("depends_on", Json::array())) {
            ++pending[task.value("task_key", "")];
            dependants[dep.value("task_key", "")].push_back(task.value("task_key", ""));
        }
    std::vector<std::string> order;
    for (const auto& key : keys)
        if (pending[key] == 0) order.push_back(key);
    for (std::size_t i = 0; i < order.size(); ++i)
        for (const auto& next : dependants[order[i]])
            if (--pending[next] == 0) order.push_back(next);
    return order;
}

void validate_settings(store::EngineRoot& root, const Json& settings) {
    if (!settings.is_object()) throw bad("Job settings must be a JSON object");
    if (settings.contains("name") && !settings["name"].is_string()) throw bad("name must be a string");
    if (settings.contains("max_concurrent_runs") &&
        (!settings["max_concurrent_runs"].is_number_integer() || settings["max_concurrent_runs"].get<std::int64_t>() < 0 ||
         settings["max_concurrent_runs"].get<std::int64_t>() > 1000))
        throw bad("max_concurrent_runs must be an integer from 0 to 1000");
    check_integer(settings, "timeout_seconds", 0, "");
    for (const auto& parameter : settings.value("parameters", Json::array())) {
        if (!parameter.is_object() || !parameter.contains("name") || !parameter["name"].is_string() ||
            !parameter.contains("default") || !parameter["default"].is_string())
            throw bad("Each job parameter needs a string name and a string default");
        if (!valid_parameter_name(parameter["name"].get<std::string>()))
            throw bad("Invalid job parameter name '" + parameter["name"].get<std::string>() +
                      "': use letters, digits, _, - and .");
    }
    if (settings.contains("git_source")) repos::check_git_source(settings["git_source"]);
    const auto& tasks = settings.value("tasks", Json::array());
    if (!tasks.is_array()) throw bad("tasks must be an array");
    if (tasks.size() > 1000) throw bad("A job has at most 1000 tasks");
    std::set<std::string> keys;
    for (const auto& task : tasks) {
        if (!task.is_object()) throw bad("Each task must be a JSON object");
        if (!task.contains("task_key") || !task["task_key"].is_string())
            throw bad("Each task needs a task_key");
        auto key = task["task_key"].get<std::string>();
        if (!valid_key(key)) throw bad("Invalid task_key '" + key + "': use letters, digits, _ and - (at most 100)");
        if (!keys.insert(key).second) throw bad("Duplicate task_key '" + key + "'");
        int types = 0;
        for (const auto& type : task_types()) types += task.contains(type);
        if (types != 1)
            throw bad("Task " + key + " must have exactly one task type (notebook_task, spark_python_task, "
                      "python_wheel_task, run_job_task, condition_task, ...)");
        if (task.contains("run_if") && (!task["run_if"].is_string() || !kRunIf.count(task["run_if"].get<std::string>())))
            throw bad("Task " + key + ": invalid run_if " + task["run_if"].dump());
        validate_task_fields(task, key);
    }
    for (const auto& task : tasks) {
        for (const auto& dep : task.value("depends_on", Json::array())) {
            auto target = dep.is_object() ? dep.value("task_key", "") : "";
            if (!keys.count(target))
                throw bad("Task " + task["task_key"].get<std::string>() + " depends on " +
                          (target.empty() ? "a task without task_key" : "unknown task '" + target + "'"));
        }
        validate_code_paths(root, settings, task, task["task_key"].get<std::string>());
        validate_compute(root, settings, task, task["task_key"].get<std::string>());
        if (task.contains("for_each_task")) validate_for_each(root, settings, task, task["task_key"].get<std::string>());
    }
    if (topological_order(tasks).size() != tasks.size()) throw bad("The task dependencies form a cycle");
}

}  // namespace brix::engine::jobs
