// `brix __complete` (hidden; what the shell scripts call) and `brix completion bash|zsh|fish`.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstring>
#include <memory>

#include "cli/completion/completion.hpp"
#include "cli/completion/scripts.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"

namespace brix::cli::completion {
namespace {

constexpr std::size_t kMaxDescription = 100;

// A description is shown on one line next to its value, and a tab would end the value.
std::string one_line(std::string text) {
    for (auto& c : text)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    if (text.size() > kMaxDescription) text = text.substr(0, kMaxDescription - 3) + "...";
    return text;
}

void print_candidates(const std::vector<CompletionCandidate>& candidates) {
    for (const auto& candidate : candidates) {
        auto line = candidate.value;
        if (!candidate.description.empty()) line += "\t" + one_line(candidate.description);
        line += '\n';
        write_stdout(line);
    }
}

void add_complete(CLI::App& root, Context& context) {
    auto words = std::make_shared<std::vector<std::string>>();
    auto* complete = root.add_subcommand("__complete", "Print the completions of a command line, one a line (for the shell scripts)");
    complete->group("");
    // The scripts pass "--" first, so that no word is read as a flag or command of brix itself.
    // Without it, a first word that is a command still lands here (a required positional comes
    // before commands) and every later word too (positionals at end): `brix __complete workspace im`.
    complete->add_option("words", *words, "The words after the program name; the last one is the word under the cursor")->required();
    complete->positionals_at_end();
    complete->footer("Example:\n  brix __complete -- workspace im ''");
    complete->callback([&root, &context, words] { print_candidates(complete_command_line(root, context, *words)); });
}

// The shells, the script of each (in completions/) and how to turn it on.
struct Shell {
    const char* name;
    const char* script;
    const char* enable;
};

constexpr Shell kShells[] = {
    {"bash", "brix.bash", "source <(brix completion bash)                 # in ~/.bashrc"},
    {"zsh", "_brix", "source <(brix completion zsh)                  # in ~/.zshrc, after compinit"},
    {"fish", "brix.fish", "brix completion fish | source                  # in ~/.config/fish/config.fish"},
};

void print_script(const std::string& shell) {
    for (const auto& known : kShells) {
        if (shell != known.name) continue;
        for (const auto& file : completion_scripts())
            if (std::strcmp(file.path, known.script) == 0) write_stdout(file.content);
    }
}

// One command with the shell as its argument, not a verb per shell: each CLI11 subcommand costs
// start-up time, and every brix call pays it.
void add_completion(CLI::App& root) {
    auto shell = std::make_shared<std::string>();
    auto* command = root.add_subcommand("completion", "Print the completion script of a shell (bash, zsh or fish), for brix and databricks");
    command->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
    // The lines that turn completion on are the examples.
    std::string footer = "See docs/completion.md for the files to install instead.\nExamples:";
    for (const auto& known : kShells) footer += std::string("\n  ") + known.enable;
    command->footer(footer);
    command->callback([shell] { print_script(*shell); });
}

}  // namespace

void add_completion_commands(CLI::App& root, Context& context) {
    add_complete(root, context);
    add_completion(root);
}

}  // namespace brix::cli::completion
