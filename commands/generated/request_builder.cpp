#include "commands/generated/request_builder.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "cli/context.hpp"

namespace brix::commands::generated {
namespace {

using api::Json;

bool has_body(api::Method method) {
    return method == api::Method::Post || method == api::Method::Put || method == api::Method::Patch;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "'" : ", '") + name + "'";
    return text;
}

std::string argument_list(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : " ") + argument_name(name);
    return text;
}

// Go's strconv.ParseBool, which the Go CLI's boolean flags use.
std::optional<bool> parse_bool(const std::string& text) {
    for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"})
        if (text == yes) return true;
    for (const char* no : {"0", "f", "F", "false", "FALSE", "False"})
        if (text == no) return false;
    return std::nullopt;
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
    std::int64_t value = 0;
    const char* begin = text.data();
    if (!text.empty() && text.front() == '+') ++begin;
    auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> parse_number(const std::string& text) {
    if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

// {name} and {name*} in the template take the argument as it is; the transport encodes it.
void fill_path_parameter(std::string& path, const std::string& name, const std::string& value) {
    for (const auto& token : {"{" + name + "}", "{" + name + "*}"}) {
        if (auto at = path.find(token); at != std::string::npos) {
            path.replace(at, token.size(), value);
            return;
        }
    }
    throw std::logic_error("path " + path + " has no parameter " + name);
}

std::vector<std::string> expected_arguments(const CommandSpec& spec, bool with_json) {
    if (!with_json) return spec.args;
    std::vector<std::string> in_path;
    for (const auto& name : spec.args)
        if (const auto* field = spec.field(name); field && field->place == FieldPlace::Path) in_path.push_back(name);
    return in_path;
}

void check_argument_count(const CommandSpec& spec, const std::vector<std::string>& expected, const CommandInput& input) {
    if (input.args.size() == expected.size()) return;
    if (input.json && input.args.size() > expected.size()) {
        std::vector<std::string> in_json(spec.args.begin() + static_cast<std::ptrdiff_t>(expected.size()), spec.args.end());
        if (expected.empty())
            throw cli::UsageError("when --json is given, no positional arguments are allowed: put " + quoted_list(in_json) +
                                  " in the JSON input");
        throw cli::UsageError("when --json is given, give only " + argument_list(expected) + " as arguments: put " +
                              quoted_list(in_json) + " in the JSON input");
    }
    auto count = std::to_string(expected.size()) + (expected.size() == 1 ? " argument" : " arguments");
    if (expected.empty()) count = "no arguments";
    throw cli::UsageError(spec.command_words() + " takes " + count + (expected.empty() ? "" : " (" + argument_list(expected) + ")") +
                          ", got " + std::to_string(input.args.size()));
}

}  // namespace

std::string flag_name(std::string_view field) {
    std::string name;
    for (std::size_t i = 0; i < field.size(); ++i) {
        auto c = static_cast<unsigned char>(field[i]);
        bool starts_word = std::isupper(c) && i > 0 &&
                           (std::islower(static_cast<unsigned char>(field[i - 1])) || std::isdigit(static_cast<unsigned char>(field[i - 1])));
        if (starts_word) name += '-';
        name += c == '_' ? '-' : static_cast<char>(std::tolower(c));
    }
    return name;
}

std::string argument_name(std::string_view field) {
    auto name = flag_name(field);
    for (auto& c : name) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

Json typed_value(const Field& field, const std::string& text, const std::string& what) {
    auto refuse = [&](const std::string& expected) {
        return cli::UsageError("invalid value \"" + text + "\" for " + what + ": expected " + expected);
    };
    switch (field.kind) {
        case FieldKind::String:
        case FieldKind::Any: return Json(text);
        case FieldKind::Integer:
            if (auto value = parse_integer(text)) return Json(*value);
            throw refuse("an integer");
        case FieldKind::Number:
            if (auto value = parse_integer(text)) return Json(*value);
            if (auto value = parse_number(text)) return Json(*value);
            throw refuse("a number");
        case FieldKind::Boolean:
            if (auto value = parse_bool(text)) return Json(*value);
            throw refuse("true or false");
        case FieldKind::Enum:
            for (const auto& allowed : field.values)
                if (allowed == text) return Json(text);
            {
                std::string values;
                for (const auto& allowed : field.values) values += (values.empty() ? "" : ", ") + allowed;
                throw refuse("one of " + values);
            }
        case FieldKind::Compound: break;
    }
    throw std::logic_error(field.name + " is only given as JSON");
}

std::string query_text(const Json& value) {
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

api::Request build_request(const CommandSpec& spec, const CommandInput& input) {
    if (spec.json == JsonInput::Required && !input.json)
        throw cli::UsageError(spec.command_words() + " needs its request as JSON: give --json (inline, @file or - for stdin)");
    auto expected = expected_arguments(spec, input.json.has_value());
    check_argument_count(spec, expected, input);

    api::Request request{spec.method, spec.path, {}, nullptr};
    Json body = input.json.value_or(Json::object());
    auto place_value = [&](const Field& field, const Json& value) {
        if (field.place == FieldPlace::Body && has_body(spec.method)) {
            if (!body.contains(field.name)) body[field.name] = value;  // --json wins, as in the Go CLI
        } else {
            request.query.emplace_back(field.name, query_text(value));
        }
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto* field = spec.field(expected[i]);
        if (!field) throw std::logic_error(spec.command_words() + ": no field " + expected[i]);
        if (field->place == FieldPlace::Path) {
            if (input.args[i].empty()) throw cli::UsageError(argument_name(field->name) + " must not be empty");
            fill_path_parameter(request.path, field->name, input.args[i]);
        } else {
            place_value(*field, typed_value(*field, input.args[i], argument_name(field->name)));
        }
    }
    for (const auto& [name, text] : input.flags) {
        const auto* field = spec.field(name);
        if (!field) throw std::logic_error(spec.command_words() + ": no field " + name);
        place_value(*field, typed_value(*field, text, "--" + flag_name(name)));
    }
    if (has_body(spec.method)) request.body = std::move(body);
    return request;
}

}  // namespace brix::commands::generated
