#include "commands/bundle/config_files.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "commands/bundle/glob.hpp"
#include "commands/bundle/task_paths.hpp"
#include "commands/jobs/job_input.hpp"
#include "commands/local_files.hpp"

namespace brix::commands::bundle {
namespace fs = std::filesystem;
namespace {

// Lists that Databricks keys by a field: a target's entry changes the base entry with that key.
const std::map<std::string, std::string>& list_keys() {
    static const std::map<std::string, std::string> keys = {{"tasks", "task_key"},
                                                            {"job_clusters", "job_cluster_key"},
                                                            {"parameters", "name"},
                                                            {"environments", "environment_key"}};
    return keys;
}

// How deep a merge is: keyed lists merge only inside a resource (resources.jobs.etl.tasks), where
// a list of strings such as spark_python_task.parameters still gets replaced whole.
enum class Level { Document, Resources, ResourceType, Resource, Inside };

Level level_below(Level level, const std::string& key) {
    switch (level) {
        case Level::Document: return key == "resources" ? Level::Resources : Level::Inside;
        case Level::Resources: return Level::ResourceType;
        case Level::ResourceType: return Level::Resource;
        default: return Level::Inside;
    }
}

void merge_at(api::Json& base, const api::Json& overlay, Level level);

void merge_keyed_list(api::Json& base, const api::Json& overlay, const std::string& key_field) {
    for (const auto& item : overlay) {
        auto key = item.is_object() ? item.find(key_field) : item.end();
        auto same = key == item.end() ? base.end() : std::find_if(base.begin(), base.end(), [&](const api::Json& existing) {
            return existing.is_object() && existing.contains(key_field) && existing[key_field] == *key;
        });
        if (same == base.end()) base.push_back(item);
        else merge_at(*same, item, Level::Inside);
    }
}

void merge_at(api::Json& base, const api::Json& overlay, Level level) {
    if (!base.is_object() || !overlay.is_object()) {
        base = overlay;
        return;
    }
    for (const auto& [key, value] : overlay.items()) {
        auto existing = base.find(key);
        if (existing == base.end()) {
            base[key] = value;
            continue;
        }
        auto list_key = level == Level::Resource ? list_keys().find(key) : list_keys().end();
        if (list_key != list_keys().end() && existing->is_array() && value.is_array())
            merge_keyed_list(*existing, value, list_key->second);
        else if (existing->is_object() && value.is_object())
            merge_at(*existing, value, level_below(level, key));
        else
            *existing = value;
    }
}

api::Json read_yaml_file(const fs::path& file, const std::string& shown_name) {
    auto text = read_local_file(file.string());
    try {
        return jobs::yaml_to_json(text);
    } catch (const std::exception& error) {
        throw std::runtime_error("cannot parse " + shown_name + ": " + error.what());
    }
}

// Every file under the root an include glob could name, skipping folders no configuration lives in.
std::vector<std::string> candidate_files(const fs::path& root) {
    std::vector<std::string> found;
    std::error_code error;
    fs::recursive_directory_iterator walk(root, fs::directory_options::skip_permission_denied, error);
    for (auto it = walk; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        auto name = it->path().filename().string();
        if (it->is_directory()) {
            if (name == ".git" || name == ".databricks" || name == "node_modules" || name == ".venv") it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) found.push_back(it->path().lexically_relative(root).generic_string());
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::vector<std::string> included_files(const fs::path& root, const api::Json& include, const std::string& root_file,
                                        Diagnostics& diagnostics) {
    std::vector<std::string> chosen;
    if (include.is_null()) return chosen;
    if (!include.is_array()) {
        diagnostics.error("include must be a list of file names or globs");
        return chosen;
    }
    auto candidates = candidate_files(root);
    for (const auto& entry : include) {
        if (!entry.is_string()) {
            diagnostics.error("include: every entry must be a file name or a glob, not " + entry.dump());
            continue;
        }
        auto pattern = fs::path(entry.get<std::string>()).lexically_normal().generic_string();
        std::size_t matched = 0;
        for (const auto& file : candidates) {
            if (file == root_file || !glob_match(pattern, file)) continue;
            ++matched;
            if (std::find(chosen.begin(), chosen.end(), file) == chosen.end()) chosen.push_back(file);
        }
        if (matched == 0) diagnostics.warning("include: " + entry.get<std::string>() + " matches no file");
    }
    return chosen;
}

// Adds one included file's resources, refusing a resource that another file already defines.
void merge_file(ConfigFiles& files, api::Json document, const std::string& name, Diagnostics& diagnostics) {
    if (document.contains("include")) {
        diagnostics.error(name + ": include is only allowed in " + files.root_file);
        document.erase("include");
    }
    if (document.contains("resources") && document["resources"].is_object()) {
        for (auto& [type, resources] : document["resources"].items()) {
            if (!resources.is_object()) continue;
            for (auto& [key, value] : resources.items()) {
                auto id = "resources." + type + "." + key;
                auto [at, fresh] = files.defined_in.emplace(id, name);
                if (!fresh) diagnostics.error(id + " is defined in both " + at->second + " and " + name);
            }
        }
    }
    merge_into(files.document, document);
}

void record_resources(ConfigFiles& files) {
    const auto& document = files.document;
    if (!document.contains("resources") || !document["resources"].is_object()) return;
    for (const auto& [type, resources] : document["resources"].items())
        if (resources.is_object())
            for (const auto& [key, value] : resources.items()) files.defined_in.emplace("resources." + type + "." + key, files.root_file);
}

}  // namespace

fs::path find_bundle_root(const fs::path& start) {
    if (const char* configured = std::getenv("DATABRICKS_BUNDLE_ROOT"); configured && *configured) {
        fs::path root = fs::absolute(configured);
        for (const char* name : kConfigNames)
            if (fs::is_regular_file(root / name)) return root;
        throw std::runtime_error("DATABRICKS_BUNDLE_ROOT is " + root.string() + " but it holds no databricks.yml");
    }
    for (auto dir = fs::absolute(start); ; dir = dir.parent_path()) {
        for (const char* name : kConfigNames)
            if (fs::is_regular_file(dir / name)) return dir;
        if (dir == dir.root_path() || dir.parent_path() == dir) break;
    }
    throw std::runtime_error("no databricks.yml in " + fs::absolute(start).string() +
                             " or any folder above it: run bundle commands inside a bundle");
}

ConfigFiles load_config_files(const fs::path& root, Diagnostics& diagnostics) {
    ConfigFiles files;
    for (const char* name : kConfigNames) {
        if (!fs::is_regular_file(root / name)) continue;
        files.root_file = name;
        break;
    }
    files.document = read_yaml_file(root / files.root_file, files.root_file);
    if (files.document.is_null()) files.document = api::Json::object();
    if (!files.document.is_object()) throw std::runtime_error(files.root_file + " must hold a mapping (bundle:, resources:, ...)");
    anchor_task_paths(files.document, "");
    record_resources(files);
    auto include = files.document.value("include", api::Json());
    files.document.erase("include");
    for (const auto& name : included_files(root, include, files.root_file, diagnostics)) {
        auto document = read_yaml_file(root / name, name);
        if (document.is_null()) continue;
        if (!document.is_object()) {
            diagnostics.error(name + " must hold a mapping, like " + files.root_file);
            continue;
        }
        anchor_task_paths(document, fs::path(name).parent_path());
        merge_file(files, std::move(document), name, diagnostics);
    }
    return files;
}

void merge_into(api::Json& base, const api::Json& overlay) { merge_at(base, overlay, Level::Document); }

}  // namespace brix::commands::bundle
