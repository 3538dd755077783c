#include "engine/notebook/notebook.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "api/api.hpp"

namespace brix::engine::notebook {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* notebook_key = "application/vnd.databricks.v1+notebook";
constexpr const char* cell_key = "application/vnd.databricks.v1+cell";

const Json* member(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string lower_case_name(Language language) {
    std::string name(language_name(language));
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return std::tolower(c); });
    return name;
}

// nbformat's multi-line string: one entry per line, each but the last ending in "\n".
Json to_source_list(const std::vector<std::string>& lines, std::size_t from) {
    Json list = Json::array();
    for (auto i = from; i < lines.size(); ++i) list.push_back(lines[i] + (i + 1 < lines.size() ? "\n" : ""));
    return list;
}

Json to_jupyter_cell(const RawCell& raw) {
    const bool markdown = raw.magic && !raw.lines.empty() && raw.lines.front() == "%md";
    Json databricks = Json::object();
    databricks["showTitle"] = raw.title.has_value() && raw.show_title;
    databricks["title"] = raw.title.value_or("");
    Json metadata = Json::object();
    metadata[cell_key] = std::move(databricks);

    Json cell = Json::object();
    cell["cell_type"] = markdown ? "markdown" : "code";
    if (!markdown) cell["execution_count"] = nullptr;
    cell["metadata"] = std::move(metadata);
    if (!markdown) cell["outputs"] = Json::array();
    cell["source"] = to_source_list(raw.lines, markdown ? 1 : 0);
    return cell;
}

std::optional<Language> language_at(const Json* holder, const char* key) {
    const auto* name = holder ? member(*holder, key) : nullptr;
    if (!name || !name->is_string()) return std::nullopt;
    return language_from_name(name->get_ref<const std::string&>());
}

std::optional<Language> metadata_language(const Json& metadata) {
    if (auto language = language_at(member(metadata, notebook_key), "language")) return language;
    return language_at(member(metadata, "language_info"), "name");
}

std::string cell_source(const Json& cell, std::size_t index) {
    const auto* source = member(cell, "source");
    if (!source) return {};
    if (source->is_string()) return source->get<std::string>();
    if (!source->is_array())
        throw api::invalid_parameter("Invalid Jupyter notebook: cell " + std::to_string(index) +
                                     " has a source that is neither a string nor a list of strings");
    std::string text;
    for (const auto& part : *source) {
        if (!part.is_string())
            throw api::invalid_parameter("Invalid Jupyter notebook: cell " + std::to_string(index) +
                                         " has a source list with a non-string entry");
        text += part.get_ref<const std::string&>();
    }
    return text;
}

// Databricks writes title "" and showTitle false for untitled cells; either one set means a title.
void read_cell_title(const Json& cell, RawCell& raw) {
    const auto* metadata = member(cell, "metadata");
    const auto* databricks = metadata ? member(*metadata, cell_key) : nullptr;
    if (!databricks) return;
    const auto* title = member(*databricks, "title");
    const auto* show = member(*databricks, "showTitle");
    const std::string text = title && title->is_string() ? title->get<std::string>() : "";
    const bool has_show = show && show->is_boolean();
    if (text.empty() && !(has_show && show->get<bool>())) return;
    raw.title = text;
    raw.show_title = has_show ? show->get<bool>() : true;
}

RawCell from_jupyter_cell(const Json& cell, std::size_t index) {
    if (!cell.is_object())
        throw api::invalid_parameter("Invalid Jupyter notebook: cell " + std::to_string(index) + " is not an object");
    const auto* type = member(cell, "cell_type");
    if (type && !type->is_string())
        throw api::invalid_parameter("Invalid Jupyter notebook: cell " + std::to_string(index) +
                                     " has a cell_type that is not a string");
    RawCell raw;
    read_cell_title(cell, raw);
    raw.lines = split_lines(cell_source(cell, index));
    if (type && type->get_ref<const std::string&>() == "markdown") {
        raw.lines.insert(raw.lines.begin(), "%md");
        raw.magic = true;
        return raw;
    }
    const auto first = std::ranges::find_if(raw.lines, [](const std::string& line) {
        return line.find_first_not_of(" \t") != std::string::npos;
    });
    raw.magic = first != raw.lines.end() && is_magic_line(*first);
    return raw;
}

}  // namespace

bool looks_like_jupyter(std::string_view content) {
    const auto doc = Json::parse(content, nullptr, false);
    return !doc.is_discarded() && doc.is_object() && doc.contains("cells") && doc.contains("metadata");
}

std::string source_to_jupyter(std::string_view source, Language language, std::string_view notebook_name) {
    const auto notebook = split_source(source, language);
    Json cells = Json::array();
    for (const auto& cell : notebook.cells) cells.push_back(to_jupyter_cell(cell));

    Json databricks = Json::object();
    databricks["language"] = lower_case_name(language);
    databricks["notebookName"] = std::string(notebook_name);
    Json metadata = Json::object();
    metadata[notebook_key] = std::move(databricks);
    metadata["language_info"] = Json{{"name", lower_case_name(language)}};
    // Jupyter has no notion of a final newline; keep the exception to our canonical text.
    if (!notebook.trailing_newline) metadata["brix"] = Json{{"sourceTrailingNewline", false}};

    Json doc = Json::object();
    doc["cells"] = std::move(cells);
    doc["metadata"] = std::move(metadata);
    doc["nbformat"] = 4;
    doc["nbformat_minor"] = 0;
    // Replace rather than throw on invalid UTF-8: notebooks are user text and export must not fail.
    return doc.dump(1, ' ', false, Json::error_handler_t::replace);
}

ImportedJupyter jupyter_to_source(std::string_view ipynb, std::optional<Language> language_hint) {
    const auto doc = Json::parse(ipynb, nullptr, false);
    if (doc.is_discarded()) throw api::invalid_parameter("Invalid Jupyter notebook: the content is not valid JSON");
    if (!doc.is_object()) throw api::invalid_parameter("Invalid Jupyter notebook: the content is not a JSON object");
    const auto* cells = member(doc, "cells");
    if (!cells || !cells->is_array())
        throw api::invalid_parameter("Invalid Jupyter notebook: no \"cells\" list");

    static const Json no_metadata = Json::object();
    const auto* found_metadata = member(doc, "metadata");
    const Json& metadata = found_metadata ? *found_metadata : no_metadata;
    const Language language = metadata_language(metadata).value_or(language_hint.value_or(Language::Python));

    RawNotebook notebook;
    const auto* brix = member(metadata, "brix");
    const auto* trailing = brix ? member(*brix, "sourceTrailingNewline") : nullptr;
    notebook.trailing_newline = !(trailing && trailing->is_boolean() && !trailing->get<bool>());
    for (std::size_t i = 0; i < cells->size(); ++i) notebook.cells.push_back(from_jupyter_cell((*cells)[i], i));
    return {language, join_source(notebook, language)};
}

}  // namespace brix::engine::notebook
