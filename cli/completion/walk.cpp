#include "cli/completion/walk.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <utility>

namespace brix::cli::completion {
namespace {

// "-l", "-lpprod", "--long", "--long=value"; not "-" (stdin), "--" or a negative number.
bool is_flag_word(const std::string& word) {
    return word.size() > 1 && word[0] == '-' && word != "--" && !std::isdigit(static_cast<unsigned char>(word[1]));
}

// Options whose values are optional (the legacy `--version [2.0]`) are read like flags: CLI11
// takes the next word only when it could not be anything else, which a prefix cannot tell.
bool takes_values(const CLI::Option& option) { return option.get_items_expected_min() > 0; }

std::size_t max_values(const CLI::Option& option) { return static_cast<std::size_t>(std::max(option.get_items_expected_max(), 1)); }

// Options of a command are accepted after its subcommands too (the root falls through), so a
// flag is looked up from the innermost command outwards.
CLI::Option* find_option(CLI::App* command, const std::string& name) {
    for (auto* app = command; app; app = app->get_parent())
        if (auto* option = app->get_option_no_throw(name)) return option;
    return nullptr;
}

// Option groups are unnamed subcommands in CLI11; they are not commands.
std::vector<CLI::App*> named_subcommands(CLI::App* command) {
    return command->get_subcommands([](CLI::App* sub) { return !sub->get_name().empty(); });
}

CLI::App* find_subcommand(CLI::App* command, const std::string& word) {
    for (auto* sub : named_subcommands(command))
        if (sub->check_name(word)) return sub;
    return nullptr;
}

// The positional argument that the index-th positional word of a command fills, and which of
// its values that word is (workspace import's `paths` takes SOURCE then TARGET).
std::pair<CLI::Option*, std::size_t> positional_slot(CLI::App* command, std::size_t index) {
    for (auto* option : command->get_options([](CLI::Option* o) { return !o->nonpositional(); })) {
        if (index < max_values(*option)) return {option, index};
        index -= max_values(*option);
    }
    return {nullptr, 0};
}

class Walker {
public:
    explicit Walker(CLI::App& root) { point_.command = &root; }

    void read(const std::string& word) {
        if (pending_wants(word)) {
            record(pending_, word);
            if (++pending_taken_ >= max_values(*pending_)) pending_ = nullptr;
            return;
        }
        pending_ = nullptr;
        if (!positional_only_) {
            if (word == "--") {
                positional_only_ = true;
                return;
            }
            if (word.starts_with("--")) return read_long(word);
            if (is_flag_word(word)) return read_short(word);
            if (auto* sub = find_subcommand(point_.command, word)) return descend(sub);
        }
        if (auto [option, index] = positional_slot(point_.command, positional_words_++); option) record(option, word);
    }

    CompletionPoint finish(const std::string& word) && {
        point_.word = word;
        if (pending_wants(word)) {
            point_.option = pending_;
            point_.value_index = pending_taken_;
        } else if (!positional_only_ && word.starts_with("--") && word.find('=') != std::string::npos) {
            auto equals = word.find('=');
            auto* option = find_option(point_.command, word.substr(0, equals));
            if (option && takes_values(*option)) {
                point_.option = option;
                point_.word_prefix = word.substr(0, equals + 1);
                point_.word = word.substr(equals + 1);
            }
        } else if (!positional_only_ && word.starts_with("-") && !is_number_start(word)) {
            point_.flags = true;
        } else {
            point_.subcommands = !positional_only_ && !named_subcommands(point_.command).empty();
            auto [option, index] = positional_slot(point_.command, positional_words_);
            point_.option = option;
            point_.value_index = index;
            // A verb with nothing left to name shows its flags rather than nothing.
            point_.flags = !point_.subcommands && !option && !positional_only_;
        }
        return std::move(point_);
    }

private:
    static bool is_number_start(const std::string& word) { return word.size() > 1 && std::isdigit(static_cast<unsigned char>(word[1])); }

    // Whether the option read last still takes this word as one of its values: always while it
    // has fewer than it needs, and then, like CLI11, any word that is not a flag or a command.
    bool pending_wants(const std::string& word) const {
        if (!pending_) return false;
        if (pending_taken_ < static_cast<std::size_t>(pending_->get_items_expected_min())) return true;
        return pending_taken_ < max_values(*pending_) && !is_flag_word(word) && word != "--" && !find_subcommand(point_.command, word);
    }

    void read_long(const std::string& word) {
        auto equals = word.find('=');
        auto* option = find_option(point_.command, word.substr(0, equals));
        if (!option) return;
        if (equals != std::string::npos) return record(option, word.substr(equals + 1));
        point_.given[option];
        if (takes_values(*option)) expect_values(option);
    }

    // -l, a cluster of flags (-lr), or a short option with its value attached (-pprod) or next.
    void read_short(const std::string& word) {
        for (std::size_t i = 1; i < word.size(); ++i) {
            auto* option = find_option(point_.command, std::string("-") + word[i]);
            if (!option) return;
            point_.given[option];
            if (!takes_values(*option)) continue;
            if (i + 1 < word.size()) record(option, word.substr(i + 1));
            else expect_values(option);
            return;
        }
    }

    void expect_values(CLI::Option* option) {
        pending_ = option;
        pending_taken_ = 0;
    }

    void descend(CLI::App* sub) {
        point_.command = sub;
        point_.command_path.push_back(sub->get_name());
        positional_words_ = 0;
    }

    void record(const CLI::Option* option, const std::string& value) { point_.given[option].push_back(value); }

    CompletionPoint point_;
    CLI::Option* pending_ = nullptr;  // the option read last, while it may take more values
    std::size_t pending_taken_ = 0;
    std::size_t positional_words_ = 0;  // of the current command
    bool positional_only_ = false;      // after "--"
};

}  // namespace

std::string CompletionPoint::given_value(const std::string& name) const {
    for (auto* app = command; app; app = app->get_parent()) {
        const auto* named = app->get_option_no_throw(name);
        if (!named) continue;
        auto found = given.find(named);
        if (found != given.end() && !found->second.empty()) return found->second.back();
    }
    return "";
}

CompletionPoint locate_completion(CLI::App& root, std::vector<std::string> words) {
    if (words.empty()) words.emplace_back();
    Walker walker(root);
    for (std::size_t i = 0; i + 1 < words.size(); ++i) walker.read(words[i]);
    return std::move(walker).finish(words.back());
}

}  // namespace brix::cli::completion
