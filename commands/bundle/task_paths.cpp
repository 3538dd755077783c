#include "commands/bundle/task_paths.hpp"

#include <array>

namespace brix::commands::bundle {
namespace fs = std::filesystem;
namespace {

struct CodePath {
    const char* task_type;
    const char* field;
    FileKind kind;
};
constexpr std::array<CodePath, 2> kCodePaths{{
    {"spark_python_task", "python_file", FileKind::File},
    {"notebook_task", "notebook_path", FileKind::Notebook},
}};

// Paths of a task that takes its code from git_source are relative to the repository, not to
// the bundle.
bool from_git(const api::Json& job, const api::Json& spec) {
    auto source = spec.is_object() ? spec.value("source", "") : "";
    if (source == "GIT") return true;
    return source != "WORKSPACE" && job.is_object() && job.contains("git_source");
}

// The local path fields of a task: (field value, its kind, where it is).
template <typename Visit>
void for_each_code_path(api::Json& task, const api::Json& job, const std::string& where, Visit visit) {
    for (const auto& code : kCodePaths) {
        if (!task.contains(code.task_type) || !task[code.task_type].is_object()) continue;
        auto& spec = task[code.task_type];
        if (from_git(job, spec)) continue;
        auto field = spec.find(code.field);
        if (field == spec.end() || !field->is_string() || !is_local_path(field->get<std::string>())) continue;
        visit(*field, code, where + "." + code.task_type + "." + code.field);
    }
}

void anchor_jobs(api::Json& resources, const fs::path& file_dir) {
    if (!resources.is_object() || !resources.contains("jobs") || !resources["jobs"].is_object()) return;
    for_each_task(resources["jobs"], "resources.jobs", [&](api::Json& task, const api::Json& job, const std::string& where) {
        for_each_code_path(task, job, where, [&](api::Json& value, const CodePath&, const std::string&) {
            value = (file_dir / value.get<std::string>()).lexically_normal().generic_string();
        });
    });
}

std::string describe(FileKind kind) { return kind == FileKind::Notebook ? "a notebook" : "a file"; }

}  // namespace

bool is_local_path(const std::string& path) {
    if (path.empty() || path.front() == '/' || path.starts_with("${")) return false;
    auto colon = path.find(':');
    return colon == std::string::npos || colon > path.find('/');
}

void for_each_task(api::Json& jobs, const std::string& prefix, const TaskVisitor& visit) {
    if (!jobs.is_object()) return;
    for (auto& [key, job] : jobs.items()) {
        if (!job.is_object() || !job.contains("tasks") || !job["tasks"].is_array()) continue;
        auto& tasks = job["tasks"];
        for (std::size_t i = 0; i < tasks.size(); ++i) {
            auto where = prefix + "." + key + ".tasks[" + std::to_string(i) + "]";
            if (!tasks[i].is_object()) continue;
            visit(tasks[i], job, where);
            auto& loop = tasks[i];
            if (loop.contains("for_each_task") && loop["for_each_task"].is_object() && loop["for_each_task"].contains("task") &&
                loop["for_each_task"]["task"].is_object())
                visit(loop["for_each_task"]["task"], job, where + ".for_each_task.task");
        }
    }
}

void anchor_task_paths(api::Json& document, const fs::path& file_dir) {
    if (!document.is_object()) return;
    if (document.contains("resources")) anchor_jobs(document["resources"], file_dir);
    for (const char* section : {"targets", "environments"}) {
        if (!document.contains(section) || !document[section].is_object()) continue;
        for (auto& [name, target] : document[section].items())
            if (target.is_object() && target.contains("resources")) anchor_jobs(target["resources"], file_dir);
    }
}

void rewrite_task_paths(api::Json& jobs, const fs::path& root, const std::string& file_path,
                        const std::vector<BundleFile>& files, Diagnostics& diagnostics) {
    for_each_task(jobs, "resources.jobs", [&](api::Json& task, const api::Json& job, const std::string& where) {
        for_each_code_path(task, job, where, [&](api::Json& value, const CodePath& code, const std::string& field) {
            auto path = value.get<std::string>();
            if (path == ".." || path.starts_with("../")) {
                diagnostics.error(field + ": " + path + " is outside the bundle folder " + root.string());
                return;
            }
            std::error_code error;
            if (!fs::is_regular_file(root / path, error)) {
                diagnostics.error(field + ": file " + path + " not found in the bundle folder " + root.string());
                return;
            }
            const auto* file = find_file(files, path);
            if (!file) {
                diagnostics.error(field + ": " + path + " is not uploaded (git ignores it, or sync.exclude leaves it out)");
                return;
            }
            if (file->kind != code.kind) {
                auto hint = code.kind == FileKind::Notebook
                                ? " (a notebook starts with its language's \"Databricks notebook source\" header, or is an .ipynb)"
                                : " (it starts with \"# Databricks notebook source\": use a notebook_task, or remove the header)";
                diagnostics.error(field + ": " + path + " is " + describe(file->kind) + ", not " + describe(code.kind) + hint);
                return;
            }
            value = file_path + "/" + file->workspace_name;
        });
    });
}

}  // namespace brix::commands::bundle
