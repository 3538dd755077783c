#include "engine/notebook/notebook.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace brix::engine::notebook {

namespace {

// The markup lines of one language, all built on its comment prefix.
struct Syntax {
    explicit Syntax(Language language)
        : separator(std::string(comment_prefix(language)) + " COMMAND ----------"),
          magic(std::string(comment_prefix(language)) + " MAGIC"),
          title(std::string(comment_prefix(language)) + " DBTITLE ") {}

    std::string separator;
    std::string magic;
    std::string title;
};

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
}

std::string_view trim(std::string_view line) {
    const auto begin = line.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return {};
    return line.substr(begin, line.find_last_not_of(" \t") - begin + 1);
}

std::string join_lines(auto first, auto last) {
    std::string out;
    for (auto it = first; it != last; ++it) {
        if (it != first) out += '\n';
        out += *it;
    }
    return out;
}

bool has_magic_prefix(std::string_view line, const Syntax& syntax) {
    return line.starts_with(syntax.magic) &&
           (line.size() == syntax.magic.size() || line[syntax.magic.size()] == ' ');
}

// Both "<c> MAGIC" (newer exports) and "<c> MAGIC " (older ones) mean an empty line.
std::string strip_magic_prefix(std::string_view line, const Syntax& syntax) {
    if (!has_magic_prefix(line, syntax)) return std::string(line);
    return std::string(line.substr(std::min(line.size(), syntax.magic.size() + 1)));
}

// "<c> DBTITLE <digits>,<title>"; anything else is not a title and stays cell content.
bool read_title(std::string_view line, const Syntax& syntax, RawCell& cell) {
    if (!line.starts_with(syntax.title)) return false;
    const auto rest = line.substr(syntax.title.size());
    const auto comma = rest.find(',');
    const auto flag = rest.substr(0, comma);
    if (comma == std::string_view::npos || flag.empty() ||
        !std::ranges::all_of(flag, [](unsigned char c) { return std::isdigit(c); }))
        return false;
    cell.title = std::string(rest.substr(comma + 1));
    cell.show_title = flag != "0";
    return true;
}

RawCell read_cell(const std::vector<std::string>& lines, std::size_t begin, std::size_t end,
                  const Syntax& syntax) {
    while (begin < end && is_blank(lines[begin])) ++begin;
    while (end > begin && is_blank(lines[end - 1])) --end;
    RawCell cell;
    if (begin < end && read_title(lines[begin], syntax, cell)) ++begin;
    cell.first_line = begin + 1;
    cell.magic = begin < end && has_magic_prefix(lines[begin], syntax);
    for (auto i = begin; i < end; ++i)
        cell.lines.push_back(cell.magic ? strip_magic_prefix(lines[i], syntax) : lines[i]);
    return cell;
}

// Code that would read back as markup loses it when read: a COMMAND separator line splits the
// cell; a first non-blank line with the MAGIC prefix (the Python comment "# MAGIC x") or, in an
// untitled cell, a DBTITLE line is taken for markup. Written magic-prefixed, it reads back as is.
bool reads_as_markup(const RawCell& cell, const Syntax& syntax) {
    if (std::ranges::any_of(cell.lines, [&](const std::string& line) { return trim(line) == syntax.separator; }))
        return true;
    const auto first = std::ranges::find_if(cell.lines, [](const std::string& line) { return !is_blank(line); });
    if (first == cell.lines.end()) return false;
    RawCell title_probe;
    return has_magic_prefix(*first, syntax) || (!cell.title && read_title(*first, syntax, title_probe));
}

void append_cell(std::string& out, const RawCell& cell, const Syntax& syntax) {
    std::vector<std::string> lines;
    // A title is one line by construction; a newline from Jupyter metadata would break the cell.
    if (cell.title) {
        std::string title = *cell.title;
        std::ranges::replace(title, '\n', ' ');
        std::ranges::replace(title, '\r', ' ');
        lines.push_back(syntax.title + (cell.show_title ? "1," : "0,") + title);
    }
    const bool magic = cell.magic || reads_as_markup(cell, syntax);
    for (const auto& line : cell.lines) {
        if (!magic) lines.push_back(line);
        else if (line.empty()) lines.push_back(syntax.magic);
        else lines.push_back(syntax.magic + " " + line);
    }
    out += join_lines(lines.begin(), lines.end());
}

bool names_language(std::string_view word, Language language) {
    return language_from_name(word) == language || (language == Language::Python && word == "py");
}

