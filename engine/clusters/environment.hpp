#pragma once
// What a cluster spec means on this machine, and which compute a job task selects.
//   - the interpreter: spark_env_vars.PYSPARK_PYTHON when it exists here (a /databricks/... path
//     is the Databricks runtime's and is ignored), else the engine's default;
//   - the environment: spark_env_vars, plus BRIX_CLUSTER_ID for an existing cluster;
//   - Spark: local[N] with N = num_workers (autoscale.max_workers; 0 = the machine's parallelism),
//     spark_conf passed to pyspark through PYSPARK_SUBMIT_ARGS and to spark-submit as --conf, and
//     kept as an object for the SparkSession builder of the task runtime (spark.master included).
//   - the libraries installed on an existing cluster, for the task's Python environment.

#include <map>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::clusters {

struct Environment {
    std::string python;
    int parallelism = 1;
    std::map<std::string, std::string> env;
    std::vector<std::string> spark_submit_conf;  // "--conf", "key=value", ...
    api::Json spark_conf = api::Json::object();  // key -> string value
    std::string problem;                        // why this environment cannot run tasks
    api::Json libraries = api::Json::array();   // an existing cluster's libraries (libraries.hpp)
};

// How many tasks of one run may run at once on this machine: BRIX_PARALLELISM, else the number
// of cores.
int default_parallelism();

// `default_python` is used unless the spec names an interpreter that exists here;
// `default_parallelism` for single-node specs (num_workers 0 or absent).
Environment environment_of(const api::Json& spec, const std::string& cluster_id, const std::string& default_python,
                           int default_parallelism);

// The compute a task selects: existing_cluster_id (must exist; started when terminated),
// new_cluster or job_cluster_key (an ephemeral environment for this run), or none.
// `problem` is set when the task cannot run.
Environment task_environment(store::EngineRoot& root, const api::Json& job_settings, const api::Json& task,
                             const std::string& default_python, int default_parallelism);

}  // namespace brix::engine::clusters
