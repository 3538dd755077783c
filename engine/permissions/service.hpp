#pragma once
// Object ACLs as the Permissions API keeps them (GET/PUT/PATCH /api/2.0/permissions/<type>/<id>
// and .../permissionLevels), stored in object_acls. Each principal has at most one direct level
// (the last one a request gives wins, as on Databricks); entries of the folders above a workspace
// object are inherited, and the admins group can manage everything. A job has exactly one owner
// (IS_OWNER, a user or service principal): its creator until a request names another.
//
// The local engine stores and reports ACLs; it does not enforce them (every caller of a local
// engine or of `brix serve` acts as its one user).

#include <string>

#include "api/api.hpp"
#include "engine/permissions/objects.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::permissions {

enum class Change { Replace, Merge };  // PUT (set) or PATCH (update)

class PermissionsService {
public:
    explicit PermissionsService(store::EngineRoot& root) : root_(root) {}

    api::Json get(const ObjectType& type, const std::string& id);
    api::Json change(const ObjectType& type, const std::string& id, const api::Json& body, Change how);
    api::Json levels(const ObjectType& type, const std::string& id);

private:
    store::EngineRoot& root_;
};

}  // namespace brix::engine::permissions
