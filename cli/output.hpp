#pragma once
// How results reach stdout: JSON with a 2-space indent; lists as aligned tables on a terminal
// (shrunk to its width) and tab-separated lines when piped, so `cut -f` and `while read` work on
// names with spaces.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "api/api.hpp"

namespace brix::cli {

using Row = std::vector<std::string>;

void print_json(const api::Json& value);
void print_table(const std::vector<Row>& rows);
void print_line(const std::string& text);
void print_warning(const std::string& text);  // "Warning: ..." on stderr

bool stdout_is_terminal();
std::string iso_time(std::int64_t epoch_ms);  // 2026-11-21T09:11:44Z
// For a table: "3 min ago" on a terminal, ISO 8601 when piped (scripts parse it).
std::string display_time(std::int64_t epoch_ms);
std::string relative_time(std::int64_t epoch_ms, std::int64_t now_ms);  // "3 min ago", "in 2 days"
// A run or task state in its colour (SUCCESS green, failures red) when `stream` takes colour.
std::string state_text(const std::string& state, std::FILE* stream = stdout);

}  // namespace brix::cli
