#pragma once
// The workspace tree: notebooks (stored as SOURCE text), files (their bytes) and folders.
// SQLite holds what exists and its metadata; workspace/ on disk holds the contents by path.
// The database decides existence, so a change is one transaction and a process killed midway
// leaves at worst an invisible orphan file that the next write at that path replaces.

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::workspace {

struct ImportRequest {
    std::string path;
    std::string format = "SOURCE";
    std::optional<std::string> language;
    std::string content;  // decoded bytes
    bool overwrite = false;
};

struct ExportedObject {
    std::string content;
    std::string file_type;            // "py", "ipynb", ... as the API reports it
    std::optional<fs::path> raw_file;  // a FILE's bytes on disk: streamed instead of loaded
};

class WorkspaceService {
public:
    explicit WorkspaceService(store::EngineRoot& root) : root_(root) {}

    api::Json get_status(const std::string& path);
    api::Json list(const std::string& path, std::optional<std::int64_t> notebooks_modified_after = std::nullopt);
    void mkdirs(const std::string& path);
    void remove(const std::string& path, bool recursive);
    void import(const ImportRequest& request);
    // workspace-files/import-file: raw bytes, notebook-or-file decided as AUTO does.
    void import_file(const std::string& path, api::ByteSource& body, bool overwrite);
    ExportedObject export_object(const std::string& path, const std::string& format, bool for_download);

private:
    // The DBC format (dbc_transfer.cpp): a notebook or a folder as one archive.
    void import_dbc(const std::string& path, const std::string& content, bool overwrite);
    std::string export_dbc(const std::string& path);
    store::EngineRoot& root_;
};

// The 10 MB cap of workspace/import and export.
constexpr std::uint64_t kMaxNotebookBytes = 10ull * 1024 * 1024;

}  // namespace brix::engine::workspace
