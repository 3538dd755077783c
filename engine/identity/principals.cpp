#include "engine/identity/principals.hpp"

#include <algorithm>

#include "engine/identity/current_user.hpp"

namespace brix::engine::identity {
namespace {

using api::Json;

const char* const kPrincipalColumns = "SELECT id, kind, name, resource FROM principals ";

PrincipalKind kind_of(const std::string& text) {
    if (text == "GROUP") return PrincipalKind::Group;
    return text == "SERVICE_PRINCIPAL" ? PrincipalKind::ServicePrincipal : PrincipalKind::User;
}

Principal principal_of(store::Statement& stmt) {
    return Principal{stmt.integer(0), kind_of(stmt.text(1)), stmt.text(2), Json::parse(stmt.text(3))};
}

std::optional<Principal> first_principal(store::Statement& stmt) {
    if (!stmt.step()) return std::nullopt;
    return principal_of(stmt);
}

void add_member(store::Database& db, const std::string& group, std::int64_t member_id) {
    auto found = find_principal(db, PrincipalKind::Group, group);
    if (!found) return;
    auto& members = found->resource["members"];
    if (!members.is_array()) members = Json::array();
    for (const auto& member : members)
        if (member.value("value", "") == std::to_string(member_id)) return;
    members.push_back(Json{{"value", std::to_string(member_id)}});
    save_principal(db, *found);
}

}  // namespace

const char* kind_name(PrincipalKind kind) {
    switch (kind) {
        case PrincipalKind::Group: return "GROUP";
        case PrincipalKind::ServicePrincipal: return "SERVICE_PRINCIPAL";
        case PrincipalKind::User: break;
    }
    return "USER";
}

std::optional<Principal> find_principal(store::Database& db, PrincipalKind kind, const std::string& name) {
    auto stmt = db.prepare(std::string(kPrincipalColumns) + "WHERE kind = ? AND name = ? COLLATE NOCASE");
    stmt.bind(1, kind_name(kind)).bind(2, name);
    return first_principal(stmt);
}

std::optional<Principal> find_principal_by_id(store::Database& db, PrincipalKind kind, std::int64_t id) {
    auto stmt = db.prepare(std::string(kPrincipalColumns) + "WHERE kind = ? AND id = ?");
    stmt.bind(1, kind_name(kind)).bind(2, id);
    return first_principal(stmt);
}

std::vector<Principal> list_principals(store::Database& db, PrincipalKind kind) {
    auto stmt = db.prepare(std::string(kPrincipalColumns) + "WHERE kind = ? ORDER BY id");
    stmt.bind(1, kind_name(kind));
    std::vector<Principal> rows;
    while (stmt.step()) rows.push_back(principal_of(stmt));
    return rows;
}

bool principal_exists(store::Database& db, const std::string& name) {
    if (name == current_user()) return true;
    auto stmt = db.prepare("SELECT 1 FROM principals WHERE name = ? COLLATE NOCASE");
    stmt.bind(1, name);
    return stmt.step();
}

Principal current_user_principal(store::Database& db) {
    auto user = current_user();
    if (auto found = find_principal(db, PrincipalKind::User, user)) return *found;
    db.write_transaction([&] {
        if (find_principal(db, PrincipalKind::User, user)) return;
        Principal row{0, PrincipalKind::User, user,
                      Json{{"userName", user}, {"displayName", user}, {"active", true},
                           {"emails", Json::array({Json{{"value", user}, {"type", "work"}, {"primary", true}}})}}};
        add_member(db, "admins", insert_principal(db, row));
    });
    return *find_principal(db, PrincipalKind::User, user);
}

std::int64_t insert_principal(store::Database& db, const Principal& principal) {
    db.prepare("INSERT INTO principals (kind, name, resource) VALUES (?, ?, ?)")
        .bind(1, kind_name(principal.kind))
        .bind(2, principal.name)
        .bind(3, principal.resource.dump())
        .run();
    return db.last_insert_id();
}

void save_principal(store::Database& db, const Principal& principal) {
    db.prepare("UPDATE principals SET name = ?, resource = ? WHERE id = ?")
        .bind(1, principal.name)
        .bind(2, principal.resource.dump())
        .bind(3, principal.id)
        .run();
}

void delete_principal(store::Database& db, const Principal& principal) {
    db.prepare("DELETE FROM principals WHERE id = ?").bind(1, principal.id).run();
    auto id = std::to_string(principal.id);
    for (auto group : list_principals(db, PrincipalKind::Group)) {
        auto& members = group.resource["members"];
        if (!members.is_array()) continue;
        auto before = members.size();
        members.erase(std::remove_if(members.begin(), members.end(),
                                     [&](const Json& member) { return member.value("value", "") == id; }),
                      members.end());
        if (members.size() != before) save_principal(db, group);
    }
}

}  // namespace brix::engine::identity
