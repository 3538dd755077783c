#include "engine/clusters/service.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <random>
#include <set>
#include <thread>

#include "engine/clusters/environment.hpp"
#include "engine/clusters/store.hpp"
#include "engine/identity/current_user.hpp"

namespace brix::engine::clusters {
namespace {

using api::Json;

// Fields the service owns: dropped from a spec a client sends back (edit with a full get result).
const std::set<std::string> kReadOnly = {
    "cluster_id",     "state",           "state_message",     "start_time",          "terminated_time",
    "last_restarted_time", "last_activity_time", "last_state_loss_time", "termination_reason", "creator_user_name",
    "cluster_source", "default_tags",    "driver",            "executors",           "spark_context_id",
    "cluster_memory_mb", "cluster_cores", "jdbc_port",        "spec",                "brix_environment",
    "clone_from"};

const std::set<std::string> kActive = {"PENDING", "RUNNING", "RESTARTING", "RESIZING"};

std::string new_cluster_id() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[16];
    std::strftime(stamp, sizeof stamp, "%m%d-%H%M%S", &utc);
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device device;
    std::string suffix;
    for (int i = 0; i < 8; ++i) suffix += alphabet[device() % (sizeof alphabet - 1)];
    return std::string(stamp) + "-" + suffix;
}

api::ApiError invalid_state(const ClusterRow& row, const std::string& action) {
    return api::ApiError(400, "INVALID_STATE",
                         "Cluster " + row.id + " is in unexpected state " + row.state + " and cannot be " + action + ".");
}

void check_int(const Json& spec, const char* field, std::int64_t low, std::int64_t high, const std::string& rule) {
    if (!spec.contains(field)) return;
    const auto& value = spec[field];
    if (!value.is_number_integer() || value.get<std::int64_t>() < low || value.get<std::int64_t>() > high)
        throw api::invalid_parameter(std::string(field) + " " + rule);
}

Json checked_spec(Json spec) {
    if (!spec.is_object()) throw api::invalid_parameter("The cluster spec must be a JSON object");
    for (const auto& field : kReadOnly) spec.erase(field);
    const auto& version = spec.value("spark_version", Json());
    if (!version.is_string() || version.get<std::string>().empty()) throw api::invalid_parameter("Missing required field: spark_version");
    if (spec.contains("num_workers") && spec.contains("autoscale"))
        throw api::invalid_parameter("Give num_workers or autoscale, not both");
    check_int(spec, "num_workers", 0, 100000, "must be an integer of at least 0");
    if (spec.contains("autoscale")) {
        const auto& autoscale = spec["autoscale"];
        auto low = autoscale.is_object() ? autoscale.value("min_workers", Json()) : Json();
        auto high = autoscale.is_object() ? autoscale.value("max_workers", Json()) : Json();
        if (!low.is_number_integer() || !high.is_number_integer() || low.get<std::int64_t>() < 0 ||
            high.get<std::int64_t>() < low.get<std::int64_t>() || high.get<std::int64_t>() < 1)
            throw api::invalid_parameter("autoscale needs integers min_workers >= 0 and max_workers >= max(min_workers, 1)");
    }
    if (spec.contains("autotermination_minutes")) {
        const auto& minutes = spec["autotermination_minutes"];
        auto value = minutes.is_number_integer() ? minutes.get<std::int64_t>() : -1;
        if (value != 0 && (value < 10 || value > 10000))
            throw api::invalid_parameter("autotermination_minutes must be 0 (never) or between 10 and 10000");
    }
    for (const char* map : {"spark_env_vars", "spark_conf", "custom_tags"}) {
        if (!spec.contains(map)) continue;
        if (!spec[map].is_object()) throw api::invalid_parameter(std::string(map) + " must be an object");
        for (const auto& [key, value] : spec[map].items())
            if (!value.is_string() && !value.is_number() && !value.is_boolean())
                throw api::invalid_parameter(std::string(map) + "." + key + " must be a string");
    }
    if (spec.contains("custom_tags") && spec["custom_tags"].size() > 45) throw api::invalid_parameter("At most 45 custom_tags");
    if (spec.contains("cluster_name") && !spec["cluster_name"].is_string()) throw api::invalid_parameter("cluster_name must be a string");
    return spec;
}

ClusterRow require(store::EngineRoot& root, const std::string& id) {
    auto row = current(root, id);
    if (!row) throw cluster_not_found(id);
    return *row;
}

// Reads, changes and saves one cluster in a transaction.
template <typename Change>
void modify(store::EngineRoot& root, const std::string& id, Change&& change) {
    root.db().write_transaction([&] {
        auto row = find_row(root, id);
        if (!row) throw cluster_not_found(id);
        advance(root, *row, store::now_ms());
        change(*row);
        save_row(root, *row);
    });
}

std::int64_t memory_mb() {
    auto pages = ::sysconf(_SC_PHYS_PAGES);
    auto size = ::sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? static_cast<std::int64_t>(pages) * size / (1024 * 1024) : 0;
}

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

Json details(const ClusterRow& row) {
    Json json{{"cluster_id", row.id}};
    for (const auto& [key, value] : row.spec.items()) json[key] = value;
    if (!json.contains("cluster_name")) json["cluster_name"] = "";
    json["state"] = row.state;
    json["state_message"] = row.state_message;
    json["start_time"] = row.start_time;
    if (row.terminated_time) json["terminated_time"] = row.terminated_time;
    if (row.last_restarted_time) json["last_restarted_time"] = row.last_restarted_time;
    if (!row.termination_reason.is_null()) json["termination_reason"] = row.termination_reason;
    json["creator_user_name"] = row.creator;
    json["cluster_source"] = row.source;
    json["default_tags"] = Json{{"Vendor", "Databricks"}, {"Creator", row.creator},
                                {"ClusterName", row.spec.value("cluster_name", "")}, {"ClusterId", row.id}};
    json["cluster_memory_mb"] = memory_mb();
    json["cluster_cores"] = cores();
    json["spec"] = row.spec;
    auto environment = environment_of(row.spec, row.id, default_python(), default_parallelism());
    json["brix_environment"] = Json{{"python", environment.python},
                                    {"spark_master", "local[" + std::to_string(environment.parallelism) + "]"}};
    return json;
}

std::vector<std::string> wanted_states(const api::Request& request) {
    std::vector<std::string> states;
    for (const auto& [key, value] : request.query)
        if (key == "filter_by.cluster_states") states.push_back(value);
    if (states.empty() && request.body.is_object() && request.body.contains("filter_by")) {
        for (const auto& state : request.body["filter_by"].value("cluster_states", Json::array()))
            if (state.is_string()) states.push_back(state.get<std::string>());
    }
    return states;
}

}  // namespace

