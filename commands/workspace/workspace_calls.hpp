#pragma once
// The workspace requests the commands share, built as both Databricks CLIs send them.

#include <filesystem>
#include <optional>
#include <string>

#include "api/api.hpp"

namespace brix::commands::workspace {

std::optional<api::Json> find_status(api::Api& api, const std::string& path);  // nullopt when missing
api::Json list_objects(api::Api& api, const std::string& path);                // the "objects" array
void mkdirs(api::Api& api, const std::string& path);
void export_to(api::Api& api, const std::string& path, const std::string& format, api::ByteSink& sink);
void import_file(api::Api& api, const std::string& path, api::ByteSource& body, bool overwrite);
// workspace/import of a DBC archive (a notebook, or a folder of them) at `path`.
void import_dbc(api::Api& api, const std::string& path, const std::string& archive, bool overwrite);

// How an object appears in a local folder: notebooks get their language's extension
// (".ipynb" in JUPYTER format, ".dbc" for a notebook or folder in DBC format), files keep their name.
std::string local_name(const api::Json& object_info, const std::string& format = "SOURCE");

// The inverse, for a local file that import-dir uploads: a notebook (a source file whose first line
// is its language's notebook header, or a .ipynb) loses its extension, as the workspace names it.
std::string workspace_name(const std::filesystem::path& file);

bool is_already_exists(const api::ApiError& error);

}  // namespace brix::commands::workspace
