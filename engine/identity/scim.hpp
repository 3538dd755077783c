#pragma once
// SCIM 2.0 as Databricks serves it under /api/2.0/preview/scim/v2: Users, Groups and
// ServicePrincipals (create, get, list with filter/attributes/paging, PUT, PATCH, delete) and Me,
// the caller, which is the user running the engine.
//
// Differences from a workspace: errors have the standard {"error_code", "message"} body rather
// than SCIM's {"detail", "status"} (the SDKs map both to the same error classes by HTTP status);
// filters support `<attribute> <eq|ne|co|sw|ew> "<value>"` joined by `and` or `or`.

#include <string>

#include "api/api.hpp"
#include "engine/identity/principals.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::identity {

class ScimService {
public:
    explicit ScimService(store::EngineRoot& root) : root_(root) {}

    api::Json create(PrincipalKind kind, const api::Json& body);
    api::Json get(PrincipalKind kind, const std::string& id);
    api::Json list(PrincipalKind kind, const api::Request& request);
    void replace(PrincipalKind kind, const std::string& id, const api::Json& body);
    void patch(PrincipalKind kind, const std::string& id, const api::Json& body);
    void remove(PrincipalKind kind, const std::string& id);
    api::Json me();

private:
    Principal require(PrincipalKind kind, const std::string& id);
    api::Json render(const Principal& principal);
    store::EngineRoot& root_;
};

// Whether a SCIM resource matches a filter such as `userName eq "ana@example.com"`; throws
// INVALID_PARAMETER_VALUE for a filter it cannot read.
bool matches_filter(const api::Json& resource, const std::string& filter);

}  // namespace brix::engine::identity
