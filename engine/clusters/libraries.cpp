#include "engine/clusters/libraries.hpp"

#include <algorithm>

#include "engine/clusters/service.hpp"
#include "engine/clusters/store.hpp"

namespace brix::engine::clusters {
namespace {

using api::Json;

const char* const kLibraryKinds[] = {"jar", "egg", "whl", "pypi", "maven", "cran", "requirements"};

// A library as one key: the object with sorted keys, so the same library given twice is one row.
std::string library_key(const Json& library) { return nlohmann::json::parse(library.dump()).dump(); }

void check_library(const Json& library) {
    if (!library.is_object()) throw api::invalid_parameter("Each library must be an object such as {\"pypi\": {\"package\": \"x\"}}");
    int kinds = 0;
    for (const char* kind : kLibraryKinds) kinds += library.contains(kind) ? 1 : 0;
    if (kinds != 1 || library.size() != 1)
        throw api::invalid_parameter("A library must have exactly one of jar, egg, whl, pypi, maven, cran or requirements: " +
                                     library.dump());
    for (const auto& [kind, field] : {std::pair{"pypi", "package"}, std::pair{"cran", "package"}, std::pair{"maven", "coordinates"}}) {
        if (!library.contains(kind)) continue;
        const auto& spec = library[kind];
        if (!spec.is_object() || !spec.contains(field) || !spec[field].is_string() || spec[field].get<std::string>().empty())
            throw api::invalid_parameter(std::string(kind) + "." + field + " is required: " + library.dump());
        return;
    }
    const auto& path = library.begin().value();
    if (!path.is_string() || path.get<std::string>().empty())
        throw api::invalid_parameter(library.begin().key() + " must be a path: " + library.dump());
}

const Json& checked_list(const Json& libraries) {
    if (!libraries.is_array() || libraries.empty())
        throw api::invalid_parameter("libraries must be a non-empty list of libraries");
    for (const auto& library : libraries) check_library(library);
    return libraries;
}

// Why a library cannot be used by tasks on this machine; "" when it can.
std::string unusable_because(const Json& library) {
    if (library.contains("maven")) return "Maven libraries are not resolved on the brix local engine";
    if (library.contains("cran")) return "R libraries are not available on the brix local engine";
    if (library.contains("egg")) return "Python eggs are not supported (Databricks Runtime 14 dropped them)";
    return "";
}

struct LibraryRow {
    Json library;
    std::string status;
    std::int64_t marked_at = 0;
};

// The rows still in effect: an uninstall is done once the cluster started after it.
std::vector<LibraryRow> rows_of(store::EngineRoot& root, const ClusterRow& cluster) {
    auto stmt = root.db().prepare("SELECT library, status, marked_at FROM cluster_libraries WHERE cluster_id = ? ORDER BY position");
    stmt.bind(1, cluster.id);
    auto started = std::max(cluster.start_time, cluster.last_restarted_time);
    std::vector<LibraryRow> rows;
    while (stmt.step()) {
        LibraryRow row{Json::parse(stmt.text(0)), stmt.text(1), stmt.integer(2)};
        // a start in the same millisecond as the uninstall came after it: both are requests in order
        if (row.status == "UNINSTALL_ON_RESTART" && started >= row.marked_at) continue;
        rows.push_back(std::move(row));
    }
    return rows;
}

ClusterRow existing(store::EngineRoot& root, const std::string& cluster_id) {
    auto row = current(root, cluster_id);
    if (!row) throw cluster_not_found(cluster_id);
    return *row;
}

Json status_of(const ClusterRow& cluster, const std::vector<LibraryRow>& rows) {
    Json statuses = Json::array();
    for (const auto& row : rows) {
        Json entry{{"library", row.library}, {"is_library_for_all_clusters", false}};
        if (auto why = unusable_because(row.library); !why.empty()) {
            entry["status"] = "FAILED";
            entry["messages"] = Json::array({why});
        } else if (row.status == "UNINSTALL_ON_RESTART") {
            entry["status"] = "UNINSTALL_ON_RESTART";
        } else {
            entry["status"] = cluster.state == "RUNNING" || cluster.state == "RESIZING" ? "INSTALLED" : "PENDING";
        }
        statuses.push_back(std::move(entry));
    }
    Json result{{"cluster_id", cluster.id}};
    if (!statuses.empty()) result["library_statuses"] = std::move(statuses);
    return result;
}

}  // namespace

void LibraryService::install(const std::string& cluster_id, const Json& libraries) {
    checked_list(libraries);
    existing(root_, cluster_id);
    auto& db = root_.db();
    db.write_transaction([&] {
        for (const auto& library : libraries) {
            db.prepare("INSERT INTO cluster_libraries (cluster_id, library, status, position) VALUES (?, ?, 'INSTALLED', "
                       "(SELECT coalesce(max(position), 0) + 1 FROM cluster_libraries WHERE cluster_id = ?)) "
                       "ON CONFLICT (cluster_id, library) DO UPDATE SET status = 'INSTALLED', marked_at = 0")
                .bind(1, cluster_id)
                .bind(2, library_key(library))
                .bind(3, cluster_id)
                .run();
        }
    });
}

void LibraryService::uninstall(const std::string& cluster_id, const Json& libraries) {
    checked_list(libraries);
    existing(root_, cluster_id);
    auto& db = root_.db();
    db.write_transaction([&] {
        for (const auto& library : libraries) {
            db.prepare("UPDATE cluster_libraries SET status = 'UNINSTALL_ON_RESTART', marked_at = ? "
                       "WHERE cluster_id = ? AND library = ? AND status = 'INSTALLED'")
                .bind(1, store::now_ms())
                .bind(2, cluster_id)
                .bind(3, library_key(library))
                .run();
        }
    });
}

Json LibraryService::cluster_status(const std::string& cluster_id) {
    auto cluster = existing(root_, cluster_id);
    return status_of(cluster, rows_of(root_, cluster));
}

Json LibraryService::all_cluster_statuses() {
    std::vector<std::string> ids;
    {
        auto stmt = root_.db().prepare("SELECT DISTINCT cluster_id FROM cluster_libraries ORDER BY cluster_id");
        while (stmt.step()) ids.push_back(stmt.text(0));
    }
    Json statuses = Json::array();
    for (const auto& id : ids) {
        auto cluster = current(root_, id);
        if (!cluster) continue;  // permanently deleted
        auto rows = rows_of(root_, *cluster);
        if (!rows.empty()) statuses.push_back(status_of(*cluster, rows));
    }
    Json result = Json::object();
    if (!statuses.empty()) result["statuses"] = std::move(statuses);
    return result;
}

Json cluster_libraries(store::EngineRoot& root, const std::string& cluster_id) {
    Json libraries = Json::array();
    auto cluster = current(root, cluster_id);
    if (!cluster) return libraries;
    for (auto& row : rows_of(root, *cluster)) libraries.push_back(std::move(row.library));
    return libraries;
}

}  // namespace brix::engine::clusters
