#include "engine/identity/scim.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "engine/identity/scim_attributes.hpp"
#include "engine/params.hpp"
#include "engine/store/random_ids.hpp"

namespace brix::engine::identity {
namespace {

using api::Json;

const char* schema_of(PrincipalKind kind) {
    switch (kind) {
        case PrincipalKind::Group: return "urn:ietf:params:scim:schemas:core:2.0:Group";
        case PrincipalKind::ServicePrincipal: return "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal";
        case PrincipalKind::User: break;
    }
    return "urn:ietf:params:scim:schemas:core:2.0:User";
}

const char* noun_of(PrincipalKind kind) {
    return kind == PrincipalKind::User ? "User" : kind == PrincipalKind::Group ? "Group" : "Service principal";
}

const std::vector<std::string>& settable(PrincipalKind kind) {
    static const std::vector<std::string> user = {"userName", "displayName", "active", "emails", "name",
                                                  "externalId", "entitlements", "roles"};
    static const std::vector<std::string> group = {"displayName", "members", "externalId", "entitlements", "roles"};
    static const std::vector<std::string> sp = {"applicationId", "displayName", "active", "externalId", "entitlements", "roles"};
    return kind == PrincipalKind::User ? user : kind == PrincipalKind::Group ? group : sp;
}

bool is_settable(PrincipalKind kind, const std::string& attribute) {
    const auto& names = settable(kind);
    return std::find(names.begin(), names.end(), attribute) != names.end();
}

std::int64_t parse_id(const std::string& id) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
    return error == std::errc() && end == id.data() + id.size() ? value : -1;
}

api::ApiError missing_principal(PrincipalKind kind, const std::string& id) {
    return api::ApiError(404, "RESOURCE_DOES_NOT_EXIST", std::string(noun_of(kind)) + " with id " + id + " not found.");
}

api::ApiError duplicate(PrincipalKind kind, const std::string& name) {
    return api::ApiError(409, "RESOURCE_ALREADY_EXISTS", std::string(noun_of(kind)) + " with " + name_attribute(kind) +
                                                             " " + name + " already exists.");
}

std::map<std::int64_t, Principal> everyone(store::Database& db) {
    std::map<std::int64_t, Principal> all;
    for (auto kind : {PrincipalKind::User, PrincipalKind::Group, PrincipalKind::ServicePrincipal})
        for (auto& row : list_principals(db, kind)) all.emplace(row.id, std::move(row));
    return all;
}

const char* ref_collection(PrincipalKind kind) {
    return kind == PrincipalKind::User ? "Users/" : kind == PrincipalKind::Group ? "Groups/" : "ServicePrincipals/";
}

// `members` of a request: [{"value": "<id>"}] naming principals that exist.
Json checked_members(store::Database& db, const Json& members) {
    if (!members.is_array()) throw api::invalid_parameter("members must be a list of {\"value\": \"<id>\"}");
    auto all = everyone(db);
    Json out = Json::array();
    for (const auto& member : members) {
        auto id = member.is_object() && member.contains("value") && member["value"].is_string()
                      ? parse_id(member["value"].get<std::string>())
                      : -1;
        if (!all.count(id)) throw api::invalid_parameter("members: no principal has the id " + member.dump());
        out.push_back(Json{{"value", std::to_string(id)}});
    }
    return out;
}

// Group memberships given on a user or service principal: [{"value": "<group id>"}].
void join_groups(store::Database& db, std::int64_t member_id, const Json& groups) {
    if (!groups.is_array()) throw api::invalid_parameter("groups must be a list of {\"value\": \"<group id>\"}");
    for (const auto& entry : groups) {
        auto id = entry.is_object() && entry.contains("value") && entry["value"].is_string()
                      ? parse_id(entry["value"].get<std::string>())
                      : -1;
        auto group = find_principal_by_id(db, PrincipalKind::Group, id);
        if (!group) throw api::invalid_parameter("groups: no group has the id " + entry.dump());
        auto& members = group->resource["members"];
        if (!members.is_array()) members = Json::array();
        members.push_back(Json{{"value", std::to_string(member_id)}});
        save_principal(db, *group);
    }
}

void fill_from(store::Database& db, Principal& principal, const Json& body) {
    for (const auto& [key, value] : body.items()) {
        if (key == "id" || key == "schemas" || key == "groups" || key == "meta" || value.is_null()) continue;
        set_attribute(db, principal, key, value);
    }
}

}  // namespace