api::ApiError cluster_not_found(const std::string& cluster_id) {
    return api::not_found("Cluster " + cluster_id + " does not exist");
}

bool cluster_exists(store::EngineRoot& root, const std::string& cluster_id) { return find_row(root, cluster_id).has_value(); }

Json ClusterService::create(Json spec) {
    if (spec.is_object() && spec.contains("clone_from")) {
        auto source_id = spec["clone_from"].value("source_cluster_id", "");
        auto source = find_row(root_, source_id);
        if (!source) throw cluster_not_found(source_id);
        Json merged = source->spec;
        for (const auto& [key, value] : spec.items()) merged[key] = value;
        spec = std::move(merged);
    }
    spec = checked_spec(std::move(spec));
    ClusterRow row;
    row.id = new_cluster_id();
    row.spec = std::move(spec);
    row.creator = identity::current_user();
    row.source = "API";
    begin_start(row, "PENDING", "Starting the local environment");
    root_.db().write_transaction([&] {
        root_.db()
            .prepare("INSERT INTO clusters (cluster_id, spec, state, state_message, creator, cluster_source, start_time) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(1, row.id)
            .bind(2, row.spec.dump())
            .bind(3, row.state)
            .bind(4, row.state_message)
            .bind(5, row.creator)
            .bind(6, row.source)
            .bind(7, row.start_time)
            .run();
        save_row(root_, row);
    });
    return Json{{"cluster_id", row.id}};
}

Json ClusterService::get(const std::string& cluster_id) { return details(require(root_, cluster_id)); }

Json ClusterService::list(const api::Request& request, bool paged) {
    std::vector<std::string> ids;
    {
        auto stmt = root_.db().prepare("SELECT cluster_id FROM clusters");
        while (stmt.step()) ids.push_back(stmt.text(0));
    }
    auto states = wanted_states(request);
    std::vector<ClusterRow> rows;
    for (const auto& id : ids) {
        auto row = current(root_, id);
        if (!row) continue;  // deleted meanwhile
        if (!states.empty() && std::find(states.begin(), states.end(), row->state) == states.end()) continue;
        rows.push_back(std::move(*row));
    }
    auto field = request.param("sort_by.field").value_or("DEFAULT");
    bool descending = request.param("sort_by.direction").value_or("ASC") == "DESC";
    std::stable_sort(rows.begin(), rows.end(), [&](const ClusterRow& a, const ClusterRow& b) {
        auto name_a = a.spec.value("cluster_name", ""), name_b = b.spec.value("cluster_name", "");
        if (field != "CLUSTER_NAME" && kActive.count(a.state) != kActive.count(b.state)) return kActive.count(a.state) > kActive.count(b.state);
        if (name_a != name_b) return descending ? name_a > name_b : name_a < name_b;
        return a.id < b.id;
    });
    std::size_t offset = 0, size = rows.size();
    if (paged) {
        if (auto token = request.param("page_token"); token && !token->empty()) offset = std::strtoull(token->c_str(), nullptr, 10);
        if (auto page = request.param("page_size"); page && !page->empty()) size = std::max<std::size_t>(1, std::strtoull(page->c_str(), nullptr, 10));
    }
    Json clusters = Json::array();
    for (std::size_t i = offset; i < rows.size() && i < offset + size; ++i) clusters.push_back(details(rows[i]));
    Json result = Json::object();
    if (!clusters.empty()) result["clusters"] = std::move(clusters);
    if (offset + size < rows.size()) result["next_page_token"] = std::to_string(offset + size);
    return result;
}

void ClusterService::edit(const std::string& cluster_id, Json spec) {
    spec = checked_spec(std::move(spec));
    modify(root_, cluster_id, [&](ClusterRow& row) {
        if (row.state != "RUNNING" && row.state != "TERMINATED") throw invalid_state(row, "edited");
        row.spec = spec;
        if (row.state == "RUNNING") begin_start(row, "RESTARTING", "Restarting with the new settings");
    });
}

void ClusterService::start(const std::string& cluster_id) {
    modify(root_, cluster_id, [&](ClusterRow& row) {
        if (row.state == "TERMINATED") begin_start(row, "PENDING", "Starting the local environment");
    });
}

void ClusterService::restart(const std::string& cluster_id) {
    modify(root_, cluster_id, [&](ClusterRow& row) {
        if (row.state != "RUNNING") throw invalid_state(row, "restarted");
        begin_start(row, "RESTARTING", "Restarting the local environment");
    });
}

void ClusterService::resize(const std::string& cluster_id, const Json& body) {
    modify(root_, cluster_id, [&](ClusterRow& row) {
        if (row.state != "RUNNING") throw invalid_state(row, "resized");
        Json spec = row.spec;
        spec.erase("num_workers");
        spec.erase("autoscale");
        if (body.contains("num_workers")) spec["num_workers"] = body["num_workers"];
        else if (body.contains("autoscale")) spec["autoscale"] = body["autoscale"];
        else throw api::invalid_parameter("Give num_workers or autoscale");
        row.spec = checked_spec(std::move(spec));
        row.state = "RESIZING";
    });
}

void ClusterService::terminate(const std::string& cluster_id) {
    modify(root_, cluster_id, [&](ClusterRow& row) {
        if (row.state == "TERMINATED") return;
        terminate_row(row, store::now_ms(), Json{{"code", "USER_REQUEST"}, {"type", "SUCCESS"}, {"parameters", {{"username", identity::current_user()}}}},
                      "Terminated by user");
    });
}

void ClusterService::permanent_delete(const std::string& cluster_id) {
    root_.db().write_transaction([&] {
        root_.db().prepare("DELETE FROM clusters WHERE cluster_id = ?").bind(1, cluster_id).run();
        if (root_.db().changes() == 0) throw cluster_not_found(cluster_id);
    });
}

Json ClusterService::acquire_for_task(const std::string& cluster_id) {
    Json spec;
    modify(root_, cluster_id, [&](ClusterRow& row) {
        auto now = store::now_ms();
        if (row.state == "TERMINATED") {
            begin_start(row, "PENDING", "Started for a job run");
            row.ready_at = now;
            advance(root_, row, now);
        } else if (row.state == "PENDING" || row.state == "RESTARTING") {
            row.ready_at = now;
            advance(root_, row, now);
        }
        if (row.state != "RUNNING")
            throw api::ApiError(400, "INVALID_STATE", "Cluster " + cluster_id + " cannot run tasks: " + row.state_message);
        row.last_activity_time = now;
        spec = row.spec;
    });
    return spec;
}

Json spark_versions() {
    static const std::vector<std::pair<const char*, const char*>> versions = {
        {"16.4.x-scala2.12", "16.4 LTS (includes Apache Spark 3.5.2, Scala 2.12)"},
        {"15.4.x-scala2.12", "15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)"},
        {"14.3.x-scala2.12", "14.3 LTS (includes Apache Spark 3.5.0, Scala 2.12)"},
        {"13.3.x-scala2.12", "13.3 LTS (includes Apache Spark 3.4.1, Scala 2.12)"},
        {"12.2.x-scala2.12", "12.2 LTS (includes Apache Spark 3.3.2, Scala 2.12)"},
    };
    Json list = Json::array();
    for (const auto& [key, name] : versions) list.push_back(Json{{"key", key}, {"name", name}});
    return Json{{"versions", list}};
}

Json node_types(const fs::path& root) {
    struct statvfs disk {};
    std::int64_t disk_gb = ::statvfs(root.c_str(), &disk) == 0
                               ? static_cast<std::int64_t>(disk.f_blocks) * static_cast<std::int64_t>(disk.f_frsize) / 1000000000
                               : 0;
    Json node{{"node_type_id", "local"},
              {"memory_mb", memory_mb()},
              {"num_cores", cores()},
              {"description", "This machine (brix local engine)"},
              {"instance_type_id", "local"},
              {"is_deprecated", false},
              {"category", "General Purpose"},
              {"support_ebs_volumes", false},
              {"support_cluster_tags", true},
              {"num_gpus", 0},
              {"is_hidden", false},
              {"support_port_forwarding", false},
              {"node_instance_type", {{"instance_type_id", "local"},
                                      {"local_disks", 1},
                                      {"local_disk_size_gb", disk_gb},
                                      {"local_nvme_disks", 0},
                                      {"local_nvme_disk_size_gb", 0}}}};
    return Json{{"node_types", Json::array({node})}};
}

}  // namespace brix::engine::clusters
