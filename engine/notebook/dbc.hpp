#pragma once
// DBC archives, the format Databricks exports notebooks and folders in: a ZIP of one JSON document
// per notebook, at "<folders>/<name>.<language>" (python, scala, sql, r), holding
// {"version": "NotebookV1", "name", "language", "commands": [{"version": "CommandV1", "command",
// "position", "commandTitle", "showCommandTitle", ...}]}, plus entries for folders. A cell in
// another language carries its magic ("%md", "%sql") as the first line of its command, as in
// SOURCE text. Results, dashboards and widgets are not kept: what comes back is the code.

#include <string>
#include <string_view>
#include <vector>

#include "engine/notebook/notebook.hpp"

namespace brix::engine::notebook {

struct DbcNotebook {
    std::string path;  // relative, folders separated by "/", without the language extension
    Language language = Language::Python;
    std::string source;  // SOURCE text
};

struct DbcArchive {
    std::vector<std::string> folders;  // relative paths of the folders, parents first
    std::vector<DbcNotebook> notebooks;
};

// Throws INVALID_PARAMETER_VALUE for an archive that is not a DBC (or unpacks beyond `max_unpacked`).
DbcArchive read_dbc(std::string_view archive, std::size_t max_unpacked);
std::string write_dbc(const DbcArchive& archive);

}  // namespace brix::engine::notebook
