#include "engine/repos/mirror.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "api/api.hpp"
#include "engine/notebook/notebook.hpp"
#include "engine/store/engine_root.hpp"
#include "engine/store/file_ops.hpp"
#include "engine/store/paths.hpp"
#include "engine/workspace/service.hpp"

namespace brix::engine::repos {
namespace {

namespace nb = notebook;

std::string read_prefix(const fs::path& file, std::size_t limit) {
    std::ifstream in(file, std::ios::binary);
    std::string text(limit, '\0');
    in.read(text.data(), static_cast<std::streamsize>(limit));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

void write_text(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) store::throw_io_error("cannot write", file, errno ? errno : EIO);
}

std::string strip_extension(const std::string& name) {
    auto dot = name.rfind('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

// What a checked-out file becomes: its notebook source when it is a notebook, else nullopt.
struct NotebookSource {
    nb::Language language;
    std::string source;
};

std::optional<NotebookSource> as_notebook(const fs::path& file, std::uintmax_t size) {
    if (size > workspace::kMaxNotebookBytes) return std::nullopt;
    auto name = file.filename().string();
    bool ipynb = name.size() > 6 && name.substr(name.size() - 6) == ".ipynb";
    auto language = nb::language_from_extension(name);
    if (!ipynb && !language) return std::nullopt;
    if (language && !nb::has_source_header(read_prefix(file, 256), *language)) return std::nullopt;
    auto content = store::read_file(file);
    if (language) return NotebookSource{*language, std::move(content)};
    if (!nb::looks_like_jupyter(content)) return std::nullopt;
    try {
        auto imported = nb::jupyter_to_source(content, std::nullopt);
        return NotebookSource{imported.language, std::move(imported.source)};
    } catch (const api::ApiError&) {
        return std::nullopt;  // a malformed notebook stays a file, as AUTO import would keep it
    }
}

void stage_dir(const fs::path& from, const fs::path& to, const std::string& relative, std::vector<MirroredObject>& out) {
    std::vector<fs::directory_entry> entries;
    for (const auto& entry : fs::directory_iterator(from)) {
        if (entry.path().filename() == ".git") continue;  // the repository itself, or a submodule's link
        entries.push_back(entry);
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    std::set<std::string> taken;
    for (const auto& entry : entries) taken.insert(entry.path().filename().string());

    for (const auto& entry : entries) {
        auto name = entry.path().filename().string();
        auto child = relative.empty() ? name : relative + "/" + name;
        auto status = entry.symlink_status();
        if (fs::is_directory(status)) {
            fs::create_directory(to / name);
            out.push_back({child, "DIRECTORY", std::nullopt, 0});
            stage_dir(entry.path(), to / name, child, out);
            continue;
        }
        if (!fs::is_regular_file(status)) continue;  // symlinks may point outside the repo: not mirrored
        auto size = entry.file_size();
        auto notebook = as_notebook(entry.path(), size);
        // A notebook drops its extension, unless that name is already used in its folder.
        if (notebook) {
            auto stripped = strip_extension(name);
            if (stripped != name && !taken.count(stripped)) {
                taken.insert(stripped);
                write_text(to / stripped, notebook->source);
                auto relative_stripped = relative.empty() ? stripped : relative + "/" + stripped;
                out.push_back({relative_stripped, "NOTEBOOK", std::string(nb::language_name(notebook->language)),
                               static_cast<std::int64_t>(notebook->source.size())});
                continue;
            }
        }
        fs::copy_file(entry.path(), to / name);
        out.push_back({child, "FILE", std::nullopt, static_cast<std::int64_t>(size)});
    }
}

}  // namespace

StagingDir::StagingDir(const fs::path& tmp_dir, const std::string& what) {
    auto pattern = (tmp_dir / ("write-" + std::to_string(::getpid()) + "-" + what + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) store::throw_io_error("cannot create a staging folder in", tmp_dir, errno);
    path_ = pattern;
}

StagingDir::~StagingDir() {
    if (released_) return;
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

std::vector<MirroredObject> stage_checkout(const fs::path& checkout, const fs::path& stage) {
    std::vector<MirroredObject> objects;
    stage_dir(checkout, stage, "", objects);
    return objects;
}

void replace_rows(store::Database& db, const std::string& repo_path, const std::vector<MirroredObject>& objects) {
    std::map<std::string, std::string> existing;  // path -> object_type
    {
        auto stmt = db.prepare("SELECT path, object_type FROM workspace_objects WHERE substr(path, 1, ?) = ?");
        stmt.bind(1, static_cast<std::int64_t>(repo_path.size() + 1)).bind(2, repo_path + "/");
        while (stmt.step()) existing[stmt.text(0)] = stmt.text(1);
    }
    auto now = store::now_ms();
    std::set<std::string> wanted;
    for (const auto& object : objects) {
        auto path = repo_path + "/" + object.relative_path;
        wanted.insert(path);
        if (existing.count(path)) {
            db.prepare("UPDATE workspace_objects SET object_type = ?, language = ?, modified_at = ?, size = ? WHERE path = ?")
                .bind(1, object.object_type)
                .bind_optional(2, object.language)
                .bind(3, now)
                .bind(4, object.size)
                .bind(5, path)
                .run();
            continue;
        }
        db.prepare("INSERT INTO workspace_objects (path, parent, object_type, language, created_at, modified_at, size) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(1, path)
            .bind(2, store::parent_path(path))
            .bind(3, object.object_type)
            .bind_optional(4, object.language)
            .bind(5, now)
            .bind(6, now)
            .bind(7, object.size)
            .run();
    }
    for (const auto& [path, type] : existing)
        if (!wanted.count(path)) db.prepare("DELETE FROM workspace_objects WHERE path = ?").bind(1, path).run();
}

void delete_rows(store::Database& db, const std::string& repo_path) {
    db.prepare("DELETE FROM workspace_objects WHERE path = ? OR substr(path, 1, ?) = ?")
        .bind(1, repo_path)
        .bind(2, static_cast<std::int64_t>(repo_path.size() + 1))
        .bind(3, repo_path + "/")
        .run();
}

void install_tree(StagingDir& stage, const fs::path& target, const fs::path& tmp_dir) {
    fs::create_directories(target.parent_path());
    if (::renameat2(AT_FDCWD, stage.path().c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        // The old contents now sit at the staging path; the destructor removes them.
        return;
    }
    // No target yet, or a file system without atomic exchange: move the old tree away first.
    store::remove_tree(target, tmp_dir);
    if (::rename(stage.path().c_str(), target.c_str()) != 0) store::throw_io_error("cannot move the repo's files to", target, errno);
    stage.release();
}

}  // namespace brix::engine::repos
