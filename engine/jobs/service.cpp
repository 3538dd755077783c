#include "engine/jobs/service.hpp"

#include <algorithm>
#include <cstdlib>

#include "engine/identity/current_user.hpp"
#include "engine/jobs/job_settings.hpp"
#include "engine/jobs/jobs_2_0.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// tasks and job_clusters merge by key in jobs/update; every other field is replaced whole.
void merge_keyed(Json& target, const Json& updates, const std::string& key_name) {
    for (const auto& update : updates) {
        auto key = update.value(key_name, "");
        auto existing = std::find_if(target.begin(), target.end(), [&](const Json& item) { return item.value(key_name, "") == key; });
        if (existing == target.end()) target.push_back(update);
        else *existing = update;
    }
}

}  // namespace

api::ApiError job_not_found(std::int64_t job_id) {
    return api::not_found("Job " + std::to_string(job_id) + " does not exist.");
}

std::int64_t JobsService::create(Json settings) {
    validate_settings(root_, settings);
    if (!settings.contains("name")) settings["name"] = "Untitled";
    std::int64_t job_id = 0;
    root_.db().write_transaction([&] {
        root_.db()
            .prepare("INSERT INTO jobs (settings, created_time, creator) VALUES (?, ?, ?)")
            .bind(1, settings.dump())
            .bind(2, store::now_ms())
            .bind(3, identity::current_user())
            .run();
        job_id = root_.db().last_insert_id();
    });
    return job_id;
}

std::optional<Json> JobsService::find_settings(std::int64_t job_id) {
    auto stmt = root_.db().prepare("SELECT settings FROM jobs WHERE job_id = ?");
    stmt.bind(1, job_id);
    if (!stmt.step()) return std::nullopt;
    return Json::parse(stmt.text(0));
}

Json JobsService::require_settings(std::int64_t job_id) {
    auto settings = find_settings(job_id);
    if (!settings) throw job_not_found(job_id);
    return *settings;
}

Json JobsService::get(std::int64_t job_id, bool jobs_2_0) {
    auto stmt = root_.db().prepare("SELECT settings, created_time, creator FROM jobs WHERE job_id = ?");
    stmt.bind(1, job_id);
    if (!stmt.step()) throw job_not_found(job_id);
    return Json{{"job_id", job_id},
                {"creator_user_name", stmt.text(2)},
                {"run_as_user_name", stmt.text(2)},
                {"created_time", stmt.integer(1)},
                {"settings", jobs_2_0 ? single_task_view(Json::parse(stmt.text(0))) : Json::parse(stmt.text(0))}};
}

Json JobsService::list(std::optional<std::string> name, std::int64_t limit, std::int64_t offset, bool expand_tasks,
                       bool jobs_2_0) {
    if (limit < 0 || limit > 100) throw api::invalid_parameter("limit must be between 0 and 100");
    if (limit == 0) limit = 20;
    auto stmt = root_.db().prepare("SELECT job_id, settings, created_time, creator FROM jobs ORDER BY job_id");
    Json jobs = Json::array();
    std::int64_t skipped = 0;
    bool has_more = false;
    while (stmt.step()) {
        auto settings = Json::parse(stmt.text(1));
        if (name && lower(settings.value("name", "")) != lower(*name)) continue;
        if (skipped++ < offset) continue;
        if (static_cast<std::int64_t>(jobs.size()) == limit) {
            has_more = true;
            break;
        }
        if (jobs_2_0) settings = single_task_view(std::move(settings));
        if (!expand_tasks) {
            settings.erase("tasks");
            settings.erase("job_clusters");
        }
        jobs.push_back(Json{{"job_id", stmt.integer(0)},
                            {"creator_user_name", stmt.text(3)},
                            {"created_time", stmt.integer(2)},
                            {"settings", std::move(settings)}});
    }
    Json result = Json::object();
    if (!jobs.empty()) result["jobs"] = std::move(jobs);
    result["has_more"] = has_more;
    if (has_more) result["next_page_token"] = std::to_string(offset + limit);
    return result;
}

void JobsService::store(std::int64_t job_id, const Json& settings) {
    root_.db().write_transaction([&] {
        root_.db().prepare("UPDATE jobs SET settings = ? WHERE job_id = ?").bind(1, settings.dump()).bind(2, job_id).run();
        if (root_.db().changes() == 0) throw job_not_found(job_id);
    });
}

void JobsService::reset(std::int64_t job_id, Json settings) {
    require_settings(job_id);
    validate_settings(root_, settings);
    if (!settings.contains("name")) settings["name"] = "Untitled";
    store(job_id, settings);
}

void JobsService::update(std::int64_t job_id, Json new_settings, const Json& fields_to_remove, bool jobs_2_0) {
    auto settings = require_settings(job_id);
    if (!new_settings.is_null() && !new_settings.is_object()) throw api::invalid_parameter("new_settings must be an object");
    // A 2.0 update of a single-task job changes its one task's fields in place.
    if (jobs_2_0 && is_single_task(settings) && new_settings.is_object())
        for (const auto& field : single_task_fields(new_settings, JobDocument::Settings)) {
            settings["tasks"][0][field] = new_settings[field];
            new_settings.erase(field);
        }
    refuse_single_task_fields(new_settings, JobDocument::Settings, "new_settings.");
    for (const auto& field : fields_to_remove) {
        if (!field.is_string()) throw api::invalid_parameter("fields_to_remove must list strings");
        auto name = field.get<std::string>();
        auto slash = name.find('/');
        if (slash == std::string::npos) {
            if (jobs_2_0 && is_single_task(settings)) settings["tasks"][0].erase(name);
            settings.erase(name);
            continue;
        }
        auto list = name.substr(0, slash);
        auto key = name.substr(slash + 1);
        auto key_name = list == "tasks" ? "task_key" : "job_cluster_key";
        if (!settings.contains(list)) continue;
        auto& items = settings[list];
        items.erase(std::remove_if(items.begin(), items.end(), [&](const Json& item) { return item.value(key_name, "") == key; }),
                    items.end());
    }
    if (new_settings.is_object()) {
        for (const auto& [field, value] : new_settings.items()) {
            if ((field == "tasks" || field == "job_clusters") && settings.contains(field) && value.is_array())
                merge_keyed(settings[field], value, field == "tasks" ? "task_key" : "job_cluster_key");
            else settings[field] = value;
        }
    }
    validate_settings(root_, settings);
    store(job_id, settings);
}

void JobsService::remove(std::int64_t job_id) {
    root_.db().write_transaction([&] {
        root_.db().prepare("DELETE FROM jobs WHERE job_id = ?").bind(1, job_id).run();
        if (root_.db().changes() == 0) throw job_not_found(job_id);
    });
}

}  // namespace brix::engine::jobs
