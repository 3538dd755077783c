// SCIM PATCH (RFC 7644 §3.5.2) as Databricks takes it: Operations of add, remove and replace
// (any case, as identity providers send them) on a path, or without a path on an object of
// attributes. Lists take `attribute[value eq "x"]` paths to remove one entry; `members` on groups
// and `groups` on users and service principals change memberships.
#include <algorithm>
#include <regex>

#include "engine/identity/scim.hpp"
#include "engine/identity/scim_attributes.hpp"

namespace brix::engine::identity {
namespace {

using api::Json;

struct Target {
    std::string attribute;
    std::optional<std::string> value;  // from `attribute[value eq "x"]`
};

Target target_of(const std::string& path) {
    static const std::regex kFiltered(R"re(^\s*(\w+)\[\s*value\s+eq\s+["']([^"']*)["']\s*\]\s*$)re", std::regex::icase);
    static const std::regex kPlain(R"(^\w+$)");
    std::smatch match;
    if (std::regex_match(path, match, kFiltered)) return Target{match[1], std::string(match[2])};
    if (!std::regex_match(path, kPlain)) throw api::invalid_parameter("Unsupported PATCH path '" + path + "'");
    return Target{path, std::nullopt};
}

bool is_list(const std::string& attribute) {
    return attribute == "members" || attribute == "groups" || attribute == "entitlements" || attribute == "roles" ||
           attribute == "emails";
}

Json as_list(const Json& value) { return value.is_array() ? value : Json::array({value}); }

// Memberships are kept on the group: `groups` of a user edits the groups it names.
void edit_groups(store::Database& db, const Principal& member, const std::string& op, const Json& entries,
                 const std::optional<std::string>& only) {
    auto id = std::to_string(member.id);
    for (auto group : list_principals(db, PrincipalKind::Group)) {
        auto group_id = std::to_string(group.id);
        bool named = only ? *only == group_id
                          : std::any_of(entries.begin(), entries.end(),
                                        [&](const Json& e) { return e.is_object() && e.value("value", "") == group_id; });
        if (!named) continue;
        auto& members = group.resource["members"];
        if (!members.is_array()) members = Json::array();
        auto it = std::find_if(members.begin(), members.end(), [&](const Json& m) { return m.value("value", "") == id; });
        if (op == "remove" && it != members.end()) members.erase(it);
        else if (op != "remove" && it == members.end()) members.push_back(Json{{"value", id}});
        else continue;
        save_principal(db, group);
    }
}

void apply(store::Database& db, Principal& principal, const std::string& op, const std::string& path, const Json& value) {
    auto target = target_of(path);
    if (target.attribute == "groups" && principal.kind != PrincipalKind::Group) {
        edit_groups(db, principal, op, as_list(value), target.value);
        return;
    }
    Json current = principal.resource.value(target.attribute, Json());
    if (op == "remove") {
        if (target.value && current.is_array()) {
            Json kept = Json::array();
            for (const auto& entry : current)
                if (!entry.is_object() || entry.value("value", "") != *target.value) kept.push_back(entry);
            set_attribute(db, principal, target.attribute, kept);
            return;
        }
        if (target.attribute == name_attribute(principal.kind))
            throw api::invalid_parameter(target.attribute + " cannot be removed");
        principal.resource.erase(target.attribute);
        return;
    }
    if (op == "add" && is_list(target.attribute)) {
        Json merged = current.is_array() ? current : Json::array();
        for (const auto& entry : as_list(value))
            if (std::find(merged.begin(), merged.end(), entry) == merged.end()) merged.push_back(entry);
        set_attribute(db, principal, target.attribute, merged);
        return;
    }
    set_attribute(db, principal, target.attribute, value);
}

}  // namespace

void ScimService::patch(PrincipalKind kind, const std::string& id, const Json& body) {
    if (!body.is_object() || !body.contains("Operations") || !body["Operations"].is_array())
        throw api::invalid_parameter("A PATCH request needs Operations: [{\"op\": \"add|remove|replace\", ...}]");
    auto principal = require(kind, id);
    auto& db = root_.db();
    db.write_transaction([&] {
        for (const auto& operation : body["Operations"]) {
            if (!operation.is_object()) throw api::invalid_parameter("Each PATCH operation must be an object");
            auto op = ascii_lower(operation.value("op", ""));
            if (op != "add" && op != "remove" && op != "replace")
                throw api::invalid_parameter("Unsupported PATCH op '" + operation.value("op", "") + "'");
            auto value = operation.value("value", Json());
            if (operation.contains("path") && operation["path"].is_string()) {
                apply(db, principal, op, operation["path"].get<std::string>(), value);
                continue;
            }
            if (op == "remove" || !value.is_object())
                throw api::invalid_parameter("A PATCH operation without a path needs an object of attributes as its value");
            for (const auto& [key, field] : value.items()) apply(db, principal, op, key, field);
        }
        save_principal(db, principal);
    });
}

}  // namespace brix::engine::identity
