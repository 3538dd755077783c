#pragma once
// The objects the Permissions API guards on the local engine, by the type in its URL
// (/api/2.0/permissions/<type>/<id>): jobs, clusters, notebooks, directories, files and repos.
// Each type has its permission levels, and an object must exist to have permissions.

#include <optional>
#include <string>
#include <vector>

#include "engine/store/engine_root.hpp"

namespace brix::engine::permissions {

struct ObjectType {
    std::string url_type;                 // "jobs"
    std::string object_type;              // "job", as ObjectPermissions.object_type reports it
    std::vector<std::string> levels;      // weakest first
    std::vector<std::string> descriptions;
};

// nullopt for a type the engine does not keep (pipelines, warehouses, ...): ENDPOINT_NOT_FOUND.
const ObjectType* find_object_type(const std::string& url_type);

// One object whose ACL may hold entries: its key in object_acls and its object_id ("/jobs/101").
struct AclHolder {
    std::string url_type;
    std::string id;
    std::string object_id;
};

struct GuardedObject {
    const ObjectType* type = nullptr;
    AclHolder self;
    std::string creator;                // who made it: its implicit owner ("" when unknown)
    std::vector<AclHolder> ancestors;   // folders above a workspace object, nearest first
};

// Throws 404 RESOURCE_DOES_NOT_EXIST when there is no such object.
GuardedObject resolve_object(store::EngineRoot& root, const ObjectType& type, const std::string& id);

}  // namespace brix::engine::permissions
