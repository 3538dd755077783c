#pragma once
// Shell completion. `brix __complete [--] WORD... CURRENT` (hidden) prints what CURRENT, the word
// under the cursor, can become on that command line: one candidate a line, optionally followed
// by a tab and a description ("101<TAB>nightly etl"). `brix completion bash|zsh|fish` prints
// the script (completions/) that asks it. The answers come from walking the CLI11 tree of the
// real app, plus live values (paths, job and run ids, ...) from the selected backend.
//
// The protocol the scripts rely on:
// - candidates are whole words that start with CURRENT (choices ignore case), "--flag=" included
//   when CURRENT has it ("--output=json"); each script cuts off what its shell does not replace
//   (bash replaces only what follows the last "=" or ":");
// - `-o json` reaches `__complete` as `--output=json` (app.cpp rewrites it before parsing), so
//   for that word both spellings are offered; the scripts keep the one that starts with the
//   word as typed;
// - a candidate ending in "/" is a folder: the shell adds no space after it;
// - nothing on stdout (and exit 0) when there is nothing to offer or a lookup fails.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace brix::cli {
class Context;
}

namespace brix::cli::completion {

struct CompletionCandidate {
    std::string value;
    std::string description;  // one line; may be empty
};

// words: what follows the program name, the last being the word under the cursor.
std::vector<CompletionCandidate> complete_command_line(CLI::App& root, Context& context, const std::vector<std::string>& words);

// Registers the hidden `__complete` command and `completion bash|zsh|fish` on the root.
void add_completion_commands(CLI::App& root, Context& context);

}  // namespace brix::cli::completion
