#pragma once
// `configure` and `auth`, registered with `secrets` by add_secrets_and_auth_commands.

namespace CLI {
class App;
}
namespace brix::cli {
class Context;
}

namespace brix::commands {

void add_configure_command(CLI::App& app, cli::Context& context);
void add_auth_commands(CLI::App& app, cli::Context& context);

}  // namespace brix::commands
