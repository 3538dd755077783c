#include "engine/secrets/service.hpp"

#include <algorithm>
#include <cctype>

#include "api/base64.hpp"
#include "engine/identity/current_user.hpp"
#include "engine/identity/principals.hpp"

namespace brix::engine::secrets {
namespace {

using api::Json;

bool is_name_char(char c, std::string_view extra) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           extra.find(c) != std::string_view::npos;
}

void validate_name(std::string_view name, std::string_view what, std::string_view extra, std::string_view allowed) {
    bool valid = !name.empty() && name.size() <= kMaxSecretNameLength &&
                 std::all_of(name.begin(), name.end(), [&](char c) { return is_name_char(c, extra); });
    if (!valid)
        throw api::invalid_parameter(std::string(what) + " '" + std::string(name) + "' is invalid: it must be 1 to " +
                                     std::to_string(kMaxSecretNameLength) + " characters long and consist of " +
                                     std::string(allowed));
}

api::ApiError missing_scope(const std::string& scope) {
    return api::not_found("Secret scope '" + scope + "' does not exist.");
}

api::ApiError limit_exceeded(std::string message) {
    return api::ApiError(400, "RESOURCE_LIMIT_EXCEEDED", std::move(message));
}

int scope_count(store::Database& db) {
    auto stmt = db.prepare("SELECT COUNT(*) FROM secret_scopes");
    stmt.step();
    return static_cast<int>(stmt.integer(0));
}

int secret_count(store::Database& db, const std::string& scope) {
    auto stmt = db.prepare("SELECT COUNT(*) FROM secrets WHERE scope = ?");
    stmt.bind(1, scope);
    stmt.step();
    return static_cast<int>(stmt.integer(0));
}

void store_acl(store::Database& db, const std::string& scope, const std::string& principal, const std::string& permission) {
    db.prepare("INSERT INTO secret_acls (scope, principal, permission) VALUES (?, ?, ?) "
               "ON CONFLICT (scope, principal) DO UPDATE SET permission = excluded.permission")
        .bind(1, scope)
        .bind(2, principal)
        .bind(3, permission)
        .run();
}

}  // namespace

void validate_scope_name(std::string_view scope) {
    validate_name(scope, "Scope name", "@", "letters, digits, '-', '_', '.' and '@'");
}

void validate_secret_key(std::string_view key) {
    validate_name(key, "Secret key", "", "letters, digits, '-', '_' and '.'");
}

void validate_secret_value_size(std::size_t bytes) {
    if (bytes > kMaxSecretValueBytes)
        throw api::invalid_parameter("The secret value is " + std::to_string(bytes) +
                                     " bytes long; the limit is 128 KB (" + std::to_string(kMaxSecretValueBytes) + " bytes)");
}

void validate_acl_permission(std::string_view permission) {
    if (permission != "READ" && permission != "WRITE" && permission != "MANAGE")
        throw api::invalid_parameter("Invalid permission '" + std::string(permission) + "': expected READ, WRITE or MANAGE");
}

std::string SecretsService::existing_scope(const std::string& scope) {
    auto stmt = root_.db().prepare("SELECT name FROM secret_scopes WHERE name = ? COLLATE NOCASE");
    stmt.bind(1, scope);
    if (!stmt.step()) throw missing_scope(scope);
    return stmt.text(0);
}

void SecretsService::create_scope(const std::string& scope, const std::string& initial_manage_principal,
                                  const std::string& backend_type) {
    validate_scope_name(scope);
    if (backend_type == "AZURE_KEYVAULT")
        throw api::not_implemented("Azure Key Vault-backed secret scopes are not available on the local engine");
    if (!backend_type.empty() && backend_type != "DATABRICKS")
        throw api::invalid_parameter("Invalid scope_backend_type '" + backend_type + "': expected DATABRICKS or AZURE_KEYVAULT");
    if (!initial_manage_principal.empty() && initial_manage_principal != "users")
        throw api::invalid_parameter("initial_manage_principal must be 'users' or left out, not '" + initial_manage_principal + "'");
    auto& db = root_.db();
    db.write_transaction([&] {
        auto existing = db.prepare("SELECT name FROM secret_scopes WHERE name = ? COLLATE NOCASE");
        existing.bind(1, scope);
        if (existing.step()) throw api::already_exists("Scope " + existing.text(0) + " already exists!");
        if (scope_count(db) >= kMaxSecretScopes)
            throw limit_exceeded("A workspace holds at most " + std::to_string(kMaxSecretScopes) + " secret scopes");
        db.prepare("INSERT INTO secret_scopes (name, backend_type, created_time) VALUES (?, 'DATABRICKS', ?)")
            .bind(1, scope)
            .bind(2, store::now_ms())
            .run();
        store_acl(db, scope, initial_manage_principal.empty() ? identity::current_user() : initial_manage_principal, "MANAGE");
    });
}

Json SecretsService::list_scopes() {
    auto stmt = root_.db().prepare("SELECT name, backend_type FROM secret_scopes ORDER BY name");
    Json scopes = Json::array();
    while (stmt.step()) scopes.push_back(Json{{"name", stmt.text(0)}, {"backend_type", stmt.text(1)}});
    Json result = Json::object();
    if (!scopes.empty()) result["scopes"] = std::move(scopes);
    return result;
}

