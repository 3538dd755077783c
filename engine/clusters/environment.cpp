#include "engine/clusters/environment.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "engine/clusters/libraries.hpp"
#include "engine/clusters/service.hpp"

namespace brix::engine::clusters {
namespace {

using api::Json;

bool executable_here(const std::string& program) {
    if (program.empty()) return false;
    if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        auto end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        if (end > start && ::access((dirs.substr(start, end - start) + "/" + program).c_str(), X_OK) == 0) return true;
        start = end + 1;
    }
    return false;
}

// Quoting for Python's shlex.split, which is how pyspark reads PYSPARK_SUBMIT_ARGS.
std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\"'\"'") : std::string(1, c);
    return out + "'";
}

std::string text_of(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

int workers_of(const Json& spec) {
    if (spec.contains("autoscale") && spec["autoscale"].is_object())
        return static_cast<int>(spec["autoscale"].value("max_workers", std::int64_t{0}));
    const auto& workers = spec.value("num_workers", Json());
    return workers.is_number_integer() ? static_cast<int>(workers.get<std::int64_t>()) : 0;
}

}  // namespace

int default_parallelism() {
    if (const char* configured = std::getenv("BRIX_PARALLELISM")) {
        int value = std::atoi(configured);
        if (value > 0) return value;
    }
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Environment environment_of(const Json& spec, const std::string& cluster_id, const std::string& default_python,
                           int default_parallelism) {
    Environment environment;
    environment.python = default_python;
    int workers = workers_of(spec);
    environment.parallelism = workers > 0 ? workers : std::max(1, default_parallelism);
    if (!cluster_id.empty()) environment.env["BRIX_CLUSTER_ID"] = cluster_id;

    const auto env_vars = spec.value("spark_env_vars", Json::object());
    for (const auto& [name, value] : env_vars.items()) {
        auto text = text_of(value);
        if (name == "PYSPARK_PYTHON") {
            if (text.rfind("/databricks/", 0) == 0) continue;  // the Databricks runtime's own interpreter
            if (!executable_here(text)) {
                environment.problem = "spark_env_vars.PYSPARK_PYTHON (" + text + ") is not an executable on this machine";
                continue;
            }
            environment.python = text;
        }
        environment.env[name] = text;
    }
    if (environment.problem.empty() && !executable_here(environment.python))
        environment.problem = "the Python interpreter " + environment.python + " was not found (set BRIX_PYTHON or PYSPARK_PYTHON)";

    std::vector<std::pair<std::string, std::string>> conf;
    const auto spark_conf = spec.value("spark_conf", Json::object());
    for (const auto& [key, value] : spark_conf.items()) conf.emplace_back(key, text_of(value));
    if (!cluster_id.empty()) {
        conf.emplace_back("spark.databricks.clusterUsageTags.clusterId", cluster_id);
        conf.emplace_back("spark.databricks.clusterUsageTags.clusterName", spec.value("cluster_name", ""));
    }
    std::string submit_args;
    for (const auto& [key, value] : conf) {
        environment.spark_conf[key] = value;
        environment.spark_submit_conf.push_back("--conf");
        environment.spark_submit_conf.push_back(key + "=" + value);
        submit_args += "--conf " + shell_quote(key + "=" + value) + " ";
    }
    bool user_args = environment.env.count("PYSPARK_SUBMIT_ARGS") || std::getenv("PYSPARK_SUBMIT_ARGS");
    if (!conf.empty() && !user_args) environment.env["PYSPARK_SUBMIT_ARGS"] = submit_args + "pyspark-shell";
    return environment;
}

Environment task_environment(store::EngineRoot& root, const Json& job_settings, const Json& task, const std::string& default_python,
                             int default_parallelism) {
    if (task.contains("existing_cluster_id") && !task["existing_cluster_id"].is_null()) {
        auto cluster_id = text_of(task["existing_cluster_id"]);
        Json spec;
        try {
            spec = ClusterService(root).acquire_for_task(cluster_id);
        } catch (const api::ApiError& error) {
            Environment failed;
            failed.problem = error.message();
            return failed;
        }
        auto environment = environment_of(spec, cluster_id, default_python, default_parallelism);
        environment.libraries = cluster_libraries(root, cluster_id);
        return environment;
    }
    if (task.contains("new_cluster") && task["new_cluster"].is_object())
        return environment_of(task["new_cluster"], "", default_python, default_parallelism);
    if (task.contains("job_cluster_key") && task["job_cluster_key"].is_string()) {
        auto key = task["job_cluster_key"].get<std::string>();
        for (const auto& cluster : job_settings.value("job_clusters", Json::array()))
            if (cluster.value("job_cluster_key", "") == key && cluster.contains("new_cluster"))
                return environment_of(cluster["new_cluster"], "", default_python, default_parallelism);
        Environment failed;
        failed.problem = "job_cluster_key " + key + " is not defined in the job's job_clusters";
        return failed;
    }
    Environment fallback;
    fallback.python = default_python;
    fallback.parallelism = std::max(1, default_parallelism);
    return fallback;
}

}  // namespace brix::engine::clusters
