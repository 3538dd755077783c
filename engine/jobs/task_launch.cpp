#include "engine/jobs/task_launch.hpp"

#include <algorithm>

#include <cstdlib>

#include "engine/jobs/task_files.hpp"
#include "engine/jobs/task_prep.hpp"
#include "engine/runtime/runtime_files.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

// The engine's folders at the paths a cluster has them (FUSE mounts there).
std::vector<Bind> engine_binds(store::EngineRoot& root) {
    return {{root.dbfs_dir(), "/dbfs"}, {root.workspace_dir(), "/Workspace"}, {root.dbfs_dir() / "Volumes", "/Volumes"}};
}

std::string library_kind(const Json& library) {
    for (const auto* kind : {"whl", "pypi", "requirements", "jar", "egg", "maven", "cran"})
        if (library.contains(kind)) return kind;
    return "";
}

// jar libraries of a Python task go on the classpath of the SparkSession the runtime creates, as
// a cluster puts them on its own.
std::string jar_paths(store::EngineRoot& root, const Json& task, std::string& problem) {
    std::string jars;
    for (const auto& library : task.value("libraries", Json::array())) {
        if (!library.is_object() || !library.contains("jar")) continue;
        auto path = library["jar"].is_string() ? library["jar"].get<std::string>() : "";
        auto file = resolve_task_file(root, path);
        if (!file) {
            problem = "Library installation failed: jar " + path + " does not exist";
            return "";
        }
        if (!jars.empty()) jars += ',';
        jars += file->disk_path.string();
    }
    return jars;
}

// A task on an existing cluster also gets what `libraries install` put on the cluster, after its
// own libraries; those the cluster reports FAILED (maven, cran, egg) are left out for it.
Json with_cluster_libraries(const Json& task, const clusters::Environment& compute) {
    if (compute.libraries.empty()) return task;
    Json merged = task;
    auto& libraries = merged["libraries"];
    if (!libraries.is_array()) libraries = Json::array();
    for (const auto& library : compute.libraries) {
        if (library.contains("maven") || library.contains("cran") || library.contains("egg")) continue;
        if (std::find(libraries.begin(), libraries.end(), library) == libraries.end()) libraries.push_back(library);
    }
    return merged;
}

}  // namespace

Json environment_spec(const Json& job_settings, const Json& task, std::string& problem) {
    Json libraries = Json::array();
    for (const auto& library : task.value("libraries", Json::array())) {
        auto kind = library.is_object() ? library_kind(library) : "";
        if (kind == "jar") continue;
        if (kind == "whl" || kind == "requirements") {
            if (!library[kind].is_string() || library[kind].get<std::string>().empty()) {
                problem = "libraries: " + kind + " must be a path";
                return nullptr;
            }
            libraries.push_back(Json{{kind, library[kind]}});
        } else if (kind == "pypi") {
            const auto& pypi = library["pypi"];
            if (!pypi.is_object() || !pypi.contains("package") || !pypi["package"].is_string()) {
                problem = "libraries: pypi needs a package";
                return nullptr;
            }
            Json entry{{"package", pypi["package"]}};
            if (pypi.contains("repo") && pypi["repo"].is_string()) entry["repo"] = pypi["repo"];
            libraries.push_back(Json{{"pypi", entry}});
        } else if (kind == "egg") {
            problem = "Library installation failed: egg libraries are not supported (Databricks Runtime 14 and above "
                      "refuse them too); build a wheel and use a whl library";
            return nullptr;
        } else if (kind == "maven" || kind == "cran") {
            problem = "Library installation failed: a " + kind + " library cannot be installed by the brix local engine "
                      "(it installs whl, pypi, requirements and jar libraries)";
            return nullptr;
        } else {
            problem = "libraries: each library needs one of whl, pypi, requirements, jar, egg, maven or cran";
            return nullptr;
        }
    }
    Json dependencies = Json::array();
    if (task.contains("environment_key") && task["environment_key"].is_string()) {
        auto key = task["environment_key"].get<std::string>();
        Json found;
        for (const auto& environment : job_settings.value("environments", Json::array()))
            if (environment.is_object() && environment.value("environment_key", "") == key) found = environment;
        if (found.is_null()) {
            problem = "environment_key " + key + " is not defined in the job's environments";
            return nullptr;
        }
        for (const auto& dependency : found.value("spec", Json::object()).value("dependencies", Json::array())) {
            if (!dependency.is_string()) {
                problem = "environments: " + key + ": dependencies must be strings";
                return nullptr;
            }
            dependencies.push_back(dependency);
        }
    }
    if (libraries.empty() && dependencies.empty()) return nullptr;
    return Json{{"libraries", libraries}, {"dependencies", dependencies}};
}

