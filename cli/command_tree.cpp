#include "cli/command_tree.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace brix::cli {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool takes_many(const CLI::Option& option) { return option.get_expected_max() > 1; }

// CLI11 describes a value as "TEXT:{text,json}" or "INT:INT in [1 - 256]": a set of choices is
// the most useful placeholder; otherwise the plain type.
std::string value_placeholder(const CLI::Option& flag) {
    if (!flag.get_option_text().empty()) return flag.get_option_text();
    auto type = flag.get_type_name();
    auto choices = type.find(":{");
    if (choices != std::string::npos && type.back() == '}') {
        auto list = type.substr(choices + 2, type.size() - choices - 3);
        std::replace(list.begin(), list.end(), ',', '|');
        return "<" + list + ">";
    }
    type = lower(type.substr(0, type.find(':')));
    if (type.empty() || type == "text") type = "value";
    if (type == "uint" || type == "int") type = "n";
    return "<" + type + ">" + (takes_many(flag) ? "..." : "");
}

}  // namespace

std::string command_words(const CLI::App& app) {
    std::string words;
    for (const auto* at = &app; at->get_parent(); at = at->get_parent())
        words = at->get_name() + (words.empty() ? "" : " " + words);
    return words;
}

std::string command_path(const CLI::App& app) {
    const auto* root = &app;
    while (root->get_parent()) root = root->get_parent();
    auto words = command_words(app);
    return root->get_name() + (words.empty() ? "" : " " + words);
}

bool is_hidden(const CLI::App& app) {
    return app.get_name().rfind("__", 0) == 0 || app.get_group().empty() || app.get_disabled();
}

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App* sub) { return !is_hidden(*sub); });
}

std::vector<const CLI::App*> all_commands(const CLI::App& root) {
    std::vector<const CLI::App*> commands;
    for (const auto* sub : visible_subcommands(root)) {
        commands.push_back(sub);
        auto below = all_commands(*sub);
        commands.insert(commands.end(), below.begin(), below.end());
    }
    return commands;
}

std::vector<const CLI::Option*> visible_flags(const CLI::App& app) {
    return app.get_options([](const CLI::Option* option) { return option->nonpositional() && !option->get_group().empty(); });
}

std::vector<const CLI::Option*> positionals(const CLI::App& app) {
    return app.get_options([](const CLI::Option* option) { return option->get_positional() && !option->get_group().empty(); });
}

std::string positional_usage(const CLI::Option& positional) {
    if (!positional.get_option_text().empty()) return positional.get_option_text();
    auto name = lower(positional.get_name(true, false));
    std::replace(name.begin(), name.end(), '_', '-');
    auto dots = takes_many(positional) ? "..." : "";
    return positional.get_required() ? "<" + name + ">" + dots : "[" + name + "]" + dots;
}

std::vector<std::string> usages(const CLI::App& app) {
    std::vector<std::string> forms{command_path(app)};
    if (!visible_subcommands(app).empty()) return {forms.front() + " <command> [flags]"};
    for (const auto* positional : positionals(app)) {
        std::vector<std::string> extended;
        std::istringstream alternatives(positional_usage(*positional));
        std::string alternative;
        while (std::getline(alternatives, alternative))
            for (const auto& form : forms) extended.push_back(form + " " + alternative);
        forms = std::move(extended);
    }
    for (auto& form : forms) form += " [flags]";
    return forms;
}

std::string flag_usage(const CLI::Option& flag) {
    std::string names;
    for (const auto& name : flag.get_snames()) names += (names.empty() ? "-" : ", -") + name;
    for (const auto& name : flag.get_lnames()) names += (names.empty() ? "--" : ", --") + name;
    bool takes_value = flag.get_items_expected_max() > 0;
    return takes_value ? names + " " + value_placeholder(flag) : names;
}

FooterParts split_footer(const std::string& footer) {
    FooterParts parts;
    std::istringstream lines(footer);
    std::string line;
    bool in_examples = false;
    while (std::getline(lines, line)) {
        if (line == "Example:" || line == "Examples:") {
            in_examples = true;
        } else if (in_examples && line.rfind("  ", 0) == 0) {
            parts.examples.push_back(line.substr(2));
        } else if (!line.empty()) {
            in_examples = false;
            parts.notes.push_back(line);
        }
    }
    return parts;
}

}  // namespace brix::cli
