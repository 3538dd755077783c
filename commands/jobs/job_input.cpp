#include "commands/jobs/job_input.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "api/json_body.hpp"
#include "api/streams.hpp"
#include "cli/context.hpp"
#include "commands/local_files.hpp"

namespace brix::commands::jobs {
namespace {

// nlohmann prefixes its messages with "[json.exception.parse_error.101] ", which says nothing to a user.
std::string json_error_detail(const std::exception& error) {
    std::string text = error.what();
    if (text.rfind("[json.exception.", 0) == 0)
        if (auto end = text.find("] "); end != std::string::npos) text.erase(0, end + 2);
    return text;
}

bool ends_with(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool looks_like_json(const std::string& text) {
    auto start = text.find_first_not_of(" \t\r\n");
    return start != std::string::npos && (text[start] == '{' || text[start] == '[');
}

// JSON numbers and booleans where strings belong, said the way the user wrote them.
std::string describe(const api::Json& value) {
    if (value.is_null()) return "null";
    if (value.is_boolean()) return value.dump() + " (a boolean)";
    if (value.is_number()) return value.dump() + " (a number)";
    return std::string("a JSON ") + value.type_name();
}

std::string as_string_literal(const api::Json& value) { return api::Json(value.dump()).dump(); }

api::Json load_source(const std::string& origin, const std::string& path, const StdinReader& read_stdin) {
    if (path.empty()) throw cli::UsageError(origin + " needs a file name");
    if (path == "-") return parse_json_or_yaml(read_stdin(), "stdin");
    return parse_json_or_yaml(read_local_file(path), path);
}

api::Json parse_inline(const std::string& value) {
    try {
        return api::parse_json(value);
    } catch (const api::Json::parse_error& error) {
        auto message = "invalid JSON in --json: " + json_error_detail(error);
        if (std::error_code ignored; std::filesystem::is_regular_file(value, ignored))
            message += " (to read the file " + value + ", write --json @" + value + ")";
        throw cli::UsageError(message);
    }
}

}  // namespace

api::Json parse_json_or_yaml(const std::string& text, const std::string& source) {
    auto body = text.rfind("\xEF\xBB\xBF", 0) == 0 ? text.substr(3) : text;  // editors on Windows add a BOM
    bool yaml_only = ends_with(source, ".yml") || ends_with(source, ".yaml");
    if (!yaml_only) {
        try {
            return api::parse_json(body);
        } catch (const api::Json::parse_error& error) {
            if (looks_like_json(body) || ends_with(source, ".json"))
                throw std::runtime_error("invalid JSON in " + source + ": " + json_error_detail(error));
        }
    }
    try {
        return yaml_to_json(body);
    } catch (const std::runtime_error& error) {
        throw std::runtime_error("invalid JSON or YAML in " + source + ": " + error.what());
    }
}

std::string read_all_stdin() {
    api::FdSource source(STDIN_FILENO);
    api::StringSink sink;
    char buffer[1 << 16];
    while (auto n = source.read(buffer, sizeof buffer)) sink.write(buffer, n);
    return std::move(sink.bytes());
}

api::Json load_json_object(const JsonInput& input, const StdinReader& read_stdin) {
    if (input.json && input.json_file) throw cli::UsageError("give --json or --json-file, not both");
    if (!input.json && !input.json_file) throw cli::UsageError("either --json or --json-file is required");
    api::Json document;
    std::string origin;
    if (input.json_file) {
        origin = *input.json_file == "-" ? "stdin" : *input.json_file;
        document = load_source("--json-file", *input.json_file, read_stdin);
    } else if (const auto& value = *input.json; value.empty()) {
        throw cli::UsageError("--json is empty: give inline JSON, @FILE (JSON or YAML) or - for stdin");
    } else if (value == "-" || value[0] == '@') {
        origin = value == "-" ? "stdin" : value.substr(1);
        document = load_source("--json @", value == "-" ? value : value.substr(1), read_stdin);
    } else {
        document = parse_inline(value);
        if (!document.is_object())
            throw cli::UsageError(std::string("--json must be a JSON object, not ") + describe(document));
    }
    if (!document.is_object())
        throw std::runtime_error(origin + " must hold a JSON object (or a YAML mapping), not " + describe(document));
    return document;
}

api::Json parse_param_flag(std::string_view flag, const std::string& value, ParamShape shape) {
    const std::string name(flag);
    api::Json parsed;
    try {
        parsed = api::parse_json(value);
    } catch (const api::Json::parse_error& error) {
        throw cli::UsageError("invalid JSON in " + name + ": " + json_error_detail(error));
    }
    check_param_shape(name, parsed, shape);
    return parsed;
}

void check_param_shape(const std::string& what, const api::Json& value, ParamShape shape) {
    if (shape == ParamShape::StringMap) {
        if (!value.is_object())
            throw cli::UsageError(what + " must be a JSON object of strings, e.g. '{\"name\": \"value\"}', not " + describe(value));
        // Widgets and job parameters are strings on Databricks; a number would be refused there.
        std::string noun = what.find("notebook") != std::string::npos ? "widget values" : "parameter values";
        for (const auto& [key, item] : value.items())
            if (!item.is_string())
                throw cli::UsageError(what + ": the value of \"" + key + "\" is " + describe(item) + ", but " + noun +
                                      " must be strings: write " + as_string_literal(item));
        return;
    }
    if (!value.is_array())
        throw cli::UsageError(what + " must be a JSON array of strings, e.g. '[\"--day\", \"2026-11-21\"]', not " + describe(value));
    for (std::size_t i = 0; i < value.size(); ++i)
        if (!value[i].is_string())
            throw cli::UsageError(what + ": element " + std::to_string(i + 1) + " is " + describe(value[i]) +
                                  ", but arguments must be strings: write " + as_string_literal(value[i]));
}

std::int64_t parse_id(const std::string& text, IdKind kind) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0)
        throw cli::UsageError(std::string("invalid ") + (kind == IdKind::Job ? "job" : "run") + " ID \"" + text +
                              "\": expected a number");
    return value;
}

