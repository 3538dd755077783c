// `secrets` group: scopes and secrets in both CLIs' syntaxes (`put --scope S --key K` and
// `put-secret S K`); the ACL verbs live in acls.cpp.
#include <CLI/CLI.hpp>

#include "api/base64.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/configure/terminal_input.hpp"
#include "commands/jobs/verb_support.hpp"
#include "commands/local_files.hpp"
#include "commands/secrets/verbs.hpp"

namespace brix::commands::secrets {
namespace {

using api::Json;
using api::Method;
using jobs::ListJson;

void add_create_scope(CLI::App& group, cli::Context& context) {
    struct Options {
        std::optional<std::string> initial_manage_principal, backend_type, resource_id, dns_name;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("create-scope", "Create a secret scope");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name: letters, digits, '-', '_', '.', '@'; up to 128");
    verb->add_option("--initial-manage-principal", options->initial_manage_principal,
                     "'users' to give every user MANAGE (default: only you)");
    verb->add_option("--scope-backend-type", options->backend_type, "DATABRICKS (default) or AZURE_KEYVAULT");
    verb->add_option("--resource-id", options->resource_id, "Azure Key Vault resource id (AZURE_KEYVAULT scopes)");
    verb->add_option("--dns-name", options->dns_name, "Azure Key Vault DNS name (AZURE_KEYVAULT scopes)");
    verb->footer("Examples:\n  brix secrets create-scope ci\n  brix secrets create-scope --scope ci --initial-manage-principal users");
    verb->callback([&context, options, scope] {
        Json body{{"scope", scope->value()}};
        if (options->initial_manage_principal) body["initial_manage_principal"] = *options->initial_manage_principal;
        if (options->backend_type) body["scope_backend_type"] = *options->backend_type;
        if (options->resource_id || options->dns_name)
            body["backend_azure_keyvault"] = Json{{"resource_id", options->resource_id.value_or("")},
                                                  {"dns_name", options->dns_name.value_or("")}};
        context.api().call(Method::Post, "/api/2.0/secrets/scopes/create", {}, body);
    });
}

void add_list_scopes(CLI::App& group, cli::Context& context) {
    auto shape = std::make_shared<ListJson>(ListJson::Items);
    auto* verb = group.add_subcommand("list-scopes", "List secret scopes (name and backend type)");
    jobs::add_legacy_output_flag(*verb, context, *shape);
    verb->footer("Examples:\n  brix secrets list-scopes\n  brix secrets list-scopes -o json");
    verb->callback([&context, shape] {
        auto response = context.api().call(Method::Get, "/api/2.0/secrets/scopes/list");
        auto scopes = response.value("scopes", Json::array());
        if (context.output_mode() == cli::OutputMode::Json)
            return cli::print_json(*shape == ListJson::Items ? scopes : Json{{"scopes", scopes}});
        std::vector<cli::Row> rows;
        for (const auto& scope : scopes) rows.push_back({scope.value("name", ""), scope.value("backend_type", "")});
        cli::print_table(rows);
    });
}

void add_delete_scope(CLI::App& group, cli::Context& context) {
    auto* verb = group.add_subcommand("delete-scope", "Delete a secret scope with its secrets and ACLs");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    verb->footer("Examples:\n  brix secrets delete-scope ci\n  brix secrets delete-scope --scope ci");
    verb->callback([&context, scope] {
        context.api().call(Method::Post, "/api/2.0/secrets/scopes/delete", {}, {{"scope", scope->value()}});
    });
}

struct PutOptions {
    std::optional<std::string> string_value, bytes_value, binary_file;
};

// {"string_value": ...} or {"bytes_value": base64}: from a flag, a file, a hidden prompt on a
// terminal, or the exact bytes piped in.
Json value_fields(const PutOptions& options) {
    int given = options.string_value.has_value() + options.bytes_value.has_value() + options.binary_file.has_value();
    if (given > 1) throw cli::UsageError("give at most one of --string-value, --bytes-value and --binary-file");
    if (options.string_value) return {{"string_value", *options.string_value}};
    if (options.bytes_value) return {{"bytes_value", *options.bytes_value}};
    if (options.binary_file) return {{"bytes_value", api::base64_encode(read_local_file(*options.binary_file))}};
    if (stdin_is_terminal()) return {{"string_value", prompt_line("Secret value: ", Echo::Hidden)}};
    return {{"bytes_value", api::base64_encode(read_stdin_bytes())}};
}

void add_put(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<PutOptions>();
    auto* verb = group.add_subcommand("put-secret", "Store a secret (replacing the value of an existing key)");
    verb->alias("put");
    verb->alias("write");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    auto key = add_name(*verb, "KEY", "--key", "Secret key: letters, digits, '-', '_', '.'; up to 128");
    verb->add_option("--string-value", options->string_value, "The value, as text (stored as UTF-8)");
    verb->add_option("--bytes-value", options->bytes_value, "The value, as base64 of its bytes");
    verb->add_option("--binary-file", options->binary_file, "Read the value's bytes from this file");
    verb->footer("With no value flag the value is read from stdin (all of it, byte for byte), or asked for\n"
                 "without echo on a terminal. Values are limited to 128 KB.\n"
                 "Examples:\n  brix secrets put-secret ci db-password --string-value 's3cr3t'\n"
                 "  brix secrets put --scope ci --key cert --binary-file cert.pem\n"
                 "  printf %s \"$PASSWORD\" | brix secrets put-secret ci db-password");
    verb->callback([&context, options, scope, key] {
        Json body{{"scope", scope->value()}, {"key", key->value()}};
        body.update(value_fields(*options));
        context.api().call(Method::Post, "/api/2.0/secrets/put", {}, body);
    });
}

void add_list_secrets(CLI::App& group, cli::Context& context) {
    auto shape = std::make_shared<ListJson>(ListJson::Items);
    auto* verb = group.add_subcommand("list-secrets", "List the keys of a scope and when each was last updated (never values)");
    verb->alias("list");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    jobs::add_legacy_output_flag(*verb, context, *shape);
    verb->footer("Examples:\n  brix secrets list-secrets ci\n  brix secrets list --scope ci --output JSON");
    verb->callback([&context, shape, scope] {
        auto response = context.api().call(Method::Get, "/api/2.0/secrets/list", {{"scope", scope->value()}});
        auto secrets = response.value("secrets", Json::array());
        if (context.output_mode() == cli::OutputMode::Json)
            return cli::print_json(*shape == ListJson::Items ? secrets : Json{{"secrets", secrets}});
        std::vector<cli::Row> rows;
        for (const auto& secret : secrets)
            rows.push_back({secret.value("key", ""), cli::display_time(secret.value("last_updated_timestamp", std::int64_t{0}))});
        cli::print_table(rows);
    });
}

void add_delete_secret(CLI::App& group, cli::Context& context) {
    auto* verb = group.add_subcommand("delete-secret", "Delete a secret");
    verb->alias("delete");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    auto key = add_name(*verb, "KEY", "--key", "Secret key");
    verb->footer("Examples:\n  brix secrets delete-secret ci db-password\n  brix secrets delete --scope ci --key db-password");
    verb->callback([&context, scope, key] {
        context.api().call(Method::Post, "/api/2.0/secrets/delete", {}, {{"scope", scope->value()}, {"key", key->value()}});
    });
}

void add_get_secret(CLI::App& group, cli::Context& context) {
    auto* verb = group.add_subcommand("get-secret", "Print a secret as {\"key\", \"value\"}, the value in base64");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    auto key = add_name(*verb, "KEY", "--key", "Secret key");
    verb->footer("Examples:\n  brix secrets get-secret ci db-password\n  brix secrets get-secret --scope ci --key db-password");
    verb->callback([&context, scope, key] {
        cli::print_json(context.api().call(Method::Get, "/api/2.0/secrets/get", {{"scope", scope->value()}, {"key", key->value()}}));
    });
}

}  // namespace

void add_group(CLI::App& app, cli::Context& context) {
    auto* group = app.add_subcommand("secrets", "Manage secret scopes, secrets and scope ACLs");
    group->footer("Verbs take names as positionals (new CLI: put-secret SCOPE KEY) or flags (legacy: put --scope S --key K).\n"
                  "Examples:\n  brix secrets create-scope ci\n  printf %s \"$DB_PASSWORD\" | brix secrets put-secret ci db-password");
    add_create_scope(*group, context);
    add_list_scopes(*group, context);
    add_delete_scope(*group, context);
    add_put(*group, context);
    add_list_secrets(*group, context);
    add_delete_secret(*group, context);
    add_get_secret(*group, context);
    add_acl_verbs(*group, context);
}

}  // namespace brix::commands::secrets
