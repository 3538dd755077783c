#pragma once
// Clusters on the local engine: a cluster is a named execution environment for tasks (the Python
// interpreter, spark_env_vars, spark_conf, and num_workers as the Spark parallelism local[N]).
// Its state follows the Databricks life cycle: PENDING -> RUNNING (after a short start-up in
// which the environment is checked) -> TERMINATED (delete, or autotermination_minutes without
// activity); restart goes through RESTARTING. Transitions that depend on time are applied when
// the cluster is next read, so no background process is needed.

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::clusters {

class ClusterService {
public:
    explicit ClusterService(store::EngineRoot& root) : root_(root) {}

    api::Json create(api::Json spec);  // {"cluster_id": ...}
    api::Json get(const std::string& cluster_id);
    api::Json list(const api::Request& request, bool paged);
    void edit(const std::string& cluster_id, api::Json spec);
    void start(const std::string& cluster_id);
    void restart(const std::string& cluster_id);
    void resize(const std::string& cluster_id, const api::Json& body);
    void terminate(const std::string& cluster_id);
    void permanent_delete(const std::string& cluster_id);

    // A job task is about to run on the cluster: a terminated cluster is started (as Databricks
    // starts it for a job run), a starting one is taken as ready, and the activity clock is reset.
    // Returns the cluster's spec; throws RESOURCE_DOES_NOT_EXIST for an unknown cluster and
    // INVALID_STATE when its environment cannot run tasks.
    api::Json acquire_for_task(const std::string& cluster_id);

private:
    store::EngineRoot& root_;
};

bool cluster_exists(store::EngineRoot& root, const std::string& cluster_id);
api::ApiError cluster_not_found(const std::string& cluster_id);

api::Json spark_versions();
// The one node type: this machine. Its local disk is the engine root's file system, so SDK
// helpers that want one (select_node_type(local_disk=True)) find it.
api::Json node_types(const fs::path& root);

}  // namespace brix::engine::clusters