Cell interpret(const RawCell& raw, Language language) {
    Cell cell{raw.title, raw.show_title, "", "", raw.first_line};
    std::size_t magic_at = 0;
    // Older exports put a blank MAGIC line before the magic itself.
    if (raw.magic)
        while (magic_at < raw.lines.size() && is_blank(raw.lines[magic_at])) ++magic_at;
    if (magic_at == raw.lines.size() || !is_magic_line(raw.lines[magic_at])) {
        cell.text = join_lines(raw.lines.begin(), raw.lines.end());
        return cell;
    }
    const std::string_view line = raw.lines[magic_at];
    const auto word_end = std::min(line.find_first_of(" \t"), line.size());
    const auto word = line.substr(1, word_end - 1);
    const auto rest_begin = line.find_first_not_of(" \t", word_end);
    const auto rest = rest_begin == std::string_view::npos ? std::string_view{} : line.substr(rest_begin);
    if (raw.magic || !names_language(word, language)) cell.magic = std::string(word);

    std::vector<std::string> body;
    if (!rest.empty()) body.emplace_back(rest);
    body.insert(body.end(), raw.lines.begin() + static_cast<std::ptrdiff_t>(magic_at) + 1, raw.lines.end());
    cell.text = join_lines(body.begin(), body.end());
    const bool body_on_next_line = rest.empty() && magic_at + 1 < raw.lines.size();
    cell.first_line = raw.first_line + magic_at + (body_on_next_line ? 1 : 0);
    return cell;
}

// Block magics take their body on the lines below; "%run ./x" must stay on one line, and a
// "%sh -e" flag belongs on the magic line, where Databricks reads it.
bool body_on_magic_line(std::string_view magic, std::string_view first_body_line) {
    static constexpr std::array<std::string_view, 8> block_magics{
        "md", "md-sandbox", "sql", "python", "py", "scala", "r", "sh"};
    // parse_source skips blanks after the magic word, so such a line must go below to survive.
    if (first_body_line.empty() || first_body_line[0] == ' ' || first_body_line[0] == '\t')
        return false;
    if (magic == "sh") return first_body_line[0] == '-';
    return std::ranges::find(block_magics, magic) == block_magics.end();
}

RawCell to_raw(const Cell& cell) {
    RawCell raw{cell.title, cell.show_title, !cell.magic.empty(), split_lines(cell.text), cell.first_line};
    if (!raw.magic) return raw;
    std::string magic_line = "%" + cell.magic;
    if (!raw.lines.empty() && body_on_magic_line(cell.magic, raw.lines.front())) {
        magic_line += " " + raw.lines.front();
        raw.lines.front() = std::move(magic_line);
    } else {
        raw.lines.insert(raw.lines.begin(), std::move(magic_line));
    }
    return raw;
}

}  // namespace

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    if (text.empty()) return lines;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find('\n', start);
        auto line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (end != std::string_view::npos && line.ends_with('\r')) line.remove_suffix(1);
        lines.emplace_back(line);
        if (end == std::string_view::npos) return lines;
        start = end + 1;
    }
}

bool is_magic_line(std::string_view line) {
    return line.size() >= 2 && line[0] == '%' && std::isalpha(static_cast<unsigned char>(line[1]));
}

RawNotebook split_source(std::string_view source, Language language) {
    source = without_bom(source);
    const Syntax syntax(language);
    RawNotebook notebook;
    notebook.trailing_newline = source.ends_with('\n');
    auto lines = split_lines(source);
    if (notebook.trailing_newline) lines.pop_back();

    std::size_t begin = !lines.empty() && lines.front() == source_header(language) ? 1 : 0;
    std::vector<std::pair<std::size_t, std::size_t>> chunks;
    for (auto i = begin; i <= lines.size(); ++i) {
        if (i < lines.size() && trim(lines[i]) != syntax.separator) continue;
        chunks.emplace_back(begin, i);
        begin = i + 1;
    }
    const bool blank_body = chunks.size() == 1 &&
        std::all_of(lines.begin() + static_cast<std::ptrdiff_t>(chunks[0].first), lines.end(),
                    [](const std::string& line) { return is_blank(line); });
    if (blank_body) return notebook;
    for (const auto& [first, last] : chunks) notebook.cells.push_back(read_cell(lines, first, last, syntax));
    return notebook;
}

std::string join_source(const RawNotebook& notebook, Language language) {
    const Syntax syntax(language);
    std::string out(source_header(language));
    const std::string between = "\n\n" + syntax.separator + "\n\n";
    for (std::size_t i = 0; i < notebook.cells.size(); ++i) {
        out += i == 0 ? std::string_view("\n") : std::string_view(between);
        append_cell(out, notebook.cells[i], syntax);
    }
    if (notebook.trailing_newline) out += '\n';
    return out;
}

std::vector<Cell> parse_source(std::string_view source, Language language) {
    std::vector<Cell> cells;
    for (const auto& raw : split_source(source, language).cells) cells.push_back(interpret(raw, language));
    return cells;
}

std::string render_source(const std::vector<Cell>& cells, Language language) {
    RawNotebook notebook;
    for (const auto& cell : cells) notebook.cells.push_back(to_raw(cell));
    return join_source(notebook, language);
}

}  // namespace brix::engine::notebook
