#include "commands/workspace/workspace_calls.hpp"

#include <cctype>
#include <fstream>

#include "api/base64.hpp"

namespace brix::commands::workspace {

using api::Method;

std::optional<api::Json> find_status(api::Api& api, const std::string& path) {
    try {
        return api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", path}});
    } catch (const api::ApiError& error) {
        if (error.http_status() == 404) return std::nullopt;
        throw;
    }
}

api::Json list_objects(api::Api& api, const std::string& path) {
    auto response = api.call(Method::Get, "/api/2.0/workspace/list", {{"path", path}});
    auto objects = response.find("objects");  // moved out, not copied: a folder can hold 10,000s
    return objects == response.end() ? api::Json::array() : std::move(*objects);
}

void mkdirs(api::Api& api, const std::string& path) {
    api.call(Method::Post, "/api/2.0/workspace/mkdirs", {}, {{"path", path}});
}

void export_to(api::Api& api, const std::string& path, const std::string& format, api::ByteSink& sink) {
    api.download({Method::Get, "/api/2.0/workspace/export", {{"path", path}, {"format", format}, {"direct_download", "true"}}, nullptr},
                 sink);
}

void import_file(api::Api& api, const std::string& path, api::ByteSource& body, bool overwrite) {
    auto absolute = path.empty() || path.front() != '/' ? "/" + path : path;
    api.upload({Method::Post, "/api/2.0/workspace-files/import-file" + absolute,
                {{"overwrite", overwrite ? "true" : "false"}}, nullptr},
               body);
}

std::string local_name(const api::Json& object_info, const std::string& format) {
    auto path = object_info.value("path", "");
    auto name = path.substr(path.rfind('/') + 1);
    if (format == "DBC") return name + ".dbc";  // a notebook or a folder, as one archive
    if (object_info.value("object_type", "") != "NOTEBOOK") return name;
    if (format == "JUPYTER") return name + ".ipynb";
    auto language = object_info.value("language", "PYTHON");
    if (language == "SQL") return name + ".sql";
    if (language == "SCALA") return name + ".scala";
    if (language == "R") return name + ".r";
    return name + ".py";
}

namespace {

std::string lower_case_extension(const std::filesystem::path& file) {
    auto extension = file.extension().string();
    for (auto& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return extension;
}

// The first line of a notebook in SOURCE format, by extension.
const char* notebook_header(const std::string& extension) {
    if (extension == ".py" || extension == ".r") return "# Databricks notebook source";
    if (extension == ".sql") return "-- Databricks notebook source";
    if (extension == ".scala") return "// Databricks notebook source";
    return nullptr;
}

}  // namespace

std::string workspace_name(const std::filesystem::path& file) {
    auto name = file.filename().string();
    auto extension = lower_case_extension(file);
    if (extension == ".ipynb") return file.stem().string();
    const char* header = notebook_header(extension);
    if (!header) return name;
    std::ifstream in(file, std::ios::binary);
    std::string first;
    std::getline(in, first);
    if (!first.empty() && first.back() == '\r') first.pop_back();
    return first == header ? file.stem().string() : name;
}

bool is_already_exists(const api::ApiError& error) {
    return error.http_status() == 409 || error.error_code() == "RESOURCE_ALREADY_EXISTS" ||
           error.error_code() == "ALREADY_EXISTS";
}

void import_dbc(api::Api& api, const std::string& path, const std::string& archive, bool overwrite) {
    api.call(api::Method::Post, "/api/2.0/workspace/import", {},
             api::Json{{"path", path}, {"format", "DBC"}, {"content", api::base64_encode(archive)}, {"overwrite", overwrite}});
}

}  // namespace brix::commands::workspace
