#include "commands/configure/groups.hpp"

#include "commands/commands.hpp"
#include "commands/secrets/verbs.hpp"

namespace brix::commands {

void add_secrets_and_auth_commands(CLI::App& app, cli::Context& context) {
    secrets::add_group(app, context);
    add_configure_command(app, context);
    add_auth_commands(app, context);
}

}  // namespace brix::commands
