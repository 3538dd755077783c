// `brix sync SRC DST [--watch] [--full] [--include P] [--exclude P] [--dry-run] [--interval D]`,
// as the Go CLI's `databricks sync`: one-way, incremental sync of a local folder into a
// workspace folder. The files are those a bundle deploy uploads (gitignore, .databricks and build
// folders left out, --include / --exclude as sync patterns); notebooks go up by their header and
// lose their extension, as import-dir does. A snapshot of what was synced
// (SRC/.databricks/sync-snapshots/<id>.json) makes the next run upload only what changed and
// delete what was removed; --full uploads everything again. --watch polls the folder every
// --interval until Ctrl-C, which ends it with exit code 130.
#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/bundle/bundle_files.hpp"
#include "commands/commands.hpp"
#include "commands/jobs/job_input.hpp"
#include "commands/local_files.hpp"
#include "commands/workspace/workspace_calls.hpp"

namespace brix::commands::sync {
namespace {

namespace fs = std::filesystem;
using api::Json;

struct SyncOptions {
    std::string source;
    std::string target;
    bool watch = false;
    bool full = false;
    bool dry_run = false;
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    std::optional<std::string> include_from;  // files of patterns, one a line
    std::optional<std::string> exclude_from;
    std::string interval = "1s";
};

// The patterns of an --include-from / --exclude-from file: one a line, blank lines and "#"
// comments skipped.
void add_patterns_from(const std::optional<std::string>& file, std::vector<std::string>& patterns) {
    if (!file) return;
    std::istringstream lines(read_local_file(*file));
    for (std::string line; std::getline(lines, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty() && line.front() != '#') patterns.push_back(line);
    }
}

struct SyncedFile {
    std::int64_t mtime_ns = 0;
    std::int64_t size = 0;
    std::string remote;  // the workspace path it went to
};
using FileMap = std::map<std::string, SyncedFile>;  // by path relative to SRC

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

std::string snapshot_id(const std::string& host, const std::string& target) {
    return bundle::text_fingerprint(host + "\n" + target).substr(8, 16);  // the hash part of "fnv1a64:<hash>:<size>"
}

fs::path snapshot_path(const SyncOptions& options, const std::string& host) {
    return fs::path(options.source) / ".databricks" / "sync-snapshots" / (snapshot_id(host, options.target) + ".json");
}

FileMap load_snapshot(const fs::path& path) {
    FileMap files;
    std::ifstream in(path);
    if (!in) return files;
    try {
        auto document = Json::parse(in);
        for (const auto& [name, entry] : document.at("files").items())
            files[name] = SyncedFile{entry.at("mtime_ns"), entry.at("size"), entry.at("remote")};
    } catch (const nlohmann::json::exception&) {
        files.clear();  // an unreadable snapshot means a full sync, as a missing one does
    }
    return files;
}

// Written to a temporary file and renamed into place, so Ctrl-C never leaves half a snapshot.
void save_snapshot(const fs::path& path, const std::string& host, const std::string& target, const FileMap& files) {
    Json entries = Json::object();
    for (const auto& [name, file] : files)
        entries[name] = Json{{"mtime_ns", file.mtime_ns}, {"size", file.size}, {"remote", file.remote}};
    fs::create_directories(path.parent_path());
    auto temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << Json{{"version", "v1"}, {"host", host}, {"remote_path", target}, {"files", entries}}.dump(2) << "\n";
        if (!out) throw std::runtime_error("cannot write the sync snapshot " + temporary);
    }
    fs::rename(temporary, path);
}

FileMap local_files(const SyncOptions& options) {
    bundle::Diagnostics diagnostics;
    auto files = bundle::collect_bundle_files(options.source, bundle::SyncRules{options.include, options.exclude}, diagnostics);
    if (!diagnostics.errors.empty()) throw std::runtime_error(diagnostics.errors.front());
    FileMap current;
    for (const auto& file : files) {
        struct stat info {};
        if (::stat((fs::path(options.source) / file.path).c_str(), &info) != 0) continue;  // removed meanwhile
        current[file.path] = SyncedFile{static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
                                        static_cast<std::int64_t>(info.st_size), options.target + "/" + file.workspace_name};
    }
    return current;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

void say(const std::string& line) {
    std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);
}

void delete_remote(api::Api& api, const std::string& path) {
    try {
        api.call(api::Method::Post, "/api/2.0/workspace/delete", {}, Json{{"path", path}, {"recursive", false}});
    } catch (const api::ApiError& error) {
        if (error.http_status() != 404) throw;  // already gone is what we wanted
    }
}

// One pass; returns whether it changed anything. `synced` is updated to what the workspace holds.
bool sync_once(cli::Context& context, const SyncOptions& options, FileMap& synced, bool initial) {
    auto current = local_files(options);
    std::vector<std::string> puts, deletes;
    for (const auto& [name, file] : current) {
        auto old = synced.find(name);
        bool same = old != synced.end() && old->second.mtime_ns == file.mtime_ns && old->second.size == file.size &&
                    old->second.remote == file.remote;
        if (!same || (initial && options.full)) puts.push_back(name);
    }
    for (const auto& [name, file] : synced) {
        auto now = current.find(name);
        if (now == current.end() || now->second.remote != file.remote) deletes.push_back(name);
    }
    std::string prefix = options.dry_run ? "[DRY-RUN MODE] " : "";
    if (!puts.empty() || !deletes.empty()) {
        std::string changes = puts.empty() ? "" : "PUT: " + joined(puts);
        if (!deletes.empty()) changes += (changes.empty() ? "" : ", ") + std::string("DELETE: ") + joined(deletes);
        say(prefix + "Action: " + changes);
    }
    auto& api = context.api();
    for (const auto& name : deletes) {
        if (!options.dry_run) delete_remote(api, synced[name].remote);
        say(options.dry_run ? "[DRY-RUN] Would delete: " + name : "Deleted " + name);
        synced.erase(name);
    }
    for (const auto& name : puts) {
        const auto& file = current[name];
        if (!options.dry_run) {
            workspace::mkdirs(api, file.remote.substr(0, file.remote.rfind('/')));
            auto body = open_local_file((fs::path(options.source) / name).string());
            // sent under its local name: the workspace makes a notebook of it by its header and
            // extension, and stores it at `remote`
            workspace::import_file(api, options.target + "/" + name, body, true);
        }
        say(options.dry_run ? "[DRY-RUN] Would upload: " + name : "Uploaded " + name);
        synced[name] = file;
    }
    bool changed = !puts.empty() || !deletes.empty();
    if (initial) say(options.dry_run ? "[DRY-RUN] Initial Sync Complete" : "Initial Sync Complete");
    else if (changed) say(options.dry_run ? "[DRY-RUN] Complete" : "Complete");
    return changed;
}

void run_sync(cli::Context& context, SyncOptions options) {
    add_patterns_from(options.include_from, options.include);
    add_patterns_from(options.exclude_from, options.exclude);
    if (!fs::is_directory(options.source))
        throw std::runtime_error("The local folder " + options.source + " does not exist or is not a folder.");
    if (options.target.empty() || options.target.front() != '/')
        throw cli::UsageError("DST must be an absolute workspace path, such as /Workspace/Users/me/project");
    auto interval = jobs::parse_timeout_flag(options.interval);
    auto host = context.config().get("host");
    auto snapshot = snapshot_path(options, host);
    FileMap synced = options.full ? FileMap{} : load_snapshot(snapshot);
    if (!options.dry_run) workspace::mkdirs(context.api(), options.target);
    if (options.watch) {
        std::signal(SIGINT, on_interrupt);
        std::signal(SIGTERM, on_interrupt);
    }
    bool initial = true;
    while (true) {
        bool changed = sync_once(context, options, synced, initial);
        if (!options.dry_run && (changed || initial)) save_snapshot(snapshot, host, options.target, synced);
        initial = false;
        if (!options.watch) return;
        // Sleep in short slices so Ctrl-C ends the watch at once, after a whole pass.
        for (auto slept = std::chrono::milliseconds(0); slept < interval && !g_interrupted; slept += std::chrono::milliseconds(50))
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (g_interrupted) {
            context.exit_code = cli::ExitCode::Interrupted;
            return;
        }
    }
}

}  // namespace
}  // namespace brix::commands::sync

