#pragma once
// Cluster libraries (/api/2.0/libraries/*): what `libraries install` put on a local cluster, kept
// per cluster in install order. The packages themselves go into the Python environment of each
// task that runs on the cluster (the task runtime builds it from cluster_libraries()); the status
// the API reports follows the cluster's life cycle: INSTALLED while it runs, PENDING while it is
// starting or terminated (installed at the next start), UNINSTALL_ON_RESTART after an uninstall
// until the cluster next starts. Maven, CRAN and egg libraries cannot be used on this machine and
// report FAILED with the reason.

#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::clusters {

class LibraryService {
public:
    explicit LibraryService(store::EngineRoot& root) : root_(root) {}

    void install(const std::string& cluster_id, const api::Json& libraries);
    void uninstall(const std::string& cluster_id, const api::Json& libraries);
    api::Json cluster_status(const std::string& cluster_id);  // {cluster_id, library_statuses}
    api::Json all_cluster_statuses();                         // {statuses: [...]} of clusters with libraries

private:
    store::EngineRoot& root_;
};

// The compute.Library objects a task on the cluster gets, in install order: those installed and
// those whose uninstall waits for a restart.
api::Json cluster_libraries(store::EngineRoot& root, const std::string& cluster_id);

}  // namespace brix::engine::clusters
