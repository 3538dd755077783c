// `repos`: Git folders (/api/2.0/repos). Both syntaxes: `repos create URL [PROVIDER] [--path P]`
// and `repos create --url URL [--provider P] [--path P]`; a repo is named by REPO_ID_OR_PATH, or
// by --repo-id / --path. `clusters` is registered from here too (one line in commands.cpp).
#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/clusters/clusters.hpp"
#include "commands/commands.hpp"
#include "commands/page_guard.hpp"
#include "commands/repos/repo_arguments.hpp"

namespace brix::commands {
namespace repos_verbs {  // named for unity builds, like jobs_verbs

using api::Method;
using namespace repos;

std::string repo_path(std::int64_t id) { return "/api/2.0/repos/" + std::to_string(id); }

void add_repo_arguments(CLI::App& verb, RepoArguments& arguments) {
    verb.add_option("REPO_ID_OR_PATH", arguments.id_or_path, "The repo's ID, or its workspace path (/Repos/<folder>/<name>)");
    verb.add_option("--repo-id", arguments.repo_id, "The repo's ID (legacy)");
    verb.add_option("--path", arguments.path, "The repo's path, /Repos/<folder>/<name> (legacy)");
}

void add_create(CLI::App& group, cli::Context& context) {
    struct Options {
        std::optional<std::string> url, provider, url_flag, provider_flag, path;
        std::optional<std::int64_t> git_credential_id;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("create", "Clone a Git repository into the workspace");
    verb->add_option("URL", options->url, "The repository URL (https, ssh, file:// or a local path)");
    verb->add_option("PROVIDER", options->provider, "gitHub, gitLab, bitbucketCloud, azureDevOpsServices, ... (found from the URL when left out)");
    verb->add_option("--url", options->url_flag, "The repository URL (legacy)");
    verb->add_option("--provider", options->provider_flag, "The Git provider (legacy)");
    verb->add_option("--path", options->path, "Where the repo goes: /Repos/<folder>/<name> (default /Repos/<user>/<repo name>)");
    verb->add_option("--git-credential-id", options->git_credential_id, "The Git credential to use (workspaces only)");
    verb->footer("Prints the repo (id, path, branch, head_commit_id). The local engine really clones it with git.\n"
                 "Examples:\n  brix repos create https://github.com/acme/etl.git\n"
                 "  brix repos create /srv/git/etl.git gitHub --path /Repos/ci/etl   (a local clone: give the provider)\n"
                 "  brix repos create --url https://gitlab.com/acme/etl.git --provider gitLab --path /Repos/me/etl");
    verb->callback([&context, options] {
        if (options->url && options->url_flag && *options->url != *options->url_flag)
            throw cli::UsageError("give the URL once: URL or --url");
        if (options->provider && options->provider_flag && *options->provider != *options->provider_flag)
            throw cli::UsageError("give the provider once: PROVIDER or --provider");
        auto url = options->url ? *options->url : options->url_flag.value_or("");
        auto body = create_body(url, options->provider ? options->provider : options->provider_flag, options->path);
        if (options->git_credential_id) body["git_credential_id"] = *options->git_credential_id;
        cli::print_json(context.api().call(Method::Post, "/api/2.0/repos", {}, body));
    });
}

void add_get(CLI::App& group, cli::Context& context) {
    auto arguments = std::make_shared<RepoArguments>();
    auto* verb = group.add_subcommand("get", "Show a repo (JSON)");
    add_repo_arguments(*verb, *arguments);
    verb->footer("Examples:\n  brix repos get 1000000123\n  brix repos get /Repos/me/etl\n  brix repos get --path /Repos/me/etl");
    verb->callback([&context, arguments] {
        auto& api = context.api();
        cli::print_json(api.call(Method::Get, repo_path(resolve_repo_id(api, *arguments))));
    });
}

void add_update(CLI::App& group, cli::Context& context) {
    struct Options {
        RepoArguments repo;
        std::optional<std::string> branch, tag;
        bool discard = false;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("update", "Check out a branch (pulling its latest commit) or a tag");
    add_repo_arguments(*verb, options->repo);
    verb->add_option("--branch", options->branch, "The branch to check out and pull");
    verb->add_option("--tag", options->tag, "The tag to check out (detached HEAD)");
    verb->add_flag("--dangerously-force-discard-all", options->discard, "Discard uncommitted changes first");
    verb->footer("Prints the repo as it is afterwards.\n"
                 "Examples:\n  brix repos update /Repos/me/etl --branch main\n  brix repos update --repo-id 1000000123 --tag v1.2");
    verb->callback([&context, options] {
        if (options->branch && options->tag) throw cli::UsageError("Only one of --branch and --tag can be given");
        if (!options->branch && !options->tag) throw cli::UsageError("One of --branch or --tag must be given");
        auto& api = context.api();
        auto id = resolve_repo_id(api, options->repo);
        api::Json body = options->branch ? api::Json{{"branch", *options->branch}} : api::Json{{"tag", *options->tag}};
        if (options->discard) body["dangerously_force_discard_all"] = true;
        api.call(Method::Patch, repo_path(id), {}, body);
        cli::print_json(api.call(Method::Get, repo_path(id)));
    });
}

void add_delete(CLI::App& group, cli::Context& context) {
    auto arguments = std::make_shared<RepoArguments>();
    auto* verb = group.add_subcommand("delete", "Delete a repo and its files from the workspace");
    add_repo_arguments(*verb, *arguments);
    verb->footer("Examples:\n  brix repos delete /Repos/me/etl\n  brix repos delete --repo-id 1000000123");
    verb->callback([&context, arguments] {
        auto& api = context.api();
        api.call(Method::Delete, repo_path(resolve_repo_id(api, *arguments)));
    });
}

void add_list(CLI::App& group, cli::Context& context) {
    struct Options {
        std::optional<std::string> path_prefix, page_token;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand("list", "List repos (id, path, branch, url)");
    verb->add_option("--path-prefix", options->path_prefix, "Only repos whose path starts with this");
    verb->add_option("--next-page-token", options->page_token, "Print the one page that starts here, as the API returns it (legacy)");
    verb->footer("-o json prints an array of repos.\nExamples:\n  brix repos list\n  brix repos list --path-prefix /Repos/me -o json");
    verb->callback([&context, options] {
        auto& api = context.api();
        auto query = [&](const std::optional<std::string>& token) {
            api::Query q;
            if (options->path_prefix) q.emplace_back("path_prefix", *options->path_prefix);
            if (token) q.emplace_back("next_page_token", *token);
            return api.call(Method::Get, "/api/2.0/repos", q);
        };
        if (options->page_token) return cli::print_json(query(options->page_token));
        api::Json repos = api::Json::array();
        std::optional<std::string> token;
        PageGuard guard("GET /api/2.0/repos");
        do {
            auto page = query(token);
            for (const auto& repo : page.value("repos", api::Json::array())) repos.push_back(repo);
            auto next = page.value("next_page_token", "");
            token = next.empty() ? std::nullopt : std::optional(guard.next_token(next));
        } while (token);
        if (context.output_mode() == cli::OutputMode::Json) return cli::print_json(repos);
        std::vector<cli::Row> rows;
        for (const auto& repo : repos)
            rows.push_back({std::to_string(repo.value("id", std::int64_t{0})), repo.value("path", ""), repo.value("branch", ""),
                            repo.value("url", "")});
        cli::print_table(rows);
    });
}

}  // namespace repos_verbs

void add_repos_and_clusters_commands(CLI::App& app, cli::Context& context) {
    using namespace repos_verbs;
    auto* group = app.add_subcommand("repos", "Git folders: clone repositories into the workspace and switch branches");
    group->footer("Both syntaxes work: `repos get /Repos/me/etl` and `repos get --path /Repos/me/etl`.\n"
                  "Examples:\n  brix repos create https://github.com/acme/etl.git --path /Repos/me/etl\n"
                  "  brix repos update /Repos/me/etl --branch main");
    add_create(*group, context);
    add_get(*group, context);
    add_update(*group, context);
    add_delete(*group, context);
    add_list(*group, context);
    add_clusters_commands(app, context);
}

}  // namespace brix::commands
