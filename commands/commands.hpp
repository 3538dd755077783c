#pragma once
// Every command group registers itself on the root app here.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace brix::cli {
class Context;
}

namespace brix::commands {

void add_all(CLI::App& app, cli::Context& context);
// Only the hand-written group `command_word` names (the first word of the command line that is a
// command), or all of them when it names none of them (help, a typo, completion, generated groups).
void add_needed(CLI::App& app, cli::Context& context, const std::string& command_word);
// The top-level names of the hand-written groups.
std::vector<std::string> hand_written_group_names();
void add_workspace_commands(CLI::App& app, cli::Context& context);
void add_fs_commands(CLI::App& app, cli::Context& context);
void add_tokens_commands(CLI::App& app, cli::Context& context);
void add_jobs_commands(CLI::App& app, cli::Context& context);
void add_runs_commands(CLI::App& app, cli::Context& context);
void add_repos_and_clusters_commands(CLI::App& app, cli::Context& context);  // repos, clusters
void add_secrets_and_auth_commands(CLI::App& app, cli::Context& context);  // secrets, configure, auth
void add_bundle_commands(CLI::App& app, cli::Context& context);
void add_sync_command(CLI::App& app, cli::Context& context);
// brix api get|post|...: registered by generated::add_generated_commands, only when a command line needs it.
void add_api_commands(CLI::App& app, cli::Context& context);

}  // namespace brix::commands
