// `secrets` ACL verbs: who may READ, WRITE or MANAGE a scope.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/jobs/verb_support.hpp"
#include "commands/secrets/verbs.hpp"

namespace brix::commands::secrets {
namespace {

using api::Json;
using api::Method;
using jobs::ListJson;

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

void add_put_acl(CLI::App& group, cli::Context& context) {
    auto* verb = group.add_subcommand("put-acl", "Grant a principal READ, WRITE or MANAGE on a scope (replacing its grant)");
    verb->alias("write-acl");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    auto principal = add_name(*verb, "PRINCIPAL", "--principal", "User, group or service principal");
    auto permission = add_name(*verb, "PERMISSION", "--permission", "READ, WRITE or MANAGE");
    verb->footer("Examples:\n  brix secrets put-acl ci data-team READ\n"
                 "  brix secrets put-acl --scope ci --principal data-team --permission READ");
    verb->callback([&context, scope, principal, permission] {
        context.api().call(Method::Post, "/api/2.0/secrets/acls/put", {},
                           {{"scope", scope->value()}, {"principal", principal->value()}, {"permission", upper(permission->value())}});
    });
}

void add_get_acl(CLI::App& group, cli::Context& context) {
    auto* verb = group.add_subcommand("get-acl", "Show a principal's permission on a scope");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    auto principal = add_name(*verb, "PRINCIPAL", "--principal", "User, group or service principal");
    verb->footer("Examples:\n  brix secrets get-acl ci data-team\n  brix secrets get-acl --scope ci --principal data-team");
    verb->callback([&context, scope, principal] {
        cli::print_json(context.api().call(Method::Get, "/api/2.0/secrets/acls/get",
                                           {{"scope", scope->value()}, {"principal", principal->value()}}));
    });
}

void add_list_acls(CLI::App& group, cli::Context& context) {
    auto shape = std::make_shared<ListJson>(ListJson::Items);
    auto* verb = group.add_subcommand("list-acls", "List the principals of a scope and their permissions");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    jobs::add_legacy_output_flag(*verb, context, *shape);
    verb->footer("Examples:\n  brix secrets list-acls ci\n  brix secrets list-acls --scope ci --output JSON");
    verb->callback([&context, scope, shape] {
        auto response = context.api().call(Method::Get, "/api/2.0/secrets/acls/list", {{"scope", scope->value()}});
        auto items = response.value("items", Json::array());
        if (context.output_mode() == cli::OutputMode::Json)
            return cli::print_json(*shape == ListJson::Items ? items : Json{{"items", items}});
        std::vector<cli::Row> rows;
        for (const auto& item : items) rows.push_back({item.value("principal", ""), item.value("permission", "")});
        cli::print_table(rows);
    });
}

void add_delete_acl(CLI::App& group, cli::Context& context) {
    auto* verb = group.add_subcommand("delete-acl", "Remove a principal's grant on a scope");
    auto scope = add_name(*verb, "SCOPE", "--scope", "Scope name");
    auto principal = add_name(*verb, "PRINCIPAL", "--principal", "User, group or service principal");
    verb->footer("Examples:\n  brix secrets delete-acl ci data-team\n  brix secrets delete-acl --scope ci --principal data-team");
    verb->callback([&context, scope, principal] {
        context.api().call(Method::Post, "/api/2.0/secrets/acls/delete", {},
                           {{"scope", scope->value()}, {"principal", principal->value()}});
    });
}

}  // namespace

void add_acl_verbs(CLI::App& group, cli::Context& context) {
    add_put_acl(group, context);
    add_get_acl(group, context);
    add_list_acls(group, context);
    add_delete_acl(group, context);
}

}  // namespace brix::commands::secrets
