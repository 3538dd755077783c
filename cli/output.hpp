#pragma once
// How results reach stdout: JSON with a 2-space indent; lists as aligned tables on a terminal
// (shrunk to its width) and tab-separated lines when piped, so `cut -f` and `while read` work on
// names with spaces.

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"

namespace brix::cli {

using Row = std::vector<std::string>;

// Streams the dump to stdout: a large listing is never held a second time as one string.
void print_json(const api::Json& value);
void print_table(const std::vector<Row>& rows);

// A table whose rows arrive one by one (pages of a listing). Piped, each row goes out as it is
// added, so memory does not grow with the listing; on a terminal rows are held until finish()
// to align the columns.
class TableWriter {
public:
    void add(Row row);
    void finish();

private:
    std::vector<Row> held_;
};
void print_line(const std::string& text);
void print_warning(const std::string& text);  // "Warning: ..." on stderr

// Every byte brix prints to stdout goes through here (or StdoutSink), so that a failed write is
// never lost: the first failure's reason is kept for finish_stdout().
void write_stdout(std::string_view text);

// Bytes streamed to stdout (fs cat, workspace export -): unbuffered, and able to take a kernel
// copy. A failed write throws StdoutError.
class StdoutSink : public api::ByteSink {
public:
    StdoutSink();  // flushes what stdio holds first, so the bytes keep their order
    void write(const char* data, std::size_t size) override;
    int fd() const override;
};

class StdoutError : public std::runtime_error {
public:
    explicit StdoutError(int error_number);
    int error_number() const { return error_number_; }

private:
    int error_number_;
};

// Flushes stdout and returns the errno of the first write that failed (0 when every byte got out).
int finish_stdout();
// Records a failure met outside these helpers (a StdoutError caught at the top).
void note_stdout_error(int error_number);

bool stdout_is_terminal();
std::string iso_time(std::int64_t epoch_ms);  // 2026-11-21T09:11:44Z
// For a table: "3 min ago" on a terminal, ISO 8601 when piped (scripts parse it).
std::string display_time(std::int64_t epoch_ms);
std::string relative_time(std::int64_t epoch_ms, std::int64_t now_ms);  // "3 min ago", "in 2 days"
// A run or task state in its colour (SUCCESS green, failures red) when `stream` takes colour.
std::string state_text(const std::string& state, std::FILE* stream = stdout);

}  // namespace brix::cli
