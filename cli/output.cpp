#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <memory>
#include <numeric>

#include "cli/terminal.hpp"

namespace brix::cli {
namespace {

// Display width of UTF-8 text: one column per code point is right for the names we print;
// colour sequences take none.
std::size_t display_width(const std::string& text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\033') {
            auto end = text.find('m', i);
            if (end == std::string::npos) break;
            i = end;
            continue;
        }
        if ((text[i] & 0xC0) != 0x80) ++width;
    }
    return width;
}

// The first `width` columns of a plain cell, with an ellipsis when cut.
std::string clip(const std::string& text, std::size_t width) {
    if (display_width(text) <= width || text.find('\033') != std::string::npos) return text;
    std::string clipped;
    std::size_t columns = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        bool starts_character = (text[i] & 0xC0) != 0x80;
        if (starts_character && ++columns > width - 1) break;
        clipped += text[i];
    }
    return clipped + "\u2026";
}

// Narrows the widest columns until the row fits the terminal; the last column may run over.
void fit_to_terminal(std::vector<std::size_t>& widths) {
    if (widths.size() < 2) return;
    auto columns = static_cast<std::size_t>(terminal_columns());
    auto total = [&] { return std::accumulate(widths.begin(), widths.end() - 1, std::size_t{0}) + 2 * (widths.size() - 1) + widths.back(); };
    while (total() > columns) {
        auto widest = std::max_element(widths.begin(), widths.end());
        if (*widest <= 12) break;
        --*widest;
    }
}

std::atomic<int> first_stdout_error{0};

// stdio keeps only a flag when a write fails; the reason is in errno right after the call.
void check_stdout() {
    if (std::ferror(stdout)) note_stdout_error(errno ? errno : EIO);
}

// A tab or newline inside a name would split a tab-separated row: text output escapes them (and
// the backslash, so the escaping can be undone). JSON output stays exact.
std::string escape_cell(const std::string& text) {
    if (text.find_first_of("\\\t\n\r") == std::string::npos) return text;
    std::string escaped;
    for (char c : text) {
        if (c == '\\') escaped += "\\\\";
        else if (c == '\t') escaped += "\\t";
        else if (c == '\n') escaped += "\\n";
        else if (c == '\r') escaped += "\\r";
        else escaped += c;
    }
    return escaped;
}

}  // namespace

void write_stdout(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    check_stdout();
}

void note_stdout_error(int error_number) {
    int none = 0;
    first_stdout_error.compare_exchange_strong(none, error_number);
}

StdoutError::StdoutError(int error_number)
    : std::runtime_error(std::string("cannot write to standard output: ") + std::strerror(error_number)),
      error_number_(error_number) {}

StdoutSink::StdoutSink() {
    if (std::fflush(stdout) != 0) note_stdout_error(errno);
}

void StdoutSink::write(const char* data, std::size_t size) {
    while (size > 0) {
        auto n = ::write(STDOUT_FILENO, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw StdoutError(errno);
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

int StdoutSink::fd() const { return STDOUT_FILENO; }

int finish_stdout() {
    std::cout.flush();
    if (std::fflush(stdout) != 0) note_stdout_error(errno ? errno : EIO);
    check_stdout();
    return first_stdout_error.load();
}

bool stdout_is_terminal() {
    static const bool terminal = ::isatty(STDOUT_FILENO) == 1;
    return terminal;
}

namespace {

// nlohmann's serializer writes through an output adapter; this one writes into stdio's buffer.
class StdoutAdapter : public nlohmann::detail::output_adapter_protocol<char> {
public:
    void write_character(char c) override {
        std::fputc(c, stdout);
        check_stdout();
    }
    void write_characters(const char* text, std::size_t length) override { write_stdout({text, length}); }
};

}  // namespace

void print_json(const api::Json& value) {
    nlohmann::detail::serializer<api::Json> serializer(std::make_shared<StdoutAdapter>(), ' ',
                                                       api::Json::error_handler_t::replace);
    serializer.dump(value, true, false, 2);
    write_stdout("\n");
}

void print_line(const std::string& text) { write_stdout(text + "\n"); }

void print_warning(const std::string& text) { std::fprintf(stderr, "Warning: %s\n", text.c_str()); }

namespace {

void print_tab_separated(const Row& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + escape_cell(row[i]);
    print_line(line);
}

void print_aligned(std::vector<Row> rows) {
    for (auto& row : rows)
        for (auto& cell : row) cell = escape_cell(cell);
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
    }
    fit_to_terminal(widths);
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            auto cell = clip(row[i], widths[i]);
            line += cell;
            if (i + 1 < row.size()) line += std::string(widths[i] - std::min(widths[i], display_width(cell)) + 2, ' ');
        }
        print_line(line);
    }
}

}  // namespace

void print_table(const std::vector<Row>& rows) {
    if (stdout_is_terminal()) return print_aligned(rows);
    for (const auto& row : rows) print_tab_separated(row);
}

void TableWriter::add(Row row) {
    if (stdout_is_terminal()) return held_.push_back(std::move(row));
    print_tab_separated(row);
}

void TableWriter::finish() {
    print_aligned(std::move(held_));
    held_.clear();
}

std::string iso_time(std::int64_t epoch_ms) {
    std::time_t seconds = epoch_ms / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string relative_time(std::int64_t epoch_ms, std::int64_t now_ms) {
    auto seconds = (now_ms - epoch_ms) / 1000;
    bool future = seconds < 0;
    if (future) seconds = -seconds;
    std::string amount;
    if (seconds < 60) return future ? "in a moment" : "just now";
    if (seconds < 3600) amount = std::to_string(seconds / 60) + " min";
    else if (seconds < 86400) amount = std::to_string(seconds / 3600) + " h";
    else if (seconds < 86400 * 60) amount = std::to_string(seconds / 86400) + (seconds < 86400 * 2 ? " day" : " days");
    else return iso_time(epoch_ms).substr(0, 10);
    return future ? "in " + amount : amount + " ago";
}

std::string display_time(std::int64_t epoch_ms) {
    if (!stdout_is_terminal() || epoch_ms <= 0) return epoch_ms <= 0 ? "" : iso_time(epoch_ms);
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
    return relative_time(epoch_ms, now.count());
}

std::string state_text(const std::string& state, std::FILE* stream) {
    if (state == "SUCCESS" || state == "SUCCESS_WITH_FAILURES") return paint(stream, Colour::Green, state);
    if (state == "FAILED" || state == "TIMEDOUT" || state == "INTERNAL_ERROR" || state == "UPSTREAM_FAILED" ||
        state == "CANCELED")
        return paint(stream, Colour::Red, state);
    return state;
}

}  // namespace brix::cli
