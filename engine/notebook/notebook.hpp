#pragma once
// Notebook codec: the SOURCE and Jupyter formats of Databricks notebooks and the rules that tell
// a notebook from a plain workspace file. Pure text transforms, no I/O; the workspace stores
// notebooks as SOURCE text and converts at import and export.
//
// Canonical SOURCE text (what render_source and every conversion write):
//   <header>\n<cell>\n\n<c> COMMAND ----------\n\n<cell>...   ending in one "\n"
// where <c> is the comment prefix, a title comes first as "<c> DBTITLE 1,<title>", and magic cells
// have every line written as "<c> MAGIC <line>" ("<c> MAGIC" alone for an empty line).
// Line endings are always "\n"; \r\n is accepted on input. A SOURCE text without a final "\n"
// (as Databricks exports it) keeps that through Jupyter, so source -> jupyter -> source is exact
// for canonical text either way, but for an empty hidden title ("DBTITLE 0,"), which is what
// Jupyter metadata writes for an untitled cell and so comes back as none.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brix::engine::notebook {

enum class Language { Python, Sql, Scala, R };

std::optional<Language> language_from_name(std::string_view name);
std::string_view language_name(Language language);
std::optional<Language> language_from_extension(std::string_view path);
std::string_view extension_for(Language language);
// "#", "--" or "//": SOURCE writes its markup as comments so the file stays a valid script.
std::string_view comment_prefix(Language language);
std::string_view source_header(Language language);
bool has_source_header(std::string_view content, Language language);
// AUTO import: a notebook only when the extension gives the language AND the first line is that
// language's header (Python and R share a header, so the extension decides between them).
std::optional<Language> detect_source_notebook(std::string_view path, std::string_view content);
bool looks_like_jupyter(std::string_view content);

// Text without a leading UTF-8 byte order mark (Windows editors write one). Databricks drops it
// from notebooks; every reader of SOURCE text here ignores it too.
std::string_view without_bom(std::string_view content);

// Prepends the header when missing: what SOURCE import of a plain script stores.
std::string with_source_header(std::string_view content, Language language);

// Splits at "\n" and drops a "\r" before it. "" has no lines; "a\n" is {"a", ""}.
std::vector<std::string> split_lines(std::string_view text);
// "%" followed by a letter: "%md", "%run ./x". Excludes "%%sql" cell magics and R's "%>%".
bool is_magic_line(std::string_view line);

// One cell of a SOURCE notebook, as needed to run it later cell by cell.
struct Cell {
    std::optional<std::string> title;  // from DBTITLE
    bool show_title = true;            // DBTITLE 1 vs 0
    // "" for own-language code; else the magic word as written: "md", "sql", "run", "sh", ...
    // An unprefixed first line naming the notebook's own language ("%python" in Python) is
    // dropped and the cell counts as own-language code.
    std::string magic;
    // Own-language code verbatim. For a magic cell: what follows the magic word on its line
    // (leading blanks skipped) plus the following lines; "%run ./x" -> "./x",
    // "%sql\nSELECT 1" -> "SELECT 1".
    std::string text;
    // 1-based SOURCE line of the first line of `text` (of the magic line when `text` is empty).
    std::size_t first_line = 0;
};

// The header line is optional. Blank lines around each cell are dropped; a body without any
// separator that is blank has no cells.
std::vector<Cell> parse_source(std::string_view source, Language language);
// Canonical text. parse_source(render_source(x)) == x apart from first_line, provided own-language
// text neither starts nor ends with a blank line. Magics whose body is a block (md, sql, sh, ...)
// get it on the following lines; others ("%run ./x", "%pip install y") keep it on the magic line,
// as does a "%sh -e" flag.
std::string render_source(const std::vector<Cell>& cells, Language language);

// A cell as written, before magic interpretation: the lossless layer that conversions go
// through so that canonical SOURCE text survives a round trip byte for byte.
struct RawCell {
    std::optional<std::string> title;
    bool show_title = true;
    bool magic = false;              // written with MAGIC prefixes
    std::vector<std::string> lines;  // content after the title, MAGIC prefixes removed
    std::size_t first_line = 0;      // 1-based SOURCE line of lines[0]
};
struct RawNotebook {
    std::vector<RawCell> cells;
    bool trailing_newline = true;
};
RawNotebook split_source(std::string_view source, Language language);
std::string join_source(const RawNotebook& notebook, Language language);

// JUPYTER export/import (nbformat 4). Databricks metadata: notebook-level under
// "application/vnd.databricks.v1+notebook" (language lower-case, notebookName), cell-level
// under "application/vnd.databricks.v1+cell" (title, showTitle). A cell whose first line is
// exactly "%md" becomes a markdown cell without it; every other magic cell is a code cell whose
// first line is the raw magic. A SOURCE text lacking the final "\n" is marked by
// metadata.brix.sourceTrailingNewline = false.
std::string source_to_jupyter(std::string_view source, Language language, std::string_view notebook_name);

struct ImportedJupyter {
    Language language;
    std::string source;
};
// Language from the metadata (Databricks, then language_info), else the hint, else Python.
// Cell "source" may be a string or a list of strings. Throws INVALID_PARAMETER_VALUE for text
// that is not a JSON object with a "cells" array, or for malformed cells.
ImportedJupyter jupyter_to_source(std::string_view ipynb, std::optional<Language> language_hint);

}  // namespace brix::engine::notebook
