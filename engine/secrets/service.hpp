#pragma once
// Secret scopes, secrets and scope ACLs as Databricks manages them (/api/2.0/secrets/*), kept in
// brix.db. The Python runtime reads the same tables (dbutils.secrets), so the schema is part of
// the task-runtime contract: values are stored as BLOBs of their exact bytes.
//
// The local engine has one user, who owns the root folder and is treated like a workspace admin
// (MANAGE on every scope): ACLs are stored and reported, not enforced. An ACL names a principal
// that exists (identity/principals.hpp), as the Permissions API's entries do.

#include <cstddef>
#include <string>
#include <string_view>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::secrets {

inline constexpr std::size_t kMaxSecretValueBytes = 128 * 1024;
inline constexpr std::size_t kMaxSecretNameLength = 128;
inline constexpr int kMaxSecretScopes = 1000;
inline constexpr int kMaxSecretsPerScope = 1000;

// Each throws 400 INVALID_PARAMETER_VALUE with a message that names the rule broken; none of them
// ever puts a secret value in a message.
void validate_scope_name(std::string_view scope);
void validate_secret_key(std::string_view key);
void validate_secret_value_size(std::size_t bytes);
void validate_acl_permission(std::string_view permission);

class SecretsService {
public:
    explicit SecretsService(store::EngineRoot& root) : root_(root) {}

    // backend_type "" means DATABRICKS; initial_manage_principal "" gives the caller MANAGE.
    void create_scope(const std::string& scope, const std::string& initial_manage_principal,
                      const std::string& backend_type);
    api::Json list_scopes();
    void delete_scope(const std::string& scope);

    void put(const std::string& scope, const std::string& key, const std::string& value);
    api::Json list(const std::string& scope);
    void remove(const std::string& scope, const std::string& key);
    api::Json get(const std::string& scope, const std::string& key);  // {key, value: base64}

    void put_acl(const std::string& scope, const std::string& principal, const std::string& permission);
    api::Json get_acl(const std::string& scope, const std::string& principal);
    api::Json list_acls(const std::string& scope);
    void delete_acl(const std::string& scope, const std::string& principal);

private:
    // The stored spelling of a scope: names are case-insensitive, as on Databricks.
    std::string existing_scope(const std::string& scope);
    store::EngineRoot& root_;
};

}  // namespace brix::engine::secrets
