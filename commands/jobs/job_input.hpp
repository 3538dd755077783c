#pragma once
// What users hand to the jobs and runs verbs: --json (inline, @file or -), --json-file (JSON or
// YAML), the legacy parameter flags, IDs and --timeout. Everything is checked here, before any
// request is sent, so a typo never starts a run.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/api.hpp"

namespace brix::commands::jobs {

// JSON or YAML text (a file's or stdin's) to JSON. JSON is tried first; text that looks like JSON
// (starts with { or [) and fails gets the JSON parser's message, anything else YAML's. A name
// ending in .yml/.yaml is read as YAML only. Throws std::runtime_error naming `source`.
api::Json parse_json_or_yaml(const std::string& text, const std::string& source);

// A YAML document to JSON with YAML 1.2 core-schema scalars: quoted scalars stay strings,
// plain ones become null, booleans, integers or floats when they read as such. Merge keys (<<)
// are applied. Throws std::runtime_error.
api::Json yaml_to_json(const std::string& text);

struct JsonInput {
    std::optional<std::string> json;       // --json: inline JSON, @file or -
    std::optional<std::string> json_file;  // --json-file: a path or -
};

using StdinReader = std::function<std::string()>;
std::string read_all_stdin();

// Exactly one of --json and --json-file, as a JSON object. Malformed inline JSON is a usage error
// (exit 2); a file or stdin that does not parse is a runtime error (exit 1).
api::Json load_json_object(const JsonInput& input, const StdinReader& read_stdin = read_all_stdin);

// The legacy run-now parameter flags take raw JSON: a map of strings or a list of strings.
enum class ParamShape { StringMap, StringList };
api::Json parse_param_flag(std::string_view flag, const std::string& value, ParamShape shape);
// The same check for parameters found in a JSON body; `what` names them in the message.
void check_param_shape(const std::string& what, const api::Json& value, ParamShape shape);

// Job and run IDs, given as a positional (new CLI) or a flag (legacy), sent as JSON numbers.
enum class IdKind { Job, Run };
std::int64_t parse_id(const std::string& text, IdKind kind);
std::optional<std::int64_t> resolve_optional_id(const std::optional<std::string>& positional,
                                                const std::optional<std::string>& flag, IdKind kind);
std::int64_t resolve_id(const std::optional<std::string>& positional, const std::optional<std::string>& flag,
                        IdKind kind);
// An ID found in a JSON body, where legacy scripts write it as a string ("7").
std::optional<std::int64_t> id_in_body(const api::Json& body, const std::string& key, IdKind kind);

// Go durations (300ms, 90s, 20m, 1h30m, 1.5h); "0" means no limit. nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_go_duration(std::string_view text);
std::chrono::milliseconds parse_timeout_flag(const std::string& text);  // throws cli::UsageError
std::string format_go_duration(std::chrono::milliseconds duration);     // 20m0s, 1h30m0s, 1.5s

// A fresh random token, so a retried run-now or submit never starts a second run.
std::string new_idempotency_token();

}  // namespace brix::commands::jobs
