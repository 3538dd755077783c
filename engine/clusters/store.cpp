#include "engine/clusters/store.hpp"

#include <cstdlib>

#include "engine/clusters/environment.hpp"

namespace brix::engine::clusters {
namespace {

using api::Json;

constexpr const char* kColumns =
    "SELECT cluster_id, spec, state, state_message, creator, cluster_source, start_time, ready_at, terminated_time, "
    "last_restarted_time, last_activity_time, termination_reason FROM clusters ";

ClusterRow read_row(store::Statement& stmt) {
    ClusterRow row;
    row.id = stmt.text(0);
    row.spec = Json::parse(stmt.text(1));
    row.state = stmt.text(2);
    row.state_message = stmt.text(3);
    row.creator = stmt.text(4);
    row.source = stmt.text(5);
    row.start_time = stmt.integer(6);
    row.ready_at = stmt.integer(7);
    row.terminated_time = stmt.integer(8);
    row.last_restarted_time = stmt.integer(9);
    row.last_activity_time = stmt.integer(10);
    if (!stmt.is_null(11)) row.termination_reason = Json::parse(stmt.text(11));
    return row;
}

// How long a start takes: long enough for clients to see PENDING, as on Databricks.
std::int64_t startup_ms() {
    if (const char* configured = std::getenv("BRIX_CLUSTER_STARTUP_MS")) {
        char* end = nullptr;
        auto value = std::strtoll(configured, &end, 10);
        if (end != configured && *end == '\0' && value >= 0) return value;
    }
    return 500;
}

// A task run of an active job run names this cluster: that counts as activity.
bool used_by_active_run(store::EngineRoot& root, const std::string& id) {
    auto stmt = root.db().prepare(
        "SELECT 1 FROM runs WHERE parent_run_id IS NOT NULL AND life_cycle_state IN ('PENDING', 'RUNNING') "
        "AND json_extract(settings, '$.existing_cluster_id') = ? LIMIT 1");
    stmt.bind(1, id);
    return stmt.step();
}

}  // namespace

std::optional<ClusterRow> find_row(store::EngineRoot& root, const std::string& id) {
    auto stmt = root.db().prepare(std::string(kColumns) + "WHERE cluster_id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    return read_row(stmt);
}

void save_row(store::EngineRoot& root, const ClusterRow& row) {
    root.db()
        .prepare("UPDATE clusters SET spec = ?, state = ?, state_message = ?, start_time = ?, ready_at = ?, terminated_time = ?, "
                 "last_restarted_time = ?, last_activity_time = ?, termination_reason = ? WHERE cluster_id = ?")
        .bind(1, row.spec.dump())
        .bind(2, row.state)
        .bind(3, row.state_message)
        .bind(4, row.start_time)
        .bind(5, row.ready_at)
        .bind(6, row.terminated_time)
        .bind(7, row.last_restarted_time)
        .bind(8, row.last_activity_time)
        .bind_optional(9, row.termination_reason.is_null() ? std::nullopt : std::optional(row.termination_reason.dump()))
        .bind(10, row.id)
        .run();
}

std::string default_python() {
    const char* configured = std::getenv("BRIX_PYTHON");
    return configured && *configured ? configured : "python3";
}

void terminate_row(ClusterRow& row, std::int64_t when, Json reason, const std::string& message) {
    row.state = "TERMINATED";
    row.state_message = message;
    row.terminated_time = when;
    row.termination_reason = std::move(reason);
}

bool advance(store::EngineRoot& root, ClusterRow& row, std::int64_t now) {
    bool changed = false;
    if ((row.state == "PENDING" || row.state == "RESTARTING") && now >= row.ready_at) {
        auto environment = environment_of(row.spec, row.id, default_python(), default_parallelism());
        if (!environment.problem.empty()) {
            terminate_row(row, now,
                          Json{{"code", "INVALID_ARGUMENT"}, {"type", "CLIENT_ERROR"},
                               {"parameters", {{"databricks_error_message", environment.problem}}}},
                          environment.problem);
        } else {
            if (row.state == "RESTARTING") row.last_restarted_time = now;
            row.state = "RUNNING";
            row.state_message = "";
            row.last_activity_time = now;
        }
        changed = true;
    }
    if (row.state == "RESIZING") {
        row.state = "RUNNING";
        changed = true;
    }
    auto minutes = row.spec.value("autotermination_minutes", std::int64_t{0});
    if (row.state == "RUNNING" && minutes > 0 && now - row.last_activity_time >= minutes * 60000) {
        if (used_by_active_run(root, row.id)) {
            row.last_activity_time = now;
        } else {
            terminate_row(row, row.last_activity_time + minutes * 60000,
                          Json{{"code", "INACTIVITY"}, {"type", "SUCCESS"},
                               {"parameters", {{"inactivity_duration_min", std::to_string(minutes)}}}},
                          "Inactive cluster terminated (inactive for " + std::to_string(minutes) + " minutes).");
        }
        changed = true;
    }
    return changed;
}

std::optional<ClusterRow> current(store::EngineRoot& root, const std::string& id) {
    auto row = find_row(root, id);
    if (!row) return std::nullopt;
    auto probe = *row;
    if (!advance(root, probe, store::now_ms())) return row;
    root.db().write_transaction([&] {
        row = find_row(root, id);
        if (row && advance(root, *row, store::now_ms())) save_row(root, *row);
    });
    return row;
}

void begin_start(ClusterRow& row, const std::string& state, const std::string& message) {
    auto now = store::now_ms();
    row.state = state;
    row.state_message = message;
    row.ready_at = now + startup_ms();
    if (state == "PENDING") row.start_time = now;
    row.terminated_time = 0;
    row.termination_reason = nullptr;
}

}  // namespace brix::engine::clusters
