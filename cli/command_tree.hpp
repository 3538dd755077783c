#pragma once
// What help, the man page and `brix __commands` need to know about the command tree, read from
// CLI11's own objects so that the three can never disagree with the parser.

#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace brix::cli {

// "brix workspace import": the program name (brix or databricks) and every command word.
std::string command_path(const CLI::App& app);

// The words after the program name ("workspace import"); empty for the root.
std::string command_words(const CLI::App& app);

// Internal commands (`__man`, `__complete`, ...) and commands put in the empty group are never
// listed anywhere.
bool is_hidden(const CLI::App& app);
std::vector<const CLI::App*> visible_subcommands(const CLI::App& app);

// Every visible command below `root`, depth first, in registration order (groups before their verbs).
std::vector<const CLI::App*> all_commands(const CLI::App& root);

// The options a user can give this command itself (hidden ones and positionals excluded).
std::vector<const CLI::Option*> visible_flags(const CLI::App& app);
std::vector<const CLI::Option*> positionals(const CLI::App& app);

// `<path>`, `[path]`, `<paths>...`: how a positional is written in a usage line. A positional may
// carry its own text (CLI11's option_text) when its name does not say it well, e.g. a vector of
// paths whose meaning depends on the syntax used; one line per accepted form.
std::string positional_usage(const CLI::Option& positional);

// "brix workspace ls [path] [flags]" (without "Usage: "): one line per form the command accepts,
// e.g. the legacy and the new syntax of `workspace import`.
std::vector<std::string> usages(const CLI::App& app);

// "-l, --language <text>": how a flag is written in a list of flags.
std::string flag_usage(const CLI::Option& flag);

// A command's footer split in two: the notes, and the example command lines (the indented lines
// after "Example:" or "Examples:").
struct FooterParts {
    std::vector<std::string> notes;
    std::vector<std::string> examples;
};
FooterParts split_footer(const std::string& footer);

}  // namespace brix::cli