const char* name_attribute(PrincipalKind kind) {
    return kind == PrincipalKind::User ? "userName" : kind == PrincipalKind::Group ? "displayName" : "applicationId";
}

void set_attribute(store::Database& db, Principal& principal, const std::string& attribute, const Json& value) {
    if (!is_settable(principal.kind, attribute))
        throw api::invalid_parameter("Attribute " + attribute + " cannot be set on a " + noun_of(principal.kind));
    if (attribute == "active" && !value.is_boolean()) throw api::invalid_parameter("active must be true or false");
    bool is_list = attribute == "emails" || attribute == "entitlements" || attribute == "roles" || attribute == "members";
    if (is_list && !value.is_array()) throw api::invalid_parameter(attribute + " must be a list");
    if ((attribute == "userName" || attribute == "displayName" || attribute == "applicationId" ||
         attribute == "externalId") && !value.is_string())
        throw api::invalid_parameter(attribute + " must be a string");
    principal.resource[attribute] = attribute == "members" ? checked_members(db, value) : value;
    if (attribute == name_attribute(principal.kind)) {
        auto name = value.get<std::string>();
        if (name.empty()) throw api::invalid_parameter(attribute + " must not be empty");
        if (auto other = find_principal(db, principal.kind, name); other && other->id != principal.id)
            throw duplicate(principal.kind, name);
        principal.name = name;
    }
}

Json ScimService::render(const Principal& principal) {
    auto all = everyone(root_.db());
    Json out{{"id", std::to_string(principal.id)}};
    for (const auto& [key, value] : principal.resource.items()) {
        if (key != "members") {
            out[key] = value;
            continue;
        }
        Json members = Json::array();
        for (const auto& member : value) {
            auto found = all.find(parse_id(member.value("value", "")));
            if (found == all.end()) continue;
            members.push_back(Json{{"display", found->second.resource.value("displayName", found->second.name)},
                                   {"value", member["value"]},
                                   {"$ref", ref_collection(found->second.kind) + member["value"].get<std::string>()}});
        }
        out["members"] = std::move(members);
    }
    Json groups = Json::array();
    for (const auto& [id, row] : all) {
        if (row.kind != PrincipalKind::Group) continue;
        for (const auto& member : row.resource.value("members", Json::array()))
            if (member.value("value", "") == std::to_string(principal.id))
                groups.push_back(Json{{"display", row.name}, {"type", "direct"}, {"value", std::to_string(id)},
                                      {"$ref", "Groups/" + std::to_string(id)}});
    }
    if (!groups.empty()) out["groups"] = std::move(groups);
    if (principal.kind == PrincipalKind::Group) out["meta"] = Json{{"resourceType", "WorkspaceGroup"}};
    out["schemas"] = Json::array({schema_of(principal.kind)});
    return out;
}

Principal ScimService::require(PrincipalKind kind, const std::string& id) {
    current_user_principal(root_.db());
    auto found = find_principal_by_id(root_.db(), kind, parse_id(id));
    if (!found) throw missing_principal(kind, id);
    return *found;
}

