#pragma once
// `clusters`: /api/2.1/clusters/* in both CLIs' syntaxes (CLUSTER_ID or --cluster-id, --json or
// --json-file). create, start and restart wait for RUNNING and delete for TERMINATED unless
// --no-wait, as the new CLI does.

#include <chrono>
#include <optional>
#include <string>

#include "api/api.hpp"

namespace CLI {
class App;
}
namespace brix::cli {
class Context;
}

namespace brix::commands {

void add_clusters_commands(CLI::App& app, cli::Context& context);

namespace clusters {

// Polls clusters/get until the cluster is in `target` (returned), fails when it lands in a state
// it cannot leave towards it (std::runtime_error naming the state and message), nullopt when the
// timeout (0 = none) passed first.
std::optional<api::Json> wait_for_state(api::Api& api, const std::string& cluster_id, const std::string& target,
                                        std::chrono::milliseconds timeout,
                                        std::chrono::milliseconds first_poll = std::chrono::milliseconds(100));

// The settings of create/edit: --json/--json-file first, then SPARK_VERSION and the flags over it.
struct SpecFlags {
    std::optional<std::string> spark_version, cluster_name, node_type_id;
    std::optional<std::int64_t> num_workers, autotermination_minutes;
};
api::Json spec_body(api::Json json, const SpecFlags& flags);

}  // namespace clusters
}  // namespace brix::commands
