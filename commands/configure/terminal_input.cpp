#include "commands/configure/terminal_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>

namespace brix::commands {
namespace {

// Restores the terminal's echo however the read ends.
class EchoOff {
public:
    EchoOff() {
        if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
        auto quiet = saved_;
        quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
        active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (!active_) return;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
        std::fputc('\n', stderr);  // the user's Enter was not echoed
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    termios saved_{};
    bool active_ = false;
};

}  // namespace

bool stdin_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }

std::string prompt_line(const std::string& prompt, Echo echo) {
    std::fputs(prompt.c_str(), stderr);
    std::fflush(stderr);
    std::string line;
    bool read = false;
    {
        std::optional<EchoOff> hidden;
        if (echo == Echo::Hidden) hidden.emplace();
        read = static_cast<bool>(std::getline(std::cin, line));
    }
    if (!read) throw std::runtime_error("no input: the prompt was closed (EOF)");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string read_stdin_bytes() {
    std::string bytes;
    char buffer[1 << 16];
    for (;;) {
        auto n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n > 0) bytes.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0) return bytes;
        else if (errno != EINTR) throw std::runtime_error(std::string("cannot read stdin: ") + std::strerror(errno));
    }
}

}  // namespace brix::commands
