#include "commands/bundle/targets.hpp"

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "commands/bundle/config_files.hpp"

namespace brix::commands::bundle {
namespace {

enum class Support { Merged, Read, Ignored, Refused };

// What a target may hold, and what brix does with it. Ignored keys get a warning; refused ones
// are errors, because deploying without them would not do what the bundle says.
const std::map<std::string, std::pair<Support, const char*>>& target_keys() {
    static const std::map<std::string, std::pair<Support, const char*>> keys = {
        {"default", {Support::Read, ""}},
        {"mode", {Support::Read, ""}},
        {"variables", {Support::Read, ""}},
        {"bundle", {Support::Merged, ""}},
        {"workspace", {Support::Merged, ""}},
        {"resources", {Support::Merged, ""}},
        {"sync", {Support::Merged, ""}},
        {"permissions", {Support::Merged, ""}},
        {"presets", {Support::Merged, ""}},
        {"git", {Support::Ignored, "it only describes the repository"}},
        {"run_as", {Support::Refused, "the jobs would run as the deploying user instead"}},
        {"artifacts", {Support::Refused, "brix builds no artifacts, so tasks needing them would fail"}},
        {"cluster_id", {Support::Refused, "the tasks would run on their own clusters instead"}},
        {"compute_id", {Support::Refused, "the tasks would run on their own clusters instead"}},
    };
    return keys;
}

const char* targets_key(const api::Json& document) {
    return document.contains("targets") ? "targets" : document.contains("environments") ? "environments" : nullptr;
}

std::string known_names(const api::Json& targets) {
    std::string names;
    for (const auto& [name, unused] : targets.items()) names += (names.empty() ? "" : ", ") + name;
    return names;
}

}  // namespace

std::string select_target(const api::Json& document, const std::optional<std::string>& requested) {
    const char* key = targets_key(document);
    const api::Json targets = key && document[key].is_object() ? document[key] : api::Json::object();
    auto wanted = requested;
    if (!wanted)
        if (const char* env = std::getenv("DATABRICKS_BUNDLE_TARGET"); env && *env) wanted = env;
    if (wanted) {
        if (targets.contains(*wanted) || (targets.empty() && *wanted == "default")) return *wanted;
        throw std::runtime_error("no target " + *wanted + " in the bundle" +
                                 (targets.empty() ? " (it declares none)" : " (targets: " + known_names(targets) + ")"));
    }
    if (targets.empty()) return "default";
    std::vector<std::string> defaults;
    for (const auto& [name, target] : targets.items())
        if (target.is_object() && target.contains("default") && target["default"] == true) defaults.push_back(name);
    if (defaults.size() == 1) return defaults.front();
    if (defaults.size() > 1) throw std::runtime_error("several targets are marked default: true: " + defaults[0] + " and " + defaults[1]);
    if (targets.size() == 1) return targets.begin().key();
    throw std::runtime_error("choose a target with -t (targets: " + known_names(targets) + "), or mark one default: true");
}

TargetSettings apply_target(api::Json& document, const std::string& name, Diagnostics& diagnostics) {
    TargetSettings settings;
    if (document.contains("targets") && document.contains("environments"))
        diagnostics.error("targets and environments cannot both be given (environments is the old name of targets)");
    else if (document.contains("environments"))
        diagnostics.warning("environments is the old name of targets; rename it");
    const char* key = targets_key(document);
    api::Json target = key && document[key].is_object() && document[key].contains(name) ? document[key][name] : api::Json();
    if (key) document.erase(key);
    if (target.is_null()) return settings;
    auto where = std::string(key) + "." + name;
    if (!target.is_object()) {
        diagnostics.error(where + " must be a mapping");
        return settings;
    }
    api::Json overlay = api::Json::object();
    for (const auto& [field, value] : target.items()) {
        auto known = target_keys().find(field);
        if (known == target_keys().end()) {
            diagnostics.warning(where + "." + field + " is not a target setting brix knows; it is ignored");
            continue;
        }
        auto [support, reason] = known->second;
        if (support == Support::Merged) overlay[field] = value;
        if (support == Support::Ignored) diagnostics.warning(where + "." + field + " is ignored: " + reason);
        if (support == Support::Refused) diagnostics.error(where + "." + field + " is not supported by brix: " + reason);
    }
    if (target.contains("mode") && !target["mode"].is_null()) {
        settings.mode = target["mode"].is_string() ? target["mode"].get<std::string>() : "";
        if (settings.mode != "development" && settings.mode != "production")
            diagnostics.error(where + ".mode must be development or production, not " + target["mode"].dump());
    }
    if (target.contains("variables") && !target["variables"].is_null()) {
        if (target["variables"].is_object()) settings.variables = target["variables"];
        else diagnostics.error(where + ".variables must be a mapping of variable names to values");
    }
    // A target's sync lists add to the bundle's, as the Databricks CLI does.
    if (overlay.contains("sync") && overlay["sync"].is_object() && document.contains("sync") && document["sync"].is_object()) {
        for (const char* list : {"include", "exclude"}) {
            if (!overlay["sync"].contains(list) || !document["sync"].contains(list)) continue;
            auto joined = document["sync"][list];
            if (joined.is_array() && overlay["sync"][list].is_array())
                for (const auto& pattern : overlay["sync"][list]) joined.push_back(pattern);
            overlay["sync"][list] = joined;
        }
    }
    merge_into(document, overlay);
    return settings;
}

}  // namespace brix::commands::bundle
