#include "cli/completion/completion.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <set>

#include "cli/completion/values.hpp"
#include "cli/completion/walk.hpp"
#include "cli/strings.hpp"

namespace brix::cli::completion {
namespace {

bool visible(const CLI::App* command) { return !command->get_name().empty() && !command->get_group().empty(); }
bool visible(const CLI::Option* option) { return !option->get_group().empty(); }

// Commands, then their aliases. An alias that only spells the name with '_' for '-' (the
// legacy import_dir) is left out unless the word being typed has a '_'.
void add_subcommands(const CompletionPoint& point, std::vector<CompletionCandidate>& out) {
    auto subs = point.command->get_subcommands([](CLI::App* sub) { return visible(sub); });
    for (auto* sub : subs)
        if (sub->get_name().starts_with(point.word)) out.push_back({sub->get_name(), sub->get_description()});
    bool underscores = point.word.find('_') != std::string::npos;
    for (auto* sub : subs)
        for (auto alias : sub->get_aliases()) {
            auto dashed = alias;
            std::replace(dashed.begin(), dashed.end(), '_', '-');
            if (dashed == sub->get_name() && !underscores) continue;
            if (alias.starts_with(point.word)) out.push_back({alias, sub->get_description()});
        }
}

// The flags of the command and those of its parents that apply to it (the global -p, -o, ...).
// Short names only once the word is "-" or "-x"; an option already given is not offered again
// unless it takes several values.
void add_flags(const CompletionPoint& point, std::vector<CompletionCandidate>& out) {
    bool short_names = point.word.starts_with("-") && !point.word.starts_with("--");
    std::set<std::string> seen;  // an inner option hides an outer one of the same name, even a hidden one
    for (auto* app = point.command; app; app = app->get_parent()) {
        for (const auto* option : app->get_options([](const CLI::Option* o) { return o->nonpositional(); })) {
            bool offered = visible(option);
            if (app != point.command) {
                const auto& name = option->get_single_name();
                offered = offered && name != "help" && name != "help-all" && name != "version";
            }
            auto given = point.given.find(option);
            if (given != point.given.end() && option->get_items_expected_max() <= 1) offered = false;
            std::vector<std::string> names;
            for (const auto& name : option->get_lnames()) names.push_back("--" + name);
            if (short_names)
                for (const auto& name : option->get_snames()) names.push_back("-" + name);
            for (const auto& name : names)
                if (seen.insert(name).second && offered && name.starts_with(point.word)) out.push_back({name, option->get_description()});
        }
    }
}

// CLI::IsMember shows its set in the option's type name: "TEXT:{SOURCE,AUTO,JUPYTER}".
std::vector<std::string> choices(const CLI::Option& option) {
    auto type = option.get_type_name();
    auto open = type.find(":{");
    auto close = type.find('}', open);
    if (open == std::string::npos || close == std::string::npos) return {};
    std::vector<std::string> values;
    std::string list = type.substr(open + 2, close - open - 2);
    for (std::size_t start = 0; start <= list.size();) {
        auto comma = std::min(list.find(',', start), list.size());
        if (comma > start) values.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    return values;
}

void add_values(const CompletionPoint& point, Context& context, std::vector<CompletionCandidate>& out) {
    auto values = choices(*point.option);
    std::vector<CompletionCandidate> found;
    if (!values.empty()) {
        for (const auto& value : values)
            if (lower_case(value).starts_with(lower_case(point.word))) found.push_back({value, ""});
    } else {
        found = argument_values(point, context);
    }
    for (auto& candidate : found) {
        // See completion.hpp: `-o json` arrives as `--output=json`.
        if (point.word_prefix == "--output=" && point.word == candidate.value) out.push_back(candidate);
        out.push_back({point.word_prefix + candidate.value, candidate.description});
    }
}

}  // namespace

std::vector<CompletionCandidate> complete_command_line(CLI::App& root, Context& context, const std::vector<std::string>& words) {
    auto point = locate_completion(root, words);
    std::vector<CompletionCandidate> out;
    if (point.subcommands) add_subcommands(point, out);
    if (point.option) add_values(point, context, out);
    if (point.flags) add_flags(point, out);
    std::set<std::string> seen;
    std::erase_if(out, [&seen](const CompletionCandidate& candidate) { return !seen.insert(candidate.value).second; });
    return out;
}

}  // namespace brix::cli::completion
