#pragma once
// One generated command as a CLI11 command: its positional arguments, a flag per scalar field,
// --json where the route takes a body, --limit on list calls, and a help that lists every field
// with an example. Running it builds the request (request_builder), sends it through the active
// backend, reads every page of a listing (pager) and prints the answer.

#include <string>

#include "commands/generated/command_table.hpp"

namespace CLI {
class App;
}
namespace brix::cli {
class Context;
}

namespace brix::commands::generated {

// Adds the command below `group`, making the intermediate groups of a three-word command
// (settings default-namespace get) on the way. `unavailable_name` is what the error says is
// missing when the local engine has no such route: "catalogs", or "jobs get-permissions" for a
// verb added to a hand-written group.
void add_generated_command(CLI::App& group, cli::Context& context, CommandSpec spec, std::string unavailable_name);

// The subcommand of `app` with this name or alias; nullptr when there is none.
CLI::App* find_command(CLI::App& app, const std::string& name);

// The example line of a command's help: its words and arguments, --json when it needs one.
std::string example_line(const CommandSpec& spec);

}  // namespace brix::commands::generated
