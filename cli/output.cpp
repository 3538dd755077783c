#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace brix::cli {
namespace {

// Display width of UTF-8 text: one column per code point is right for the names we print.
std::size_t display_width(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void write_out(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

bool stdout_is_terminal() {
    static const bool terminal = ::isatty(STDOUT_FILENO) == 1;
    return terminal;
}

void print_json(const api::Json& value) {
    write_out(value.dump(2, ' ', false, api::Json::error_handler_t::replace) + "\n");
}

void print_line(const std::string& text) { write_out(text + "\n"); }

void print_warning(const std::string& text) { std::fprintf(stderr, "Warning: %s\n", text.c_str()); }

void print_table(const std::vector<Row>& rows) {
    if (!stdout_is_terminal()) {
        for (const auto& row : rows) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
            print_line(line);
        }
        return;
    }
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
        }
        print_line(line);
    }
}

std::string iso_time(std::int64_t epoch_ms) {
    std::time_t seconds = epoch_ms / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace brix::cli