namespace brix::commands {

void add_sync_command(CLI::App& app, cli::Context& context) {
    auto options = std::make_shared<sync::SyncOptions>();
    auto* cmd = app.add_subcommand("sync", "Synchronize a local folder into a workspace folder (one way)");
    cmd->add_option("src", options->source, "Local folder")->required();
    cmd->add_option("dst", options->target, "Workspace folder")->required();
    cmd->add_flag("--watch", options->watch, "Keep watching the local folder for changes (until Ctrl-C)");
    cmd->add_flag("--full", options->full, "Upload every file, not only what changed since the last sync");
    cmd->add_flag("--dry-run", options->dry_run, "Show what would change without changing anything");
    cmd->add_option("--include", options->include, "Also sync files matching this pattern, even if gitignored (repeatable)");
    cmd->add_option("--exclude", options->exclude, "Do not sync files matching this pattern (repeatable)");
    cmd->add_option("--include-from", options->include_from, "A file of --include patterns, one a line");
    cmd->add_option("--exclude-from", options->exclude_from, "A file of --exclude patterns, one a line");
    cmd->add_option("--interval", options->interval, "How often --watch looks for changes, as a duration (default 1s)");
    cmd->footer("Files are those a bundle deploy uploads: .gitignore'd files, .databricks, .git and build folders are\n"
                "left out. A file with its language's notebook header (or an .ipynb) becomes a notebook without its\n"
                "extension, as import-dir does. Files removed locally are deleted from the workspace on the next sync.\n"
                "What was synced is kept in SRC/.databricks/sync-snapshots/. Ctrl-C ends --watch (exit code 130).\n"
                "Examples:\n"
                "  brix sync ./project /Workspace/Users/me@example.com/project\n"
                "  brix sync . /Workspace/Shared/etl --watch --exclude '*.csv'");
    cmd->callback([&context, options] { sync::run_sync(context, *options); });
}

}  // namespace brix::commands
