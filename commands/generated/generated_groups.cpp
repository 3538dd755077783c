#include "commands/generated/generated_groups.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <set>

#include "commands/commands.hpp"
#include "commands/generated/command_table.hpp"
#include "commands/generated/generated_command.hpp"

namespace brix::commands::generated {
namespace {

// The root's flags that take a value as the next word.
bool takes_value(const std::string& arg) { return arg == "-p" || arg == "--profile" || arg == "-o" || arg == "--output"; }

bool contains(const std::vector<std::string>& args, const std::string& word) {
    return std::find(args.begin(), args.end(), word) != args.end();
}

// The words that name commands or are their arguments, flags and their values left out.
std::vector<std::string> plain_words(const std::vector<std::string>& args) {
    std::vector<std::string> words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (!args[i].empty() && args[i][0] == '-') {
            if (takes_value(args[i])) ++i;
            continue;
        }
        words.push_back(args[i]);
    }
    return words;
}

std::set<std::string> command_names(const CLI::App& app) {
    std::set<std::string> names;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        names.insert(sub->get_name());
        for (const auto& alias : sub->get_aliases()) names.insert(alias);
    }
    return names;
}

std::string summary_of(const std::string& name) {
    for (const auto& group : group_index())
        if (group.name == name) return group.summary;
    return name;
}

std::string group_footer(const std::vector<CommandSpec>& commands) {
    // The example: a listing without arguments where there is one, else the first command.
    const auto* example = &commands.front();
    for (const auto& spec : commands)
        if (spec.list && spec.args.empty() && spec.words.size() == 1) {
            example = &spec;
            break;
        }
    return "Generated from the Databricks REST API: arguments and flags as in the Go CLI (see docs/commands.md).\n"
           "Example:\n  " + example_line(*example);
}

// Every command of the group; on a hand-written group, the verbs it does not have already.
void add_group(CLI::App& root, cli::Context& context, const std::string& name) {
    auto commands = load_group(name);
    if (commands.empty()) return;
    auto* group = find_command(root, name);
    bool hand_written = group != nullptr;
    std::set<std::string> taken;
    if (hand_written) {
        taken = command_names(*group);
    } else {
        group = root.add_subcommand(name, summary_of(name));
        group->require_subcommand(0, 1);  // `permissions get jobs 5`: "get" and "jobs" are values after a verb
        group->footer(group_footer(commands));
    }
    for (auto& spec : commands) {
        if (taken.contains(spec.words.front())) continue;
        auto unavailable = hand_written ? spec.command_words() : name;
        add_generated_command(*group, context, std::move(spec), std::move(unavailable));
    }
}

// Every generated group as a name and summary, for help and for "Did you mean".
void add_group_names(CLI::App& root) {
    auto taken = command_names(root);
    for (const auto& group : group_index())
        if (!taken.contains(group.name)) root.add_subcommand(group.name, group.summary);
}

// `__complete [--] WORD...`: the words being completed.
std::vector<std::string> completion_words(const std::vector<std::string>& args) {
    auto at = std::find(args.begin(), args.end(), "__complete");
    if (at == args.end()) return {};
    ++at;
    if (at != args.end() && *at == "--") ++at;
    return {at, args.end()};
}

}  // namespace

std::string first_command_word(const std::vector<std::string>& args) {
    auto words = plain_words(args);
    return words.empty() ? "" : words.front();
}

void add_generated_commands(CLI::App& root, cli::Context& context, const std::vector<std::string>& args) {
    auto words = plain_words(args);
    auto word = words.empty() ? "" : words.front();
    bool everything = contains(args, "--help-all") || word == "__man" || word == "__commands";
    bool typo = !word.empty() && word != "api" && !find_command(root, word) && !has_group(word);
    bool names = word == "__complete" || (word.empty() && !contains(args, "--version")) || typo;
    // `brix api` is hand-written, but made here like the generated groups: only when it is named
    // or commands are listed, so that other command lines do not pay for its seven commands.
    if (word == "api" || everything || names) add_api_commands(root, context);
    if (everything) {
        for (const auto& group : group_index()) add_group(root, context, group.name);
        return;
    }
    if (word == "__complete") {
        auto completing = completion_words(args);
        if (completing.size() > 1 && has_group(completing.front())) add_group(root, context, completing.front());
    }
    if (names) return add_group_names(root);  // help lists them; a typo gets its "Did you mean"
    if (auto* hand_written = find_command(root, word)) {
        // A hand-written verb needs nothing more; a bare group, its help, or another verb needs
        // the generated verbs too.
        if (words.size() > 1 && command_names(*hand_written).contains(words[1])) return;
        if (has_group(word)) add_group(root, context, word);
        return;
    }
    if (has_group(word)) add_group(root, context, word);
}

}  // namespace brix::commands::generated
