#include "engine/workspace/service.hpp"

#include <algorithm>

#include "engine/notebook/notebook.hpp"
#include "engine/store/paths.hpp"
#include "engine/workspace/store.hpp"

namespace brix::engine::workspace {
namespace {

namespace nb = notebook;

const std::vector<std::string>& known_formats() {
    static const std::vector<std::string> formats = {"SOURCE", "HTML", "JUPYTER", "DBC", "R_MARKDOWN", "AUTO", "RAW"};
    return formats;
}

void check_format(const std::string& format) {
    const auto& formats = known_formats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
        throw api::invalid_parameter("Invalid format: " + format +
                                     " (expected one of SOURCE, HTML, JUPYTER, DBC, R_MARKDOWN, AUTO, RAW)");
    if (format == "HTML" || format == "R_MARKDOWN")
        throw api::not_implemented("The " + format + " format is not supported by the brix local engine");
}

nb::Language parse_language(const std::string& name) {
    auto language = nb::language_from_name(name);
    if (!language) throw api::invalid_parameter("Invalid language: " + name + " (expected PYTHON, SQL, SCALA or R)");
    return *language;
}

std::string strip_extension(const std::string& path) {
    auto dot = path.rfind('.');
    auto slash = path.rfind('/');
    return dot != std::string::npos && dot > slash + 1 ? path.substr(0, dot) : path;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// What AUTO (and workspace-files/import-file) makes of some bytes at a path: a notebook when the
// extension and the header agree, or an .ipynb; anything else a file that keeps its name.
struct Placement {
    ObjectRow row;
    std::optional<std::string> notebook_source;  // set when the stored bytes differ from the input
};

Placement place_auto(const std::string& path, const std::string& content) {
    if (auto language = nb::detect_source_notebook(path, content)) {
        auto source = nb::without_bom(content);
        return {{0, strip_extension(path), "NOTEBOOK", std::string(nb::language_name(*language))},
                source.size() == content.size() ? std::nullopt : std::optional<std::string>(source)};
    }
    if (ends_with(path, ".ipynb") && nb::looks_like_jupyter(content)) {
        auto imported = nb::jupyter_to_source(content, std::nullopt);
        return {{0, strip_extension(path), "NOTEBOOK", std::string(nb::language_name(imported.language))},
                std::move(imported.source)};
    }
    return {{0, path, "FILE", std::nullopt}, std::nullopt};
}

Placement place(const ImportRequest& request, const std::string& path) {
    if (request.format == "AUTO") return place_auto(path, request.content);
    if (request.format == "RAW") return {{0, path, "FILE", std::nullopt}, std::nullopt};
    if (request.format == "JUPYTER") {
        std::optional<nb::Language> hint;
        if (request.language) hint = parse_language(*request.language);
        auto imported = nb::jupyter_to_source(request.content, hint);
        return {{0, path, "NOTEBOOK", std::string(nb::language_name(imported.language))}, std::move(imported.source)};
    }
    if (!request.language)
        throw api::invalid_parameter(
            "A single file imported in SOURCE format needs a language (PYTHON, SQL, SCALA or R); "
            "give one, or use format AUTO");
    auto language = parse_language(*request.language);
    return {{0, path, "NOTEBOOK", std::string(nb::language_name(language))},
            nb::with_source_header(request.content, language)};
}

std::string file_type_of(const ObjectRow& row, const std::string& format) {
    if (row.object_type == "FILE") {
        auto name = store::base_name(row.path);
        auto dot = name.rfind('.');
        return dot == std::string::npos || dot == 0 ? "" : name.substr(dot + 1);
    }
    if (format == "JUPYTER") return "ipynb";
    return std::string(nb::extension_for(*nb::language_from_name(row.language.value_or("PYTHON")))).substr(1);
}

}  // namespace

api::Json WorkspaceService::get_status(const std::string& path) {
    return WorkspaceStore(root_).require(path).to_object_info();
}

api::Json WorkspaceService::list(const std::string& path, std::optional<std::int64_t> notebooks_modified_after) {
    auto row = WorkspaceStore(root_).require(path);
    api::Json objects = api::Json::array();
    // notebooks_modified_after (epoch ms) leaves out the notebooks not modified since; folders and files stay.
    auto listed = [&](const ObjectRow& object) {
        return object.object_type != "NOTEBOOK" || !notebooks_modified_after || object.modified_at > *notebooks_modified_after;
    };
    if (row.object_type != "DIRECTORY") {
        if (listed(row)) objects.push_back(row.to_object_info());
    } else {
        auto stmt = root_.db().prepare(std::string("SELECT ") + kObjectColumns +
                                       " FROM workspace_objects w WHERE w.parent = ? ORDER BY w.path");
        stmt.bind(1, path);
        while (stmt.step()) {
            auto object = read_object_row(stmt);
            if (listed(object)) objects.push_back(object.to_object_info());
        }
    }
    api::Json result = api::Json::object();
    if (!objects.empty()) result["objects"] = std::move(objects);
    return result;
}

void WorkspaceService::mkdirs(const std::string& path) {
    WorkspaceStore store(root_);
    root_.db().write_transaction([&] {
        std::string prefix;
        for (std::size_t pos = 1; pos <= path.size(); ++pos) {
            if (pos != path.size() && path[pos] != '/') continue;
            prefix = path.substr(0, pos);
            if (prefix == "/") continue;
            if (auto existing = store.find(prefix)) {
                if (existing->object_type != "DIRECTORY")
                    throw api::already_exists("Cannot create " + path + " because " + prefix +
                                              " already exists and it is not a folder");
                continue;
            }
            auto now = store::now_ms();
            root_.db()
                .prepare("INSERT INTO workspace_objects (path, parent, object_type, created_at, modified_at) "
                         "VALUES (?, ?, 'DIRECTORY', ?, ?)")
                .bind(1, prefix)
                .bind(2, store::parent_path(prefix))
                .bind(3, now)
                .bind(4, now)
                .run();
            auto disk = store.disk_path(prefix);
            if (fs::exists(disk) && !fs::is_directory(disk)) fs::remove(disk);  // orphan of an interrupted write
        }
        fs::create_directories(store.disk_path(path));
    });
}

void WorkspaceService::remove(const std::string& path, bool recursive) {
    if (path == "/") throw api::invalid_parameter("The workspace root cannot be deleted");
    WorkspaceStore store(root_);
    root_.db().write_transaction([&] {
        auto row = store.require(path);
        if (row.object_type == "DIRECTORY" && !recursive) {
            auto child = root_.db().prepare("SELECT 1 FROM workspace_objects WHERE parent = ? LIMIT 1");
            child.bind(1, path);
            if (child.step())
                throw api::ApiError(400, "DIRECTORY_NOT_EMPTY",
                                    "Folder (" + path + ") is not empty. Use recursive delete to remove it.");
        }
        root_.db()
            .prepare("DELETE FROM workspace_objects WHERE path = ? OR substr(path, 1, ?) = ?")
            .bind(1, path)
            .bind(2, static_cast<std::int64_t>(path.size() + 1))
            .bind(3, path + "/")
            .run();
    });
    store::remove_tree(store.disk_path(path), root_.tmp_dir());
}

void WorkspaceService::import(const ImportRequest& request) {
    check_format(request.format);
    auto path = store::normalize_workspace_path(request.path);
    if (request.content.size() > kMaxNotebookBytes)
        throw api::ApiError(400, "MAX_NOTEBOOK_SIZE_EXCEEDED",
                            "File size imported is (" + std::to_string(request.content.size()) +
                                " bytes), exceeded max size (" + std::to_string(kMaxNotebookBytes) + " bytes)");
    if (path == "/") throw api::already_exists("Path (/) already exists and is a folder.");
    if (request.format == "DBC") return import_dbc(path, request.content, request.overwrite);
    auto placement = place(request, path);
    store::TempFile content(root_.tmp_dir());
    content.write(placement.notebook_source ? *placement.notebook_source : request.content);
    WorkspaceStore(root_).put(std::move(placement.row), content, request.overwrite, ConflictStyle::Import);
}

void WorkspaceService::import_file(const std::string& raw_path, api::ByteSource& body, bool overwrite) {
    auto path = store::normalize_workspace_path(raw_path);
    if (path == "/") throw api::already_exists("Path (/) already exists and is a folder.");
    store::TempFile content(root_.tmp_dir());
    content.copy_from(body);
    // Only a file that could be a notebook is read back to look at its header.
    bool maybe_notebook = content.size() <= kMaxNotebookBytes &&
                          (nb::language_from_extension(path) || ends_with(path, ".ipynb"));
    auto placement = maybe_notebook ? place_auto(path, store::read_file(content.path()))
                                    : Placement{{0, path, "FILE", std::nullopt}, std::nullopt};
    if (placement.notebook_source) {
        store::TempFile converted(root_.tmp_dir());
        converted.write(*placement.notebook_source);
        WorkspaceStore(root_).put(std::move(placement.row), converted, overwrite, ConflictStyle::ImportFile);
        return;
    }
    WorkspaceStore(root_).put(std::move(placement.row), content, overwrite, ConflictStyle::ImportFile);
}

ExportedObject WorkspaceService::export_object(const std::string& path, const std::string& format, bool for_download) {
    check_format(format);
    if (format == "DBC") {
        ExportedObject archive;
        archive.content = export_dbc(path);
        archive.file_type = "dbc";
        return archive;
    }
    WorkspaceStore store(root_);
    auto row = store.require(path);
    if (row.object_type == "DIRECTORY")
        throw api::not_implemented("Path (" + path + ") is a folder: the brix local engine exports folders "
                                   "file by file (use export-dir), not as an archive");
    ExportedObject exported;
    exported.file_type = file_type_of(row, format);
    auto disk = store.disk_path(path);
    if (row.object_type == "FILE") {
        if (for_download) {
            exported.raw_file = disk;
            return exported;
        }
        if (static_cast<std::uint64_t>(row.size) > kMaxNotebookBytes)
            throw api::ApiError(400, "MAX_NOTEBOOK_SIZE_EXCEEDED",
                                "Path (" + path + ") is larger than the 10 MB export limit");
        exported.content = store::read_file(disk);
        return exported;
    }
    auto source = store::read_file(disk);
    auto language = *nb::language_from_name(row.language.value_or("PYTHON"));
    exported.content = format == "JUPYTER" ? nb::source_to_jupyter(source, language, store::base_name(path)) : source;
    return exported;
}

}  // namespace brix::engine::workspace
