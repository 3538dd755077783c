#include "cli/help_formatter.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

#include "cli/command_tree.hpp"

namespace brix::cli {
namespace {

using Rows = std::vector<std::pair<std::string, std::string>>;

// Two aligned columns; a left cell too wide for the column puts its text on the next line.
void print_rows(std::ostringstream& out, const Rows& rows, const std::string& indent) {
    constexpr std::size_t widest_column = 30;
    std::size_t width = 0;
    for (const auto& [left, right] : rows)
        if (left.size() <= widest_column) width = std::max(width, left.size());
    for (const auto& [left, right] : rows) {
        out << indent << left;
        if (right.empty()) {
            out << '\n';
        } else if (left.size() > width) {
            out << '\n' << indent << std::string(width + 2, ' ') << right << '\n';
        } else {
            out << std::string(width + 2 - left.size(), ' ') << right << '\n';
        }
    }
}

std::string alias_list(const CLI::App& app) {
    std::string list;
    for (const auto& alias : app.get_aliases()) list += (list.empty() ? "" : ", ") + alias;
    return list;
}

Rows verb_rows(const CLI::App& group) {
    Rows rows;
    for (const auto* verb : visible_subcommands(group)) {
        auto aliases = alias_list(*verb);
        rows.emplace_back(verb->get_name() + (aliases.empty() ? "" : " (alias: " + aliases + ")"), verb->get_description());
    }
    return rows;
}

Rows argument_rows(const CLI::App& app) {
    Rows rows;
    for (const auto* positional : positionals(app)) {
        auto text = positional_usage(*positional);
        rows.emplace_back(text.substr(0, text.find('\n')), positional->get_description());
    }
    return rows;
}

enum class HelpFlags { Include, Skip };

Rows flag_rows(const CLI::App& app, HelpFlags help_flags) {
    Rows rows;
    for (const auto* flag : visible_flags(app)) {
        // --help-all belongs to the root; CLI11 repeats it on every command.
        if (app.get_parent() && flag == app.get_help_all_ptr()) continue;
        if (help_flags == HelpFlags::Skip && flag == app.get_help_ptr()) continue;
        auto description = flag->get_description();
        if (flag->get_required()) description += " (required)";
        rows.emplace_back(flag_usage(*flag), description);
    }
    return rows;
}

// The root's own flags minus --help, --help-all and --version: what every command accepts.
Rows global_flag_rows(const CLI::App& root) {
    Rows rows;
    for (const auto* flag : visible_flags(root)) {
        if (flag == root.get_help_ptr() || flag == root.get_help_all_ptr() || flag == root.get_version_ptr()) continue;
        rows.emplace_back(flag_usage(*flag), flag->get_description());
    }
    return rows;
}

const CLI::App& root_of(const CLI::App& app) {
    const auto* root = &app;
    while (root->get_parent()) root = root->get_parent();
    return *root;
}

void print_section(std::ostringstream& out, const char* title, const Rows& rows) {
    if (rows.empty()) return;
    out << '\n' << title << ":\n";
    print_rows(out, rows, "  ");
}

void print_usage(std::ostringstream& out, const CLI::App& app) {
    auto forms = usages(app);
    for (std::size_t i = 0; i < forms.size(); ++i) out << (i == 0 ? "Usage: " : "       ") << forms[i] << '\n';
}

std::string full_help(const CLI::App& app) {
    std::ostringstream out;
    if (!app.get_description().empty()) out << app.get_description() << "\n\n";
    print_usage(out, app);
    if (auto aliases = alias_list(app); !aliases.empty()) out << "\nAliases: " << aliases << '\n';
    print_section(out, "Commands", verb_rows(app));
    print_section(out, "Arguments", argument_rows(app));
    print_section(out, "Flags", flag_rows(app, HelpFlags::Include));
    if (app.get_parent()) print_section(out, "Global flags", global_flag_rows(root_of(app)));
    if (!visible_subcommands(app).empty())
        out << "\nRun '" << command_path(app) << " <command> --help' for more about a command.\n";
    if (!app.get_footer().empty()) out << '\n' << app.get_footer() << '\n';
    return out.str();
}

// One command inside --help-all: usage, summary, arguments, flags and examples, indented.
std::string brief_help(const CLI::App& app) {
    std::ostringstream out;
    for (const auto& form : usages(app)) out << form << '\n';
    const std::string indent = "    ";
    out << indent << app.get_description() << '\n';
    if (auto aliases = alias_list(app); !aliases.empty()) out << indent << "Aliases: " << aliases << '\n';
    if (visible_subcommands(app).empty()) {
        auto rows = argument_rows(app);
        auto flags = flag_rows(app, HelpFlags::Skip);
        rows.insert(rows.end(), flags.begin(), flags.end());
        print_rows(out, rows, indent);
    }
    for (const auto& example : split_footer(app.get_footer()).examples) out << indent << "Example: " << example << '\n';
    return out.str();
}

}  // namespace

std::string HelpFormatter::make_help(const CLI::App* app, std::string, CLI::AppFormatMode mode) const {
    if (mode == CLI::AppFormatMode::Sub) return brief_help(*app);
    auto help = full_help(*app);
    if (mode == CLI::AppFormatMode::All) {
        help += "\nAll commands:\n";
        for (const auto* command : all_commands(*app)) help += '\n' + brief_help(*command);
    }
    return help;
}

}  // namespace brix::cli
