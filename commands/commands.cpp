#include "commands/commands.hpp"

#include <CLI/CLI.hpp>

namespace brix::commands {
namespace {

using Builder = void (*)(CLI::App&, cli::Context&);

// Each hand-written group, by the names a command line calls it, and what registers it. Building
// every group costs most of a short call's start-up (CLI11 options are not cheap to make), so a
// command line that names one of them builds only that one. tests/unit/commands_test.cpp checks
// that this table names exactly what each builder registers.
struct HandWritten {
    const char* name;
    Builder add;
};
constexpr HandWritten kGroups[] = {
    {"workspace", add_workspace_commands},
    {"fs", add_fs_commands},
    {"tokens", add_tokens_commands},
    {"jobs", add_jobs_commands},
    {"runs", add_runs_commands},
    {"repos", add_repos_and_clusters_commands},
    {"clusters", add_repos_and_clusters_commands},
    {"secrets", add_secrets_and_auth_commands},
    {"configure", add_secrets_and_auth_commands},
    {"auth", add_secrets_and_auth_commands},
    {"bundle", add_bundle_commands},
    {"sync", add_sync_command},
};

}  // namespace

void add_all(CLI::App& app, cli::Context& context) {
    Builder done = nullptr;
    for (const auto& group : kGroups) {
        if (group.add == done) continue;  // one builder registers the groups listed after each other
        group.add(app, context);
        done = group.add;
    }
}

void add_needed(CLI::App& app, cli::Context& context, const std::string& command_word) {
    for (const auto& group : kGroups)
        if (command_word == group.name) return group.add(app, context);
    add_all(app, context);
}

std::vector<std::string> hand_written_group_names() {
    std::vector<std::string> names;
    for (const auto& group : kGroups) names.emplace_back(group.name);
    return names;
}

}  // namespace brix::commands
