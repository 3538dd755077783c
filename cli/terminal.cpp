#include "cli/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace brix::cli {

bool is_terminal(std::FILE* stream) { return ::isatty(::fileno(stream)) == 1; }

int terminal_columns() {
    for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
        winsize size{};
        if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    }
    if (const char* columns = std::getenv("COLUMNS")) {
        int value = std::atoi(columns);
        if (value > 0) return value;
    }
    return 80;
}

namespace {

bool dumb_terminal() {
    const char* term = std::getenv("TERM");
    return term && std::strcmp(term, "dumb") == 0;
}

}  // namespace

bool colour_enabled(std::FILE* stream) {
    const char* no_colour = std::getenv("NO_COLOR");
    if (no_colour && *no_colour) return false;
    return !dumb_terminal() && is_terminal(stream);
}

bool cursor_control_enabled(std::FILE* stream) { return !dumb_terminal() && is_terminal(stream); }

std::string paint(std::FILE* stream, Colour colour, std::string_view text) {
    if (!colour_enabled(stream)) return std::string(text);
    const char* code = colour == Colour::Green ? "32" : colour == Colour::Red ? "31" : colour == Colour::Yellow ? "33" : "2";
    return std::string("\033[") + code + "m" + std::string(text) + "\033[0m";
}

}  // namespace brix::cli
