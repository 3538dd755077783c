// workspace/import and workspace/export in the DBC format: an archive of notebooks and folders
// (engine/notebook/dbc.hpp), for one notebook or a whole folder.
#include "engine/notebook/dbc.hpp"
#include "engine/store/paths.hpp"
#include "engine/workspace/service.hpp"
#include "engine/workspace/store.hpp"

namespace brix::engine::workspace {
namespace {

namespace nb = notebook;

// What a DBC archive may unpack to: the export limit of a folder, with room for JSON overhead.
constexpr std::size_t kMaxDbcUnpacked = 10 * kMaxNotebookBytes;

std::string first_segment(const std::string& path) { return path.substr(0, path.find('/')); }

// An archive whose entries all sit in one top folder is that folder: importing it at `path`
// makes `path` the folder, as exporting a folder and importing the archive elsewhere expects.
void strip_common_folder(nb::DbcArchive& archive) {
    std::string top;
    for (const auto& notebook : archive.notebooks) {
        if (notebook.path.find('/') == std::string::npos) return;  // a notebook at the top
        auto first = first_segment(notebook.path);
        if (!top.empty() && first != top) return;
        top = first;
    }
    for (const auto& folder : archive.folders)
        if (first_segment(folder) != top) return;
    if (top.empty()) return;
    for (auto& notebook : archive.notebooks) notebook.path = notebook.path.substr(top.size() + 1);
    std::vector<std::string> folders;
    for (const auto& folder : archive.folders)
        if (folder != top) folders.push_back(folder.substr(top.size() + 1));
    archive.folders = std::move(folders);
}

void put_notebook(store::EngineRoot& root, const std::string& path, const nb::DbcNotebook& notebook, bool overwrite) {
    store::TempFile content(root.tmp_dir());
    content.write(notebook.source);
    WorkspaceStore(root).put(ObjectRow{0, path, "NOTEBOOK", std::string(nb::language_name(notebook.language))}, content,
                             overwrite, ConflictStyle::Import);
}

}  // namespace

void WorkspaceService::import_dbc(const std::string& path, const std::string& content, bool overwrite) {
    auto archive = nb::read_dbc(content, kMaxDbcUnpacked);
    if (archive.notebooks.empty()) throw api::invalid_parameter("Invalid DBC archive: it holds no notebook");
    WorkspaceStore store(root_);
    if (archive.notebooks.size() == 1 && archive.folders.empty()) {
        put_notebook(root_, path, archive.notebooks.front(), overwrite);
        return;
    }
    strip_common_folder(archive);
    if (auto existing = store.find(path); existing && !overwrite)
        throw api::already_exists("Path (" + path + ") already exists.");
    mkdirs(path);
    for (const auto& folder : archive.folders) mkdirs(store::normalize_workspace_path(path + "/" + folder));
    for (const auto& notebook : archive.notebooks)
        put_notebook(root_, store::normalize_workspace_path(path + "/" + notebook.path), notebook, overwrite);
}

std::string WorkspaceService::export_dbc(const std::string& path) {
    WorkspaceStore store(root_);
    auto row = store.require(path);
    auto name = store::base_name(row.path);
    nb::DbcArchive archive;
    auto add_notebook = [&](const ObjectRow& object, const std::string& relative) {
        archive.notebooks.push_back(nb::DbcNotebook{relative, *nb::language_from_name(object.language.value_or("PYTHON")),
                                                    store::read_file(store.disk_path(object.path))});
    };
    if (row.object_type == "NOTEBOOK") {
        add_notebook(row, name);
    } else if (row.object_type == "DIRECTORY" && row.path != "/") {
        archive.folders.push_back(name);
        auto stmt = root_.db().prepare(
            "SELECT object_id, path, object_type, language FROM workspace_objects "
            "WHERE substr(path, 1, ?) = ? AND object_type IN ('DIRECTORY', 'NOTEBOOK') ORDER BY path");
        stmt.bind(1, static_cast<std::int64_t>(row.path.size() + 1)).bind(2, row.path + "/");
        while (stmt.step()) {
            ObjectRow object{stmt.integer(0), stmt.text(1), stmt.text(2), stmt.optional_text(3)};
            auto relative = name + object.path.substr(row.path.size());
            if (object.object_type == "DIRECTORY") archive.folders.push_back(relative);
            else add_notebook(object, relative);
        }
    } else {
        throw api::invalid_parameter("Only notebooks and folders can be exported as DBC, not " + row.path);
    }
    auto bytes = nb::write_dbc(archive);
    if (bytes.size() > kMaxNotebookBytes)
        throw api::ApiError(400, "MAX_NOTEBOOK_SIZE_EXCEEDED", "The DBC archive of " + row.path + " is larger than the 10 MB export limit");
    return bytes;
}

}  // namespace brix::engine::workspace
