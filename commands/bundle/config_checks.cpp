#include "commands/bundle/config_checks.hpp"

#include <map>
#include <set>

#include "commands/bundle/task_paths.hpp"

namespace brix::commands::bundle {
namespace {

enum class Support { Yes, Ignored, Refused };
using Rules = std::map<std::string, std::pair<Support, const char*>>;

const Rules& top_level_rules() {
    static const Rules rules = {
        {"bundle", {Support::Yes, ""}},
        {"variables", {Support::Yes, ""}},
        {"workspace", {Support::Yes, ""}},
        {"resources", {Support::Yes, ""}},
        {"targets", {Support::Yes, ""}},
        {"environments", {Support::Yes, ""}},
        {"sync", {Support::Yes, ""}},
        {"permissions", {Support::Ignored, "brix sets no permissions: the jobs keep the workspace's defaults"}},
        {"presets", {Support::Ignored, "name prefixes, tags and other presets are not applied"}},
        {"experimental", {Support::Ignored, "experimental settings are not supported"}},
        {"artifacts", {Support::Refused, "brix builds no artifacts, so tasks needing them would fail"}},
        {"run_as", {Support::Refused, "the jobs would run as the deploying user instead"}},
        {"python", {Support::Refused, "resources defined in Python are not loaded, so they would be missing"}},
        {"scripts", {Support::Refused, "brix runs no deploy scripts"}},
    };
    return rules;
}

const Rules& bundle_rules() {
    static const Rules rules = {
        {"name", {Support::Yes, ""}},
        {"uuid", {Support::Yes, ""}},
        {"git", {Support::Ignored, "it only describes the repository"}},
        {"databricks_cli_version", {Support::Ignored, "it pins the Databricks CLI, not brix"}},
        {"deployment", {Support::Ignored, "deploys always take the lock and never check for active runs"}},
        {"cluster_id", {Support::Refused, "the tasks would run on their own clusters instead"}},
        {"compute_id", {Support::Refused, "the tasks would run on their own clusters instead"}},
    };
    return rules;
}

const std::set<std::string> kWorkspacePaths = {"host", "profile", "root_path", "file_path", "state_path", "artifact_path", "resource_path"};

const Rules& sync_rules() {
    static const Rules rules = {
        {"include", {Support::Yes, ""}},
        {"exclude", {Support::Yes, ""}},
        {"paths", {Support::Refused, "files are always synced from the bundle folder"}},
    };
    return rules;
}

void check_keys(const api::Json& section, const std::string& prefix, const Rules& rules, Diagnostics& diagnostics) {
    if (!section.is_object()) return;
    for (const auto& [key, value] : section.items()) {
        auto where = prefix.empty() ? key : prefix + "." + key;
        auto rule = rules.find(key);
        if (rule == rules.end()) diagnostics.warning(where + " is not a setting brix knows; it is ignored");
        else if (rule->second.first == Support::Ignored) diagnostics.warning(where + " is ignored: " + rule->second.second);
        else if (rule->second.first == Support::Refused) diagnostics.error(where + " is not supported by brix: " + rule->second.second);
    }
}

void check_workspace(const api::Json& workspace, Diagnostics& diagnostics) {
    if (workspace.is_null()) return;
    if (!workspace.is_object()) return diagnostics.error("workspace must be a mapping (host, root_path, ...)");
    for (const auto& [key, value] : workspace.items())
        if (!kWorkspacePaths.count(key))
            diagnostics.warning("workspace." + key + " is ignored: brix takes credentials from profiles and DATABRICKS_* variables");
}

// Library paths in the bundle folder would need building and uploading (artifacts).
void check_libraries(api::Json& jobs, Diagnostics& diagnostics) {
    for_each_task(jobs, "resources.jobs", [&](api::Json& task, const api::Json&, const std::string& where) {
        if (!task.contains("libraries") || !task["libraries"].is_array()) return;
        for (std::size_t i = 0; i < task["libraries"].size(); ++i) {
            const auto& library = task["libraries"][i];
            if (!library.is_object()) continue;
            for (const char* kind : {"whl", "jar", "egg", "requirements"})
                if (library.contains(kind) && library[kind].is_string() && is_local_path(library[kind].get<std::string>()))
                    diagnostics.error(where + ".libraries[" + std::to_string(i) + "]." + kind + ": " + library[kind].get<std::string>() +
                                      " is a local file; brix uploads no libraries (give a workspace, volume or PyPI location)");
        }
    });
}

void check_string_list(const api::Json& sync, const char* key, Diagnostics& diagnostics) {
    if (!sync.is_object() || !sync.contains(key) || sync[key].is_null()) return;
    bool strings = sync[key].is_array();
    for (const auto& item : sync[key]) strings = strings && item.is_string();
    if (!strings) diagnostics.error(std::string("sync.") + key + " must be a list of glob patterns");
}

}  // namespace

void check_top_level(const api::Json& document, Diagnostics& diagnostics) {
    check_keys(document, "", top_level_rules(), diagnostics);
    if (document.contains("bundle")) check_keys(document["bundle"], "bundle", bundle_rules(), diagnostics);
}

void check_resources(api::Json& document, Diagnostics& diagnostics) {
    check_workspace(document.value("workspace", api::Json()), diagnostics);
    if (document.contains("sync")) {
        check_keys(document["sync"], "sync", sync_rules(), diagnostics);
        check_string_list(document["sync"], "include", diagnostics);
        check_string_list(document["sync"], "exclude", diagnostics);
    }
    if (!document.contains("resources") || document["resources"].is_null()) return;
    auto& resources = document["resources"];
    if (!resources.is_object()) return diagnostics.error("resources must be a mapping (jobs: ...)");
    for (const auto& [type, value] : resources.items())
        if (type != "jobs")
            diagnostics.error("resources." + type + " is not supported by brix (only resources.jobs): the deploy would leave them out");
    if (!resources.contains("jobs") || resources["jobs"].is_null()) return;
    auto& jobs = resources["jobs"];
    if (!jobs.is_object()) return diagnostics.error("resources.jobs must be a mapping of keys to job settings");
    for (auto& [key, job] : jobs.items()) {
        if (!job.is_object()) {
            diagnostics.error("resources.jobs." + key + " must be a mapping of job settings");
            continue;
        }
        if (job.contains("permissions")) {
            diagnostics.warning("resources.jobs." + key + ".permissions is ignored: brix sets no permissions");
            job.erase("permissions");
        }
    }
    check_libraries(jobs, diagnostics);
}

}  // namespace brix::commands::bundle
