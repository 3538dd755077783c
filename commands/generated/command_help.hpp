#pragma once
// The help texts of generated commands, made from the table: the table has no descriptions, so
// a command says which request it sends and lists every field with its type and how to give it.

#include <string>

#include "commands/generated/command_table.hpp"

namespace brix::commands::generated {

// "Create (POST /api/2.1/unity-catalog/catalogs)": the one-line summary of a command.
std::string command_summary(const CommandSpec& spec);

// The footer: the SDK call, the fields (type, required, and the argument or flag that takes
// each, or "--json only"), and one example.
std::string command_footer(const CommandSpec& spec);

// The help of a flag or argument: "string, in the query", "one of ISOLATED, OPEN", ...
std::string field_description(const Field& field);

// The placeholder of a flag's value in usage lines: <string>, <int>, <ISOLATED|OPEN>.
std::string value_placeholder(const Field& field);

// Whether a field becomes a flag of the command (scalar, not a positional argument) and the
// flag names that no field may take (the global flags, --json, --limit).
bool is_flag(const CommandSpec& spec, const Field& field);

}  // namespace brix::commands::generated
