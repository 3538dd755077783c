#pragma once
// What brix knows about the terminal it writes to: whether a stream is one, how wide it is, and
// whether colour is welcome (a terminal, and no NO_COLOR — https://no-color.org — nor TERM=dumb).

#include <cstdio>
#include <string>
#include <string_view>

namespace brix::cli {

bool is_terminal(std::FILE* stream);
// Columns of the terminal behind stdout or stderr; COLUMNS when neither is one; 80 by default.
int terminal_columns();
bool colour_enabled(std::FILE* stream);
// Whether `stream` may be redrawn in place ("\r", ESC[K): a terminal that is not TERM=dumb. Where
// not, progress is plain lines, as when piped.
bool cursor_control_enabled(std::FILE* stream);

enum class Colour { Green, Red, Yellow, Dim };
// `text` in `colour` when colour_enabled(stream), else unchanged.
std::string paint(std::FILE* stream, Colour colour, std::string_view text);

}  // namespace brix::cli
