#include "commands/generated/command_help.hpp"

#include <algorithm>
#include <cctype>

#include "commands/generated/generated_command.hpp"
#include "commands/generated/request_builder.hpp"

namespace brix::commands::generated {
namespace {

// Flags every command has already: a field of that name is given through --json only.
constexpr std::string_view kTakenFlags[] = {"json", "output", "profile", "debug", "quiet", "help", "help-all", "version"};

bool is_argument(const CommandSpec& spec, const std::string& name) {
    return std::find(spec.args.begin(), spec.args.end(), name) != spec.args.end();
}

std::string place_text(FieldPlace place) {
    switch (place) {
        case FieldPlace::Path: return "in the path";
        case FieldPlace::Query: return "in the query";
        case FieldPlace::Body: break;
    }
    return "in the body";
}

// How the field is given on the command line.
std::string given_as(const CommandSpec& spec, const Field& field) {
    if (is_argument(spec, field.name)) {
        bool only_argument = field.place == FieldPlace::Path || spec.json == JsonInput::None;
        return "argument " + argument_name(field.name) + (only_argument ? "" : " (or --json)");
    }
    if (is_flag(spec, field)) return "--" + flag_name(field.name);
    return field.place == FieldPlace::Body && spec.json != JsonInput::None ? "--json only" : "not settable here (use brix api)";
}

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

}  // namespace

bool is_flag(const CommandSpec& spec, const Field& field) {
    if (field.place == FieldPlace::Path || field.kind == FieldKind::Compound || is_argument(spec, field.name)) return false;
    auto name = flag_name(field.name);
    return std::find(std::begin(kTakenFlags), std::end(kTakenFlags), name) == std::end(kTakenFlags);
}

std::string command_summary(const CommandSpec& spec) {
    // "get-permissions" -> "Get permissions"; the request says the rest.
    std::string words = spec.words.back();
    for (auto& c : words) c = c == '-' ? ' ' : c;
    if (!words.empty()) words[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(words[0])));
    return words + " (" + std::string(api::method_name(spec.method)) + " " + spec.path + ")";
}

std::string field_description(const Field& field) {
    std::string text = field.kind == FieldKind::Enum ? "one of " : field.type;
    if (field.kind == FieldKind::Enum)
        for (std::size_t i = 0; i < field.values.size(); ++i) text += (i ? ", " : "") + field.values[i];
    if (field.required) text += ", required";
    return text + ", " + place_text(field.place);
}

std::string value_placeholder(const Field& field) {
    switch (field.kind) {
        case FieldKind::Integer: return "<int>";
        case FieldKind::Number: return "<number>";
        case FieldKind::Boolean: return "<true|false>";
        case FieldKind::Enum: {
            std::string values;
            for (const auto& value : field.values) values += (values.empty() ? "" : "|") + value;
            return values.size() <= 60 ? "<" + values + ">" : "<value>";
        }
        case FieldKind::String:
        case FieldKind::Any:
        case FieldKind::Compound: break;
    }
    return "<string>";
}

std::string command_footer(const CommandSpec& spec) {
    std::string text = "Sends " + std::string(api::method_name(spec.method)) + " " + spec.path + " (" + spec.call +
                       " of the Databricks REST API).\n";
    if (spec.json == JsonInput::Required) text += "The request needs --json: some required fields are objects or lists.\n";
    if (spec.list) text += "Reads every page of the listing; -o json prints the items as one array.\n";
    if (!spec.fields.empty()) {
        std::size_t name_width = 0;
        std::size_t type_width = 0;
        for (const auto& field : spec.fields) {
            name_width = std::max(name_width, field.name.size());
            type_width = std::max(type_width, field.type.size() + (field.required ? 10 : 0));
        }
        text += "Fields:\n";
        for (const auto& field : spec.fields)
            text += "  " + pad(field.name, name_width + 2) + pad(field.type + (field.required ? ", required" : ""), type_width + 2) +
                    given_as(spec, field) + "\n";
    }
    return text + "Example:\n  " + example_line(spec);
}

}  // namespace brix::commands::generated
