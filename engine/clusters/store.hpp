#pragma once
// Cluster rows and their life cycle. Transitions that depend on time (a start-up that is done,
// autotermination after idle minutes) are applied when a cluster is read, so no background
// process is needed.

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::clusters {

struct ClusterRow {
    std::string id;
    api::Json spec;
    std::string state;
    std::string state_message;
    std::string creator;
    std::string source;
    std::int64_t start_time = 0;
    std::int64_t ready_at = 0;
    std::int64_t terminated_time = 0;
    std::int64_t last_restarted_time = 0;
    std::int64_t last_activity_time = 0;
    api::Json termination_reason;
};

std::optional<ClusterRow> find_row(store::EngineRoot& root, const std::string& id);
void save_row(store::EngineRoot& root, const ClusterRow& row);  // every mutable field
std::string default_python();                           // BRIX_PYTHON, else python3

void terminate_row(ClusterRow& row, std::int64_t when, api::Json reason, const std::string& message);
// PENDING (a start) or RESTARTING, RUNNING once the start-up time (BRIX_CLUSTER_STARTUP_MS,
// default 500 ms) has passed.
void begin_start(ClusterRow& row, const std::string& state, const std::string& message);
// Applies the transitions that are due by `now`; true when the row changed.
bool advance(store::EngineRoot& root, ClusterRow& row, std::int64_t now);
// The row with due transitions applied (and saved); nullopt when there is no such cluster.
std::optional<ClusterRow> current(store::EngineRoot& root, const std::string& id);

}  // namespace brix::engine::clusters
