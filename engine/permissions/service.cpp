#include "engine/permissions/service.hpp"

#include <algorithm>
#include <map>

#include "engine/identity/principals.hpp"

namespace brix::engine::permissions {
namespace {

using api::Json;
using identity::PrincipalKind;

struct Grant {
    PrincipalKind kind = PrincipalKind::User;
    std::string principal;
    std::string level;
};

const char* acl_field(PrincipalKind kind) {
    return kind == PrincipalKind::User ? "user_name" : kind == PrincipalKind::Group ? "group_name" : "service_principal_name";
}

const char* acl_label(PrincipalKind kind) {
    return kind == PrincipalKind::User ? "UserName" : kind == PrincipalKind::Group ? "GroupName" : "ServicePrincipalName";
}

std::vector<Grant> stored_grants(store::Database& db, const AclHolder& holder) {
    auto stmt = db.prepare("SELECT principal_kind, principal, permission FROM object_acls "
                           "WHERE object_type = ? AND object_id = ? ORDER BY position");
    stmt.bind(1, holder.url_type).bind(2, holder.id);
    std::vector<Grant> grants;
    while (stmt.step()) {
        auto kind = stmt.text(0) == "GROUP" ? PrincipalKind::Group
                    : stmt.text(0) == "SERVICE_PRINCIPAL" ? PrincipalKind::ServicePrincipal
                                                          : PrincipalKind::User;
        grants.push_back(Grant{kind, stmt.text(1), stmt.text(2)});
    }
    return grants;
}

void store_grants(store::Database& db, const AclHolder& holder, const std::vector<Grant>& grants) {
    db.prepare("DELETE FROM object_acls WHERE object_type = ? AND object_id = ?").bind(1, holder.url_type).bind(2, holder.id).run();
    std::int64_t position = 0;
    for (const auto& grant : grants) {
        db.prepare("INSERT INTO object_acls (object_type, object_id, principal_kind, principal, permission, position) "
                   "VALUES (?, ?, ?, ?, ?, ?)")
            .bind(1, holder.url_type)
            .bind(2, holder.id)
            .bind(3, identity::kind_name(grant.kind))
            .bind(4, grant.principal)
            .bind(5, grant.level)
            .bind(6, ++position)
            .run();
    }
}

bool same_principal(const Grant& a, const Grant& b) { return a.kind == b.kind && a.principal == b.principal; }

// The object's direct grants: what was set, with the implicit ones of an object nobody set
// permissions on (its creator manages it) and a job's owner (its creator until one is named).
std::vector<Grant> direct_grants(store::Database& db, const GuardedObject& object) {
    auto grants = stored_grants(db, object.self);
    bool is_job = object.type->url_type == "jobs";
    if (!object.creator.empty()) {
        Grant creator{PrincipalKind::User, object.creator, is_job ? "IS_OWNER" : "CAN_MANAGE"};
        bool has_owner = std::any_of(grants.begin(), grants.end(), [](const Grant& g) { return g.level == "IS_OWNER"; });
        if (grants.empty() || (is_job && !has_owner &&
                               std::none_of(grants.begin(), grants.end(), [&](const Grant& g) { return same_principal(g, creator); })))
            grants.insert(grants.begin(), creator);
    }
    return grants;
}

// Grants from the request: one per principal (the last level given wins), principals that exist,
// levels the object type has.
std::vector<Grant> requested_grants(store::Database& db, const ObjectType& type, const Json& body) {
    if (!body.is_object()) throw api::invalid_parameter("the request body must be a JSON object");
    auto list = body.value("access_control_list", Json::array());
    if (!list.is_array()) throw api::invalid_parameter("access_control_list must be a list");
    std::vector<Grant> grants;
    for (const auto& entry : list) {
        if (!entry.is_object()) throw api::invalid_parameter("Each access_control_list entry must be an object");
        std::vector<Grant> named;
        for (auto kind : {PrincipalKind::User, PrincipalKind::Group, PrincipalKind::ServicePrincipal}) {
            auto it = entry.find(acl_field(kind));
            if (it != entry.end() && it->is_string() && !it->get<std::string>().empty())
                named.push_back(Grant{kind, it->get<std::string>(), ""});
        }
        if (named.size() != 1)
            throw api::invalid_parameter("Each access_control_list entry needs exactly one of user_name, group_name or "
                                         "service_principal_name: " + entry.dump());
        auto grant = named.front();
        auto level = entry.value("permission_level", Json());
        if (!level.is_string()) throw api::invalid_parameter("permission_level is required: " + entry.dump());
        grant.level = level.get<std::string>();
        if (std::find(type.levels.begin(), type.levels.end(), grant.level) == type.levels.end())
            throw api::invalid_parameter("Permission level " + grant.level + " is not supported for " + type.url_type);
        auto principal = identity::find_principal(db, grant.kind, grant.principal);
        if (!principal && !(grant.kind == PrincipalKind::User && identity::principal_exists(db, grant.principal)))
            throw api::ApiError(404, "RESOURCE_DOES_NOT_EXIST",
                                std::string("Principal: ") + acl_label(grant.kind) + "(" + grant.principal + ") does not exist");
        if (principal) grant.principal = principal->name;
        auto same = std::find_if(grants.begin(), grants.end(), [&](const Grant& g) { return same_principal(g, grant); });
        if (same != grants.end()) same->level = grant.level;
        else grants.push_back(grant);
    }
    return grants;
}

void check_owner(const GuardedObject& object, std::vector<Grant>& grants, bool owner_named) {
    if (object.type->url_type != "jobs") {
        if (std::any_of(grants.begin(), grants.end(), [](const Grant& g) { return g.level == "IS_OWNER"; }))
            throw api::invalid_parameter("IS_OWNER applies to jobs only");
        return;
    }
    auto owners = std::count_if(grants.begin(), grants.end(), [](const Grant& g) { return g.level == "IS_OWNER"; });
    if (owners > 1 || (owners == 0 && owner_named)) throw api::invalid_parameter("The job must have exactly one owner.");
    for (const auto& grant : grants)
        if (grant.level == "IS_OWNER" && grant.kind == PrincipalKind::Group)
            throw api::invalid_parameter("A job cannot have a group as its owner.");
}

Json permission(const std::string& level, const std::vector<std::string>& from) {
    Json entry{{"inherited", !from.empty()}, {"permission_level", level}};
    if (!from.empty()) entry["inherited_from_object"] = from;
    return entry;
}

Json render_acl(store::Database& db, const GuardedObject& object) {
    struct Entry {
        PrincipalKind kind;
        std::string principal;
        Json permissions = Json::array();
    };
    std::vector<Entry> entries;
    auto entry_for = [&](PrincipalKind kind, const std::string& principal) -> Json& {
        for (auto& entry : entries)
            if (entry.kind == kind && entry.principal == principal) return entry.permissions;
        entries.push_back(Entry{kind, principal});
        return entries.back().permissions;
    };
    for (const auto& grant : direct_grants(db, object)) entry_for(grant.kind, grant.principal).push_back(permission(grant.level, {}));
    for (const auto& folder : object.ancestors)
        for (const auto& grant : stored_grants(db, folder))
            entry_for(grant.kind, grant.principal).push_back(permission(grant.level, {folder.object_id}));
    auto root = object.ancestors.empty() && object.type->url_type != "directories" ? "/" + object.type->url_type + "/" : "/directories/";
    entry_for(PrincipalKind::Group, "admins").push_back(permission("CAN_MANAGE", {root}));

    Json list = Json::array();
    for (auto& entry : entries) {
        Json item{{acl_field(entry.kind), entry.principal}};
        if (entry.kind != PrincipalKind::Group)
            if (auto found = identity::find_principal(db, entry.kind, entry.principal); found && found->resource.contains("displayName"))
                item["display_name"] = found->resource["displayName"];
        item["all_permissions"] = std::move(entry.permissions);
        list.push_back(std::move(item));
    }
    return Json{{"object_id", object.self.object_id}, {"object_type", object.type->object_type}, {"access_control_list", list}};
}

}  // namespace

Json PermissionsService::get(const ObjectType& type, const std::string& id) {
    auto object = resolve_object(root_, type, id);
    return render_acl(root_.db(), object);
}

Json PermissionsService::change(const ObjectType& type, const std::string& id, const Json& body, Change how) {
    auto object = resolve_object(root_, type, id);
    auto& db = root_.db();
    identity::current_user_principal(db);
    db.write_transaction([&] {
        auto requested = requested_grants(db, type, body);
        auto list = body.value("access_control_list", Json::array());
        bool owner_named = std::any_of(list.begin(), list.end(), [](const Json& entry) {
            return entry.is_object() && entry.value("permission_level", Json()) == "IS_OWNER";
        });
        auto current = direct_grants(db, object);
        std::vector<Grant> grants;
        if (how == Change::Merge) grants = current;
        // naming an owner hands the ownership over
        if (owner_named)
            grants.erase(std::remove_if(grants.begin(), grants.end(), [](const Grant& g) { return g.level == "IS_OWNER"; }),
                         grants.end());
        for (const auto& grant : requested) {
            auto same = std::find_if(grants.begin(), grants.end(), [&](const Grant& g) { return same_principal(g, grant); });
            if (same != grants.end()) same->level = grant.level;
            else grants.push_back(grant);
        }
        // a request that names no owner keeps the job's owner
        auto owner = std::find_if(current.begin(), current.end(), [](const Grant& g) { return g.level == "IS_OWNER"; });
        if (!owner_named && owner != current.end() &&
            std::none_of(grants.begin(), grants.end(), [&](const Grant& g) { return same_principal(g, *owner); }))
            grants.insert(grants.begin(), *owner);
        check_owner(object, grants, owner_named);
        store_grants(db, object.self, grants);
    });
    return render_acl(db, object);
}

Json PermissionsService::levels(const ObjectType& type, const std::string& id) {
    resolve_object(root_, type, id);
    Json levels = Json::array();
    for (std::size_t i = 0; i < type.levels.size(); ++i)
        levels.push_back(Json{{"permission_level", type.levels[i]}, {"description", type.descriptions[i]}});
    return Json{{"permission_levels", levels}};
}

}  // namespace brix::engine::permissions
