#pragma once
// The generated command groups on the root app, built lazily: a thousand commands would cost
// every call of brix tens of milliseconds to build, so only what the command line needs is made.
//   brix catalogs ...                 the catalogs group, every verb
//   brix jobs ...                     the hand-written jobs group, plus the generated verbs it
//                                     lacks (get-permissions, ...); a hand-written verb always wins
//   brix --help, brix, a typo         every generated group as a name and summary only, so help
//                                     lists them and a typo gets its "Did you mean"
//   brix __complete -- catalogs ...   the named group, and the names of the others
//   brix --help-all, __man, __commands  everything
//   brix --version, brix workspace ls nothing
// `brix api` (hand-written) is made the same way: when named, and wherever commands are listed.

#include <string>
#include <vector>

namespace CLI {
class App;
}
namespace brix::cli {
class Context;
}

namespace brix::commands::generated {

// `args`: the command line after the program name, as the parser will read it. Call after every
// hand-written group is registered.
void add_generated_commands(CLI::App& root, cli::Context& context, const std::vector<std::string>& args);

// The first word of the command line that names a command (global flags and their values skipped);
// empty when there is none.
std::string first_command_word(const std::vector<std::string>& args);

}  // namespace brix::commands::generated
