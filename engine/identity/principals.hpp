#pragma once
// The workspace's principals as SCIM keeps them: users (by userName), groups (by displayName)
// and service principals (by applicationId), in the principals table. The user running the
// engine is a user from the start and a member of `admins`; the `admins` and `users` groups
// exist from the start, as in a new workspace. Permissions, secret ACLs and Unity Catalog owners
// name principals that must exist here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/store/database.hpp"

namespace brix::engine::identity {

enum class PrincipalKind { User, Group, ServicePrincipal };

struct Principal {
    std::int64_t id = 0;
    PrincipalKind kind = PrincipalKind::User;
    std::string name;                          // userName, displayName or applicationId
    api::Json resource = api::Json::object();  // the SCIM attributes as stored (no id, schemas, groups)
};

const char* kind_name(PrincipalKind kind);  // the principals.kind value: USER, GROUP, SERVICE_PRINCIPAL

std::optional<Principal> find_principal(store::Database& db, PrincipalKind kind, const std::string& name);
std::optional<Principal> find_principal_by_id(store::Database& db, PrincipalKind kind, std::int64_t id);
std::vector<Principal> list_principals(store::Database& db, PrincipalKind kind);
// Any kind; the current user counts even before anything wrote its row.
bool principal_exists(store::Database& db, const std::string& name);

// The row of the user running the engine (identity::current_user()), written on first use
// together with its membership of `admins`. Runs its own write transaction when it writes.
Principal current_user_principal(store::Database& db);

std::int64_t insert_principal(store::Database& db, const Principal& principal);
void save_principal(store::Database& db, const Principal& principal);
void delete_principal(store::Database& db, const Principal& principal);  // and its group memberships

}  // namespace brix::engine::identity
