#include "cli/docs/roff.hpp"

#include <cstdio>

namespace brix::cli::docs {
namespace {

// The code point of the UTF-8 sequence starting at text[i]; advances i past it. Invalid bytes are
// taken as Latin-1 so that nothing is dropped.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    auto byte = static_cast<unsigned char>(text[i++]);
    int extra = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
    if (extra == 0 || i + static_cast<std::size_t>(extra) > text.size()) return byte;
    char32_t code = byte & (0x3F >> extra);
    for (int k = 0; k < extra; ++k) code = (code << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
    return code;
}

}  // namespace

std::string roff_line(std::string_view text) {
    std::string out;
    if (!text.empty() && (text.front() == '.' || text.front() == '\'')) out += "\\&";
    for (std::size_t i = 0; i < text.size();) {
        auto c = text[i];
        if (static_cast<unsigned char>(c) >= 0x80) {
            char escape[16];
            std::snprintf(escape, sizeof escape, "\\[u%04X]", static_cast<unsigned>(next_code_point(text, i)));
            out += escape;
            continue;
        }
        ++i;
        switch (c) {
            case '\\': out += "\\e"; break;
            case '-': out += "\\-"; break;
            // ASCII quotes, so that copied examples still work in a shell.
            case '\'': out += "\\(aq"; break;
            case '`': out += "\\(ga"; break;
            // A place to break a long path (an API route) where a line has no room for it.
            case '/': out += "/\\:"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace brix::cli::docs
