#include "commands/generated/generated_command.hpp"

#include <CLI/CLI.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/generated/command_help.hpp"
#include "commands/generated/list_output.hpp"
#include "commands/generated/pager.hpp"
#include "commands/generated/request_builder.hpp"
#include "commands/jobs/job_input.hpp"

namespace brix::commands::generated {
namespace {

// What the parser fills in for one command, and what it needs to run.
struct GeneratedVerb {
    CommandSpec spec;
    std::string unavailable_name;
    std::vector<std::string> arguments;  // one per spec.args
    std::vector<const CLI::Option*> argument_options;
    std::deque<std::string> flag_values;  // stable addresses for CLI11
    struct Flag {
        std::string field;
        const CLI::Option* option;
        const std::string* value;
    };
    std::vector<Flag> flags;
    std::optional<std::string> json;
    std::optional<long long> limit;
};

CommandInput read_input(const GeneratedVerb& verb) {
    CommandInput input;
    // CLI11 fills positionals in order, so the given ones are a prefix.
    for (std::size_t i = 0; i < verb.argument_options.size() && verb.argument_options[i]->count() > 0; ++i)
        input.args.push_back(verb.arguments[i]);
    for (const auto& flag : verb.flags)
        if (flag.option->count() > 0) input.flags[flag.field] = *flag.value;
    if (verb.json) input.json = jobs::load_json_object(jobs::JsonInput{verb.json, std::nullopt});
    return input;
}

void run_verb(cli::Context& context, const GeneratedVerb& verb) {
    if (verb.limit && *verb.limit < 1) throw cli::UsageError("--limit must be at least 1");
    auto request = build_request(verb.spec, read_input(verb));
    try {
        if (verb.spec.list) {
            auto limit = verb.limit ? std::optional<std::size_t>(static_cast<std::size_t>(*verb.limit)) : std::nullopt;
            auto items = list_all(context.api(), *verb.spec.list, std::move(request), limit);
            return print_listing(items, context.output_mode() == cli::OutputMode::Json);
        }
        auto answer = context.api().call(request);
        if (verb.spec.prints_answer) cli::print_json(answer);
    } catch (const api::ApiError& error) {
        // The engine answers ENDPOINT_NOT_FOUND for whatever it does not implement, so this
        // follows what the engine really serves, not a list kept here.
        if (error.error_code() == "ENDPOINT_NOT_FOUND" && context.config().backend == cli::Backend::Local)
            throw std::runtime_error(verb.unavailable_name + " is not available on the local engine (it needs a Databricks workspace)");
        throw;
    }
}

// The group of `words` below `group`, made when missing (settings default-namespace).
CLI::App& intermediate_group(CLI::App& group, const std::string& word, const CommandSpec& spec) {
    if (auto* existing = find_command(group, word)) return *existing;
    auto* made = group.add_subcommand(word, "Commands of " + word);
    made->require_subcommand(0, 1);
    made->footer("Example:\n  " + example_line(spec));
    return *made;
}

void add_arguments(CLI::App& command, GeneratedVerb& verb) {
    verb.arguments.resize(verb.spec.args.size());
    for (std::size_t i = 0; i < verb.spec.args.size(); ++i) {
        const auto* field = verb.spec.field(verb.spec.args[i]);
        if (!field) throw std::logic_error(verb.spec.command_words() + ": no field " + verb.spec.args[i]);
        auto* option = command.add_option(argument_name(field->name), verb.arguments[i], field_description(*field));
        option->option_text("<" + flag_name(field->name) + ">");
        verb.argument_options.push_back(option);
    }
}

void add_flags(CLI::App& command, GeneratedVerb& verb) {
    for (const auto& field : verb.spec.fields) {
        if (!is_flag(verb.spec, field)) continue;
        auto name = "--" + flag_name(field.name);
        if (command.get_option_no_throw(name)) continue;  // two fields spelt alike: the first keeps the flag
        auto& value = verb.flag_values.emplace_back();
        // A boolean flag alone means true, as in the Go CLI (--force, --force=false).
        auto* option = field.kind == FieldKind::Boolean ? command.add_flag(name + "{true}", value, field_description(field))
                                                        : command.add_option(name, value, field_description(field));
        option->option_text(value_placeholder(field));
        verb.flags.push_back({field.name, option, &value});
    }
    if (verb.spec.json != JsonInput::None)
        command.add_option("--json", verb.json, "The request body as JSON: inline, @file (JSON or YAML) or - for stdin")
            ->option_text("<json>");
    if (verb.spec.list && !command.get_option_no_throw("--limit"))
        command.add_option("--limit", verb.limit, "Read at most this many items (default: every page)")->option_text("<n>");
}

}  // namespace

CLI::App* find_command(CLI::App& app, const std::string& name) {
    auto found = app.get_subcommands([&](CLI::App* sub) { return sub->check_name(name); });
    return found.empty() ? nullptr : found.front();
}

std::string example_line(const CommandSpec& spec) {
    std::string line = "brix " + spec.command_words();
    bool json = spec.json == JsonInput::Required;
    for (const auto& name : spec.args) {
        const auto* field = spec.field(name);
        if (json && field && field->place != FieldPlace::Path) continue;
        line += " " + argument_name(name);
    }
    return json ? line + " --json @request.json" : line;
}

void add_generated_command(CLI::App& group, cli::Context& context, CommandSpec spec, std::string unavailable_name) {
    CLI::App* parent = &group;
    for (std::size_t i = 0; i + 1 < spec.words.size(); ++i) parent = &intermediate_group(*parent, spec.words[i], spec);
    auto verb = std::make_shared<GeneratedVerb>();
    verb->spec = std::move(spec);
    verb->unavailable_name = std::move(unavailable_name);
    auto* command = parent->add_subcommand(verb->spec.words.back(), command_summary(verb->spec));
    add_arguments(*command, *verb);
    add_flags(*command, *verb);
    command->footer(command_footer(verb->spec));
    command->callback([&context, verb] { run_verb(context, *verb); });
}

}  // namespace brix::commands::generated
