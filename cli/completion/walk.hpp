#pragma once
// Reads a partial command line the way CLI11 will read it once complete, to find out what the
// word under the cursor can be: a command name, a flag, or the value of one option or
// positional argument. Everything comes from the real CLI11 tree, so completions follow the
// commands as they are defined and never go stale.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace brix::cli::completion {

struct CompletionPoint {
    CLI::App* command = nullptr;            // the deepest command named before the cursor
    std::vector<std::string> command_path;  // its names from the root down, e.g. {"workspace", "import"}
    std::string word;                       // the text to complete, without word_prefix
    std::string word_prefix;                // "--job-id=" when the value is attached to its flag, else ""

    bool subcommands = false;             // the word may name a command of `command`
    bool flags = false;                   // the word may be a flag
    const CLI::Option* option = nullptr;  // the word may be a value of this option or positional
    std::size_t value_index = 0;          // which value of `option` (import's SOURCE is 0, TARGET 1)

    // The values given so far, by option (the global --profile, --job-id, the positionals, ...).
    std::map<const CLI::Option*, std::vector<std::string>> given;

    // The last value given to the option with this name ("--profile", "JOB_ID") in `command` or
    // one of its parents; "" when there is none.
    std::string given_value(const std::string& name) const;
};

// words: what follows the program name, the last one being the word under the cursor ("" for a
// new word). An empty list counts as one empty word.
CompletionPoint locate_completion(CLI::App& root, std::vector<std::string> words);

}  // namespace brix::cli::completion