void SecretsService::delete_scope(const std::string& scope) {
    auto& db = root_.db();
    db.write_transaction([&] {
        // secrets and secret_acls go with it (ON DELETE CASCADE)
        db.prepare("DELETE FROM secret_scopes WHERE name = ?").bind(1, existing_scope(scope)).run();
    });
}

// The value is bound as text and cast, because BLOB is what the Python runtime reads back as the
// exact bytes (a TEXT value that is not UTF-8 would not decode there).
void SecretsService::put(const std::string& scope, const std::string& key, const std::string& value) {
    validate_secret_key(key);
    validate_secret_value_size(value.size());
    auto& db = root_.db();
    db.write_transaction([&] {
        auto name = existing_scope(scope);
        auto exists = db.prepare("SELECT 1 FROM secrets WHERE scope = ? AND key = ?");
        exists.bind(1, name).bind(2, key);
        if (!exists.step() && secret_count(db, name) >= kMaxSecretsPerScope)
            throw limit_exceeded("A secret scope holds at most " + std::to_string(kMaxSecretsPerScope) + " secrets");
        db.prepare("INSERT INTO secrets (scope, key, value, last_updated) VALUES (?, ?, CAST(? AS BLOB), ?) "
                   "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, last_updated = excluded.last_updated")
            .bind(1, name)
            .bind(2, key)
            .bind(3, std::string_view(value))
            .bind(4, store::now_ms())
            .run();
    });
}

Json SecretsService::list(const std::string& scope) {
    auto stmt = root_.db().prepare("SELECT key, last_updated FROM secrets WHERE scope = ? ORDER BY key");
    stmt.bind(1, existing_scope(scope));
    Json secrets = Json::array();
    while (stmt.step()) secrets.push_back(Json{{"key", stmt.text(0)}, {"last_updated_timestamp", stmt.integer(1)}});
    Json result = Json::object();
    if (!secrets.empty()) result["secrets"] = std::move(secrets);
    return result;
}

void SecretsService::remove(const std::string& scope, const std::string& key) {
    auto& db = root_.db();
    db.write_transaction([&] {
        auto name = existing_scope(scope);
        db.prepare("DELETE FROM secrets WHERE scope = ? AND key = ?").bind(1, name).bind(2, key).run();
        if (db.changes() == 0) throw api::not_found("Secret '" + key + "' does not exist in scope '" + name + "'.");
    });
}

Json SecretsService::get(const std::string& scope, const std::string& key) {
    auto name = existing_scope(scope);
    auto stmt = root_.db().prepare("SELECT value FROM secrets WHERE scope = ? AND key = ?");
    stmt.bind(1, name).bind(2, key);
    if (!stmt.step()) throw api::not_found("Secret '" + key + "' does not exist in scope '" + name + "'.");
    return Json{{"key", key}, {"value", api::base64_encode(stmt.text(0))}};
}

void SecretsService::put_acl(const std::string& scope, const std::string& principal, const std::string& permission) {
    if (principal.empty()) throw api::invalid_parameter("principal must not be empty");
    validate_acl_permission(permission);
    auto& db = root_.db();
    db.write_transaction([&] {
        auto name = existing_scope(scope);
        // as the Permissions API, an ACL names a user, group or service principal of the workspace
        if (!identity::principal_exists(db, principal))
            throw api::invalid_parameter("Principal " + principal + " does not exist: create the user, group or service principal first");
        store_acl(db, name, principal, permission);
    });
}

Json SecretsService::get_acl(const std::string& scope, const std::string& principal) {
    auto name = existing_scope(scope);
    auto stmt = root_.db().prepare("SELECT principal, permission FROM secret_acls WHERE scope = ? AND principal = ?");
    stmt.bind(1, name).bind(2, principal);
    if (!stmt.step()) throw api::not_found("No ACL for principal '" + principal + "' on scope '" + name + "'.");
    return Json{{"principal", stmt.text(0)}, {"permission", stmt.text(1)}};
}

Json SecretsService::list_acls(const std::string& scope) {
    auto stmt = root_.db().prepare("SELECT principal, permission FROM secret_acls WHERE scope = ? ORDER BY principal");
    stmt.bind(1, existing_scope(scope));
    Json items = Json::array();
    while (stmt.step()) items.push_back(Json{{"principal", stmt.text(0)}, {"permission", stmt.text(1)}});
    Json result = Json::object();
    if (!items.empty()) result["items"] = std::move(items);
    return result;
}

void SecretsService::delete_acl(const std::string& scope, const std::string& principal) {
    auto& db = root_.db();
    db.write_transaction([&] {
        auto name = existing_scope(scope);
        db.prepare("DELETE FROM secret_acls WHERE scope = ? AND principal = ?").bind(1, name).bind(2, principal).run();
        if (db.changes() == 0) throw api::not_found("No ACL for principal '" + principal + "' on scope '" + name + "'.");
    });
}

}  // namespace brix::engine::secrets