Json ScimService::create(PrincipalKind kind, const Json& body) {
    if (!body.is_object()) throw api::invalid_parameter("the request body must be a JSON object");
    current_user_principal(root_.db());
    auto& db = root_.db();
    Principal principal{0, kind, "", Json::object()};
    db.write_transaction([&] {
        Json given = body;
        if (kind == PrincipalKind::ServicePrincipal && !given.contains("applicationId"))
            given["applicationId"] = store::random_uuid();
        if (!given.contains(name_attribute(kind)) || given[name_attribute(kind)].is_null())
            throw api::invalid_parameter(std::string("Missing required field: ") + name_attribute(kind));
        if (kind != PrincipalKind::Group && !given.contains("active")) given["active"] = true;
        if (kind == PrincipalKind::User && !given.contains("displayName")) given["displayName"] = given["userName"];
        fill_from(db, principal, given);
        if (find_principal(db, kind, principal.name)) throw duplicate(kind, principal.name);
        principal.id = insert_principal(db, principal);
        if (kind != PrincipalKind::Group && body.contains("groups")) join_groups(db, principal.id, body["groups"]);
    });
    return render(principal);
}

Json ScimService::get(PrincipalKind kind, const std::string& id) { return render(require(kind, id)); }

Json ScimService::list(PrincipalKind kind, const api::Request& request) {
    current_user_principal(root_.db());
    Params params(request);
    auto filter = params.text("filter").value_or("");
    auto start = std::max<std::int64_t>(params.integer("startIndex").value_or(1), 1);
    auto count = params.integer("count");
    if (count && *count < 0) throw api::invalid_parameter("count must not be negative");
    std::vector<Json> matched;
    for (const auto& row : list_principals(root_.db(), kind)) {
        auto resource = render(row);
        if (matches_filter(resource, filter)) matched.push_back(std::move(resource));
    }
    if (auto sort_by = params.text("sortBy")) {
        bool descending = params.text("sortOrder").value_or("ascending") == "descending";
        std::stable_sort(matched.begin(), matched.end(), [&](const Json& a, const Json& b) {
            auto x = a.value(*sort_by, Json()).dump(), y = b.value(*sort_by, Json()).dump();
            return descending ? y < x : x < y;
        });
    }
    std::vector<std::string> attributes;
    if (auto wanted = params.text("attributes")) {
        std::size_t at = 0;
        while (at <= wanted->size()) {
            auto comma = wanted->find(',', at);
            attributes.push_back(wanted->substr(at, comma == std::string::npos ? std::string::npos : comma - at));
            if (comma == std::string::npos) break;
            at = comma + 1;
        }
    }
    Json resources = Json::array();
    for (auto i = static_cast<std::size_t>(start - 1); i < matched.size(); ++i) {
        if (count && static_cast<std::int64_t>(resources.size()) >= *count) break;
        if (attributes.empty()) {
            resources.push_back(std::move(matched[i]));
            continue;
        }
        Json kept{{"id", matched[i]["id"]}};
        for (const auto& attribute : attributes)
            if (matched[i].contains(attribute)) kept[attribute] = matched[i][attribute];
        resources.push_back(std::move(kept));
    }
    Json result{{"totalResults", matched.size()}, {"startIndex", start}, {"itemsPerPage", resources.size()},
                {"schemas", Json::array({"urn:ietf:params:scim:api:messages:2.0:ListResponse"})}};
    if (!resources.empty()) result["Resources"] = std::move(resources);
    return result;
}

void ScimService::replace(PrincipalKind kind, const std::string& id, const Json& body) {
    if (!body.is_object()) throw api::invalid_parameter("the request body must be a JSON object");
    auto principal = require(kind, id);
    auto& db = root_.db();
    db.write_transaction([&] {
        Json keep = principal.resource;
        principal.resource = Json::object();
        // the naming attribute stays when the request leaves it out
        if (!body.contains(name_attribute(kind)) && keep.contains(name_attribute(kind)))
            principal.resource[name_attribute(kind)] = keep[name_attribute(kind)];
        fill_from(db, principal, body);
        save_principal(db, principal);
    });
}

void ScimService::remove(PrincipalKind kind, const std::string& id) {
    auto principal = require(kind, id);
    if (kind == PrincipalKind::Group && (principal.name == "admins" || principal.name == "users"))
        throw api::invalid_parameter("The " + principal.name + " group is built in and cannot be deleted.");
    root_.db().write_transaction([&] { delete_principal(root_.db(), principal); });
}

Json ScimService::me() { return render(current_user_principal(root_.db())); }

}  // namespace brix::engine::identity
