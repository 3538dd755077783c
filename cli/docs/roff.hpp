#pragma once
// Escaping plain text for roff (man pages), so that no character of a help text can be read as a
// request, an escape or a character groff does not know.

#include <string>
#include <string_view>

namespace brix::cli::docs {

// One line of text: backslashes, dashes and quotes escaped, non-ASCII characters as \[uXXXX], a
// leading '.' or '\'' kept from starting a request, and a break point after each '/'.
std::string roff_line(std::string_view text);

}  // namespace brix::cli::docs
