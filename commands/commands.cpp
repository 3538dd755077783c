#include "commands/commands.hpp"

namespace brix::commands {

void add_all(CLI::App& app, cli::Context& context) {
    add_workspace_commands(app, context);
    add_fs_commands(app, context);
    add_tokens_commands(app, context);
    add_jobs_commands(app, context);
    add_runs_commands(app, context);
    add_repos_and_clusters_commands(app, context);
    add_secrets_and_auth_commands(app, context);
    add_bundle_commands(app, context);
    add_sync_command(app, context);
}

}  // namespace brix::commands
