// `tokens`: personal access tokens (/api/2.0/token/*). On the local engine these are the tokens
// `brix serve` accepts.
#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace brix::commands {

void add_tokens_commands(CLI::App& app, cli::Context& context) {
    using api::Method;
    auto* group = app.add_subcommand("tokens", "Create, list and revoke personal access tokens");
    group->footer("On the local engine these are the tokens brix serve accepts.\n"
                  "Examples:\n  brix tokens create --comment ci --lifetime-seconds 86400\n  brix tokens list -o json");

    struct CreateOptions {
        std::string comment;
        std::int64_t lifetime_seconds = 0;
    };
    auto create_options = std::make_shared<CreateOptions>();
    auto* create = group->add_subcommand("create", "Create a token and print it once");
    create->add_option("--comment", create_options->comment, "What the token is for");
    create->add_option("--lifetime-seconds", create_options->lifetime_seconds, "Seconds until it expires (default: never)");
    create->footer("Example:\n  brix tokens create --comment ci --lifetime-seconds 86400");
    create->callback([&context, create_options] {
        api::Json body{{"comment", create_options->comment}};
        if (create_options->lifetime_seconds > 0) body["lifetime_seconds"] = create_options->lifetime_seconds;
        cli::print_json(context.api().call(Method::Post, "/api/2.0/token/create", {}, body));
    });

    auto* list = group->add_subcommand("list", "List tokens (never their values)");
    list->footer("Example:\n  brix tokens list");
    list->callback([&context] {
        auto infos = context.api().call(Method::Get, "/api/2.0/token/list").value("token_infos", api::Json::array());
        if (context.output_mode() == cli::OutputMode::Json) return cli::print_json(infos);
        std::vector<cli::Row> rows;
        for (const auto& info : infos) {
            auto expiry = info.value("expiry_time", std::int64_t{-1});
            rows.push_back({info.value("token_id", ""), info.value("comment", ""), cli::display_time(info.value("creation_time", std::int64_t{0})),
                            expiry < 0 ? "never" : cli::display_time(expiry)});
        }
        cli::print_table(rows);
    });

    auto token_id = std::make_shared<std::string>();
    auto* revoke = group->add_subcommand("revoke", "Revoke a token by its id");
    revoke->alias("delete");
    revoke->add_option("token_id", *token_id, "The token id (from tokens list)")->required();
    revoke->footer("Example:\n  brix tokens revoke 5f2a9c0d1e3b4a67");
    revoke->callback([&context, token_id] { context.api().call(Method::Post, "/api/2.0/token/delete", {}, {{"token_id", *token_id}}); });
}

}  // namespace brix::commands
