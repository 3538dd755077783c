#include "engine/notebook/dbc.hpp"

#include <algorithm>
#include <set>

#include "api/api.hpp"
#include "engine/notebook/zip_archive.hpp"
#include "engine/store/random_ids.hpp"

namespace brix::engine::notebook {
namespace {

using api::Json;

std::string lowercase_of(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string source_of(const Json& document, Language language) {
    auto commands = document.value("commands", Json::array());
    if (!commands.is_array()) throw api::invalid_parameter("Invalid DBC archive: a notebook's commands are not a list");
    std::vector<Json> ordered(commands.begin(), commands.end());
    std::stable_sort(ordered.begin(), ordered.end(), [](const Json& a, const Json& b) {
        return a.value("position", 0.0) < b.value("position", 0.0);
    });
    RawNotebook notebook;
    for (const auto& command : ordered) {
        auto text = command.value("command", std::string());
        while (!text.empty() && text.back() == '\n') text.pop_back();
        RawCell cell;
        auto title = command.value("commandTitle", std::string());
        if (!title.empty()) {
            cell.title = title;
            cell.show_title = command.value("showCommandTitle", false);
        }
        cell.lines = split_lines(text);
        cell.magic = !cell.lines.empty() && is_magic_line(cell.lines.front());
        notebook.cells.push_back(std::move(cell));
    }
    return join_source(notebook, language);
}

Json document_of(const DbcNotebook& notebook) {
    auto name = notebook.path.substr(notebook.path.rfind('/') == std::string::npos ? 0 : notebook.path.rfind('/') + 1);
    Json commands = Json::array();
    double position = 0;
    for (const auto& cell : split_source(notebook.source, notebook.language).cells) {
        std::string text;
        for (std::size_t i = 0; i < cell.lines.size(); ++i) text += (i ? "\n" : "") + cell.lines[i];
        commands.push_back(Json{{"version", "CommandV1"}, {"origId", 0}, {"guid", store::random_uuid()},
                                {"subtype", "command"}, {"commandType", "auto"}, {"position", position += 1},
                                {"command", text}, {"commandVersion", 0}, {"state", "finished"}, {"results", nullptr},
                                {"errorSummary", nullptr}, {"error", nullptr},
                                {"commandTitle", cell.title.value_or("")}, {"showCommandTitle", cell.title && cell.show_title},
                                {"hideCommandCode", false}, {"hideCommandResult", false}, {"iPythonMetadata", nullptr},
                                {"collapsed", false}, {"nuid", store::random_uuid()}});
    }
    return Json{{"version", "NotebookV1"}, {"origId", 0}, {"name", name}, {"language", lowercase_of(language_name(notebook.language))},
                {"commands", commands}, {"dashboards", Json::array()}, {"guid", store::random_uuid()},
                {"globalVars", Json::object()}, {"iPythonMetadata", nullptr}, {"inputWidgets", Json::object()}};
}

}  // namespace

DbcArchive read_dbc(std::string_view bytes, std::size_t max_unpacked) {
    DbcArchive archive;
    std::set<std::string> folders;
    auto add_folders = [&](const std::string& path) {
        for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
            folders.insert(path.substr(0, slash));
    };
    for (auto& entry : read_zip(bytes, max_unpacked)) {
        auto name = entry.name;
        if (name.find("..") != std::string::npos || name.empty() || name.front() == '/')
            throw api::invalid_parameter("Invalid DBC archive: the entry name " + name + " leaves the archive");
        if (name.back() == '/') {
            add_folders(name);
            continue;
        }
        auto dot = name.rfind('.');
        auto language = dot == std::string::npos ? std::nullopt : language_from_name(name.substr(dot + 1));
        if (!language) continue;  // not a notebook (a folder record or a resource): nothing to import
        Json document;
        try {
            document = Json::parse(entry.data);
        } catch (const nlohmann::json::exception&) {
            throw api::invalid_parameter("Invalid DBC archive: " + name + " is not a JSON notebook");
        }
        if (!document.is_object() || document.value("version", "") != "NotebookV1")
            throw api::invalid_parameter("Invalid DBC archive: " + name + " is not a NotebookV1 document");
        add_folders(name);
        archive.notebooks.push_back(DbcNotebook{name.substr(0, dot), *language, source_of(document, *language)});
    }
    archive.folders.assign(folders.begin(), folders.end());  // sorted: parents come before children
    return archive;
}

std::string write_dbc(const DbcArchive& archive) {
    std::vector<ZipEntry> entries;
    for (const auto& folder : archive.folders) entries.push_back(ZipEntry{folder + "/", ""});
    for (const auto& notebook : archive.notebooks)
        entries.push_back(ZipEntry{notebook.path + "." + lowercase_of(language_name(notebook.language)), document_of(notebook).dump()});
    return write_zip(entries);
}

}  // namespace brix::engine::notebook
