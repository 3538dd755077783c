// The notebook codec: SOURCE parsing and rendering, and the Jupyter conversions both ways.
// Input: one byte whose low two bits pick the language and whose third bit says whether the
// rest is SOURCE text or a Jupyter document; then the text.
// Properties (those notebook.hpp promises):
// - parse_source(render_source(cells)) == cells, apart from first_line, for cells whose
//   own-language text is neither empty nor starts or ends with a blank line;
// - canonical SOURCE text (what render_source writes from such cells) survives
//   SOURCE -> Jupyter -> SOURCE byte for byte when it is valid UTF-8 (Jupyter export replaces
//   invalid bytes by design);
// - a Jupyter import either throws INVALID_PARAMETER_VALUE or gives SOURCE text that starts with
//   the language's header, and a second import of its own export gives the same text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/api.hpp"
#include "engine/notebook/notebook.hpp"

namespace {

namespace nb = brix::engine::notebook;

[[noreturn]] void fail(const char* property, std::string_view text) {
    std::fprintf(stderr, "property violated: %s: \"%.*s\"\n", property, static_cast<int>(text.size()), text.data());
    std::abort();
}

bool is_blank_line(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

// Canonical text ends its lines with "\n" alone, and a "\r" before "\n" is read as part of the line
// ending: a line whose content ends in "\r" ("x\r\r\n" in, "%md\r" at the end of a file) cannot
// keep it.
bool has_line_ending_in_cr(std::string_view canonical) {
    return canonical.ends_with('\r') || canonical.find("\r\n") != std::string_view::npos;
}

// The precondition under which render_source promises an exact parse back.
bool renders_exactly(const nb::Cell& cell) {
    // A line of the text ending in "\r", as above: render_source's split reads it as a line ending.
    if (cell.text.find("\r\n") != std::string::npos) return false;
    // render_source writes a title on one line, turning "\r" and "\n" into blanks by design; an
    // empty hidden title reads back from Jupyter as none (notebook.hpp).
    if (cell.title && cell.title->find_first_of("\r\n") != std::string::npos) return false;
    if (cell.title && cell.title->empty() && !cell.show_title) return false;
    const auto lines = nb::split_lines(cell.text);
    if (!cell.magic.empty()) return true;
    // Own-language code starting with "%x" (left by "%python\n%x") reads back as magic "x": no
    // SOURCE text means that code, which is no code in any of the languages anyway.
    if (!lines.empty() && nb::is_magic_line(lines.front())) return false;
    return !lines.empty() && !is_blank_line(lines.front()) && !is_blank_line(lines.back());
}

bool same_cells(const std::vector<nb::Cell>& a, const std::vector<nb::Cell>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].title != b[i].title || a[i].show_title != b[i].show_title || a[i].magic != b[i].magic ||
            a[i].text != b[i].text)
            return false;
    return true;
}

// The cells as JSON on stderr, to read a failure.
void print_cells(const char* label, const std::vector<nb::Cell>& cells) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& cell : cells)
        list.push_back({{"title", cell.title ? nlohmann::json(*cell.title) : nlohmann::json()}, {"show_title", cell.show_title},
                        {"magic", cell.magic}, {"text", cell.text}});
    std::fprintf(stderr, "%s: %s\n", label, list.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace).c_str());
}

bool is_valid_utf8(std::string_view text) {
    try {
        (void)nlohmann::json(std::string(text)).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

std::string through_jupyter(const std::string& source, nb::Language language) {
    const auto imported = nb::jupyter_to_source(nb::source_to_jupyter(source, language, "fuzz"), std::nullopt);
    if (imported.language != language) fail("the language changed through Jupyter", source);
    return imported.source;
}

void check_source(std::string_view text, nb::Language language) {
    (void)nb::detect_source_notebook("/x" + std::string(nb::extension_for(language)), text);
    (void)nb::with_source_header(text, language);

    const auto cells = nb::parse_source(text, language);
    const auto canonical = nb::render_source(cells, language);
    bool exact = !has_line_ending_in_cr(canonical);
    for (const auto& cell : cells) exact = exact && renders_exactly(cell);
    if (exact) {
        const auto again = nb::parse_source(canonical, language);
        if (!same_cells(again, cells)) {
            print_cells("cells", cells);
            print_cells("parsed again", again);
            fail("parse(render(cells)) != cells", text);
        }
    }

    // render_source writes canonical text only from cells that meet the same precondition.
    if (exact && is_valid_utf8(canonical)) {
        const auto back = through_jupyter(canonical, language);
        if (back != canonical) {
            print_cells("cells", cells);
            std::fprintf(stderr, "back from Jupyter: %s\n", nlohmann::json(back).dump(-1, ' ', true).c_str());
            fail("canonical SOURCE changed through Jupyter", canonical);
        }
    }
}

void check_jupyter(std::string_view text, nb::Language hint) {
    (void)nb::looks_like_jupyter(text);
    nb::ImportedJupyter imported;
    try {
        imported = nb::jupyter_to_source(text, hint);
    } catch (const brix::api::ApiError& error) {
        if (error.error_code() != "INVALID_PARAMETER_VALUE") fail("unexpected error", text);
        return;
    }
    if (!nb::has_source_header(imported.source, imported.language)) fail("imported SOURCE without its header", text);
    if (!is_valid_utf8(imported.source)) return;
    const auto once = through_jupyter(imported.source, imported.language);
    if (is_valid_utf8(once) && through_jupyter(once, imported.language) != once)
        fail("Jupyter import is not stable after one export", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto language = static_cast<nb::Language>(data[0] & 3);
    const bool jupyter = (data[0] & 4) != 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    if (jupyter) check_jupyter(text, language);
    else check_source(text, language);
    return 0;
}