std::optional<std::int64_t> resolve_optional_id(const std::optional<std::string>& positional,
                                                const std::optional<std::string>& flag, IdKind kind) {
    if (positional && flag)
        throw cli::UsageError(kind == IdKind::Job ? "give the job ID once: as JOB_ID or with --job-id, not both"
                                                  : "give the run ID once: as RUN_ID or with --run-id, not both");
    if (positional) return parse_id(*positional, kind);
    if (flag) return parse_id(*flag, kind);
    return std::nullopt;
}

std::int64_t resolve_id(const std::optional<std::string>& positional, const std::optional<std::string>& flag,
                        IdKind kind) {
    if (auto id = resolve_optional_id(positional, flag, kind)) return *id;
    throw cli::UsageError(kind == IdKind::Job ? "missing job ID: pass JOB_ID or --job-id" : "missing run ID: pass RUN_ID or --run-id");
}

std::optional<std::int64_t> id_in_body(const api::Json& body, const std::string& key, IdKind kind) {
    auto found = body.find(key);
    if (found == body.end() || found->is_null()) return std::nullopt;
    if (found->is_number_integer() && found->get<std::int64_t>() >= 0) return found->get<std::int64_t>();
    if (found->is_string()) return parse_id(found->get<std::string>(), kind);
    throw cli::UsageError("\"" + key + "\" in the JSON input must be a number, not " + describe(*found));
}

std::string new_idempotency_token() {
    std::random_device random;
    static const char digits[] = "0123456789abcdef";
    std::string token = "brix-";
    for (int word = 0; word < 4; ++word)
        for (auto bits = random(), i = 0u; i < 8; ++i, bits >>= 4) token += digits[bits & 0xF];
    return token;
}

}  // namespace brix::commands::jobs
