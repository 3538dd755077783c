#pragma once
// From a generated command's arguments, flags and --json to the request it sends. Every value is
// checked against the field's type here, before anything is sent: a bad integer, boolean or enum
// value is a usage error (exit 2), as a missing or extra argument is.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"
#include "commands/generated/command_table.hpp"

namespace brix::commands::generated {

struct CommandInput {
    std::vector<std::string> args;              // the positional arguments given, in order
    std::map<std::string, std::string> flags;   // field name -> text, for the flags given
    std::optional<api::Json> json;              // the --json body, already read and parsed
};

api::Request build_request(const CommandSpec& spec, const CommandInput& input);

// A field's flag ("include_browse" -> "include-browse", "startIndex" -> "start-index") and its
// name as an argument ("catalog_name" -> "CATALOG_NAME").
std::string flag_name(std::string_view field);
std::string argument_name(std::string_view field);

// The text of a flag or argument as the field's JSON value; `what` names it in the message of
// the cli::UsageError thrown for a value of the wrong type ("--max-results", "VERSION").
api::Json typed_value(const Field& field, const std::string& text, const std::string& what);

// A value as it goes into a query string: booleans as true/false, numbers as written.
std::string query_text(const api::Json& value);

}  // namespace brix::commands::generated