TaskLaunch launch_task(store::EngineRoot& root, const RunContext& context, const Json& task, std::int64_t task_run_id,
                       const clusters::Environment& compute, const TaskCode& code) {
    TaskLaunch launch;
    auto& spec = launch.spec;
    spec.dir = context.run_dir / std::to_string(task_run_id);
    spec.timeout_ms = task.value("timeout_seconds", std::int64_t{0}) * 1000;
    spec.cwd = code.code_folder.empty() ? spec.dir : code.code_folder;
    spec.argv = code.argv;

    // PYTHONPATH: the runtime first, then the user's own, the cluster's, and the code's folders.
    std::string python_path = runtime::ensure_python_runtime(root.root()).string();
    if (const char* existing = std::getenv("PYTHONPATH"); existing && *existing) python_path += ":" + std::string(existing);
    for (const auto& [name, value] : compute.env) {
        if (name == "PYTHONPATH") python_path += ":" + value;
        else if (name.rfind("BRIX_", 0) != 0 || name == "BRIX_CLUSTER_ID") spec.env[name] = value;
    }
    for (const auto& folder : code.python_path) python_path += ":" + folder.string();
    spec.env.insert({{"BRIX_ROOT", root.root().string()},
                     {"BRIX_BIN", context.brix_binary.string()},
                     {"BRIX_JOB_ID", context.job_id ? std::to_string(context.job_id) : ""},
                     {"BRIX_JOB_RUN_ID", std::to_string(context.job_run_id)},
                     {"BRIX_TASK_RUN_ID", std::to_string(task_run_id)},
                     {"BRIX_TASK_KEY", task.value("task_key", "")},
                     {"BRIX_TASK_DIR", spec.dir.string()},
                     {"BRIX_SPARK_MASTER", "local[" + std::to_string(compute.parallelism) + "]"},
                     {"PYTHONPATH", python_path},
                     {"PYTHONUNBUFFERED", "1"}});
    for (const auto& [name, value] : code.env) spec.env[name] = value;

    // Only code run by the compute's Python gets the task's Python environment and Spark settings.
    bool python_task = !spec.argv.empty() && spec.argv.front() == compute.python;
    spec.python = python_task;
    if (python_task) {
        auto with_cluster = with_cluster_libraries(task, compute);
        auto spark_conf = compute.spark_conf;
        auto jars = jar_paths(root, with_cluster, launch.problem);
        if (!launch.problem.empty()) return launch;
        if (!jars.empty()) spark_conf["spark.jars"] = jars;
        if (!spark_conf.empty()) spec.env["BRIX_SPARK_CONF"] = spark_conf.dump();
        auto environment = environment_spec(context.job_settings, with_cluster, launch.problem);
        if (!launch.problem.empty()) return launch;
        if (!environment.is_null()) {
            // brix_runtime.environments finds or builds the environment, then execs the program in it.
            spec.env["BRIX_ENVIRONMENT"] = environment.dump();
            spec.argv.insert(spec.argv.begin(), {compute.python, "-m", "brix_runtime.environments", "--"});
        }
    }

    // /dbfs, /Workspace and /Volumes: bind mounts in the task's own mount namespace.
    spec.binds = engine_binds(root);
    for (const auto& bind : spec.binds) std::filesystem::create_directories(bind.source);
    // An empty folder that each task mounts its own tmpfs on, inside its own namespace: shared by
    // every task, never holding anything on the host (so not under tmp/, which holds only orphans).
    spec.namespace_scratch = root.root() / "namespace";
    std::filesystem::create_directories(spec.namespace_scratch);
    return launch;
}

}  // namespace brix::engine::jobs
