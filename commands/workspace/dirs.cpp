// `workspace import-dir` (import_dir) and `workspace export-dir` (export_dir).
// A file becomes a notebook only when it carries the notebook header (or is .ipynb); every other
// file goes up as a workspace file with its name, so export-dir gives back the same tree.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "commands/local_files.hpp"
#include "commands/workspace/verbs.hpp"
#include "commands/workspace/workspace_calls.hpp"

namespace brix::commands::workspace {
namespace {

namespace fs = std::filesystem;

bool is_skipped_folder(const std::string& name) { return name == ".git" || name == ".databricks" || name == "node_modules"; }

std::vector<fs::directory_entry> sorted_entries(const fs::path& dir) {
    std::vector<fs::directory_entry> entries{fs::directory_iterator(dir), fs::directory_iterator()};
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path() < b.path(); });
    return entries;
}

// Reports a bulk copy item by item and counts what failed, so one failed item does not stop the
// rest (a complaint about the legacy CLI) while the exit code still says something failed.
struct Tally {
    cli::Progress& progress;
    int failed = 0;
    void done(const std::string& line) {
        progress.advance();
        progress.note(stdout, line);
    }
    void skip(const std::string& line) { progress.note(stdout, line); }
    void fail(const std::string& item, const std::string& message) {
        ++failed;
        progress.warn(stderr, "Error: " + item + ": " + message);
    }
    void finish(cli::Context& context) const {
        if (failed > 0) {
            std::fprintf(stderr, "Error: %d item(s) failed\n", failed);
            context.exit_code = cli::ExitCode::Failure;
        }
    }
};

struct ImportDirOptions {
    std::string source;
    std::string target;
    bool overwrite = false;
    bool exclude_hidden = false;
};

cli::ProgressMode progress_mode(const cli::Context& context) {
    return context.options.quiet ? cli::ProgressMode::Quiet : cli::ProgressMode::Auto;
}

// One step of a tree transfer, planned before anything is written: a folder to create, a file
// to copy, or an item that cannot be copied (`problem` says why).
struct PlannedItem {
    std::string shown;  // what the lines name
    std::string remote;
    fs::path local;
    bool folder = false;
    std::string problem;
};

struct TreePlan {
    std::vector<PlannedItem> items;
    std::vector<std::string> clashes;  // "a.py and a/ both map to /Shared/x/a"
    std::uint64_t files = 0;
};

// Two items of one folder that would land on one name: the second of them is a clash.
class NameClaims {
public:
    NameClaims(TreePlan& plan, std::string where) : plan_(plan), where_(std::move(where)) {}
    void claim(const std::string& name, const std::string& shown) {
        auto [first, inserted] = claimed_.emplace(name, shown);
        if (!inserted) plan_.clashes.push_back(first->second + " and " + shown + " both map to " + where_ + name);
    }

private:
    TreePlan& plan_;
    std::string where_;
    std::map<std::string, std::string> claimed_;
};

void plan_import(const ImportDirOptions& options, const fs::path& dir, const std::string& target, TreePlan& plan) {
    NameClaims names(plan, target + "/");
    for (const auto& entry : sorted_entries(dir)) {
        auto name = entry.path().filename().string();
        if (options.exclude_hidden && name.front() == '.') continue;
        auto remote = target + "/" + name;
        auto shown = entry.path().lexically_relative(options.source).string();
        std::error_code error;
        auto status = entry.status(error);
        if (fs::is_directory(status)) {
            if (entry.is_symlink()) {  // a link to a parent folder would never end
                plan.items.push_back({shown, remote, entry.path(), false, "symbolic link to a folder"});
                continue;
            }
            if (is_skipped_folder(name)) continue;
            names.claim(name, shown + "/");
            plan.items.push_back({shown, remote, entry.path(), true, ""});
            plan_import(options, entry.path(), remote, plan);
            continue;
        }
        if (!fs::exists(status)) {
            plan.items.push_back({shown, remote, entry.path(), false, "dangling symbolic link"});
            continue;
        }
        if (!fs::is_regular_file(status)) {  // a FIFO would block the import, a device never end it
            plan.items.push_back({shown, remote, entry.path(), false, "not a regular file"});
            continue;
        }
        // A DBC archive unpacks into the notebooks it holds, at its name without ".dbc"; other
        // files are sent under their own name (the workspace drops a notebook's extension itself).
        if (entry.path().extension() == ".dbc") {
            remote = target + "/" + entry.path().stem().string();
            names.claim(entry.path().stem().string(), shown);
        } else {
            names.claim(workspace_name(entry.path()), shown);
        }
        plan.items.push_back({shown, remote, entry.path(), false, ""});
        ++plan.files;
    }
}

// Name clashes are found before anything is written: which of the two to keep is not brix's
// guess to make, and a half-copied tree is worse than none.
void refuse_clashes(const TreePlan& plan, const std::string& nothing_done) {
    if (plan.clashes.empty()) return;
    for (const auto& clash : plan.clashes) std::fprintf(stderr, "Error: %s\n", clash.c_str());
    throw std::runtime_error(nothing_done);
}

void import_item(cli::Context& context, const ImportDirOptions& options, const PlannedItem& item, Tally& tally) {
    if (!item.problem.empty()) return tally.fail(item.shown, item.problem + "; not imported");
    if (item.folder) return mkdirs(context.api(), item.remote);
    try {
        if (item.local.extension() == ".dbc") {
            import_dbc(context.api(), item.remote, read_local_file(item.local.string()), options.overwrite);
        } else {
            auto body = open_local_file(item.local.string());
            import_file(context.api(), item.remote, body, options.overwrite);
        }
        tally.done(item.shown + " -> " + item.remote);
    } catch (const api::ApiError& error) {
        // A request refused for this file alone (4xx) does not stop the others; a failing
        // engine, network or credentials (5xx, no answer, 401/403) does. Without --overwrite an
        // existing object is kept; with it, one that cannot be replaced (a folder) is a failure.
        auto status = error.http_status();
        if (is_already_exists(error) && !options.overwrite)
            tally.done(item.shown + " -> " + item.remote + " (skipped; already exists)");
        else if (status >= 400 && status < 500 && status != 401 && status != 403) tally.fail(item.shown, error.message());
        else throw;
    } catch (const std::exception& error) {
        tally.fail(item.shown, error.what());
    }
}

void run_import_dir(cli::Context& context, const ImportDirOptions& options) {
    if (!fs::is_directory(options.source))
        throw std::runtime_error("The local folder " + options.source + " does not exist or is not a folder.");
    auto target = options.target.size() > 1 && options.target.back() == '/' ? options.target.substr(0, options.target.size() - 1)
                                                                            : options.target;
    TreePlan plan;
    plan_import(options, options.source, target, plan);
    refuse_clashes(plan, "nothing imported: rename one of each pair");
    cli::Progress progress("import-dir", cli::ProgressUnit::Files, progress_mode(context));
    progress.set_total(plan.files);
    Tally tally{progress};
    mkdirs(context.api(), target);
    for (const auto& item : plan.items) import_item(context, options, item, tally);
    tally.finish(context);
}

struct ExportDirOptions {
    std::string source;
    std::string target;
    bool overwrite = false;
};

void plan_export(cli::Context& context, const std::string& remote, const fs::path& dir, TreePlan& plan) {
    NameClaims names(plan, dir.string() + "/");
    for (const auto& object : list_objects(context.api(), remote)) {
        auto path = object.value("path", "");
        auto type = object.value("object_type", "");
        auto name = local_name(object);
        if (type == "DIRECTORY" || type == "REPO") {  // a Git folder exports as the folder it is
            names.claim(name, path);
            plan.items.push_back({path, path, dir / name, true, ""});
            plan_export(context, path, dir / name, plan);
        } else if (type == "NOTEBOOK" || type == "FILE") {
            names.claim(name, path);
            plan.items.push_back({path, path, dir / name, false, ""});
            ++plan.files;
        } else {
            plan.items.push_back({path, path, dir / name, false, type + " objects cannot be exported"});
        }
    }
}

bool is_under(const fs::path& path, const std::vector<fs::path>& folders) {
    for (const auto& folder : folders) {
        auto relative = path.lexically_relative(folder);
        if (!relative.empty() && *relative.begin() != "..") return true;
    }
    return false;
}

void export_item(cli::Context& context, const ExportDirOptions& options, const PlannedItem& item, Tally& tally,
                 std::vector<fs::path>& refused_folders) {
    if (is_under(item.local, refused_folders)) return;  // reported once, for the folder
    if (!item.problem.empty()) return tally.skip(item.shown + " (skipped; " + item.problem + ")");
    auto kind = local_target_kind(item.local);
    if (item.folder) {
        if (kind != LocalTargetKind::Directory && kind != LocalTargetKind::Missing) {
            refused_folders.push_back(item.local);
            return tally.fail(item.local.string(), "exists as a file; skipping this folder");
        }
        fs::create_directories(item.local);
        return;
    }
    if (kind == LocalTargetKind::File && !options.overwrite)
        return tally.done(item.shown + " -> " + item.local.string() + " (skipped; already exists)");
    // A FIFO or device inside the target tree is not where a workspace file belongs.
    if (kind == LocalTargetKind::Stream || kind == LocalTargetKind::Directory)
        return tally.fail(item.local.string(), "exists and is not a regular file");
    try {
        LocalFileWriter writer(item.local);
        export_to(context.api(), item.remote, "SOURCE", writer.sink());
        writer.commit(LocalOverwrite::Allowed);
        tally.done(item.shown + " -> " + item.local.string());
    } catch (const std::exception& error) {
        tally.fail(item.shown, error.what());
    }
}

void run_export_dir(cli::Context& context, const ExportDirOptions& options) {
    auto status = find_status(context.api(), options.source);
    if (!status) throw api::not_found("Path (" + options.source + ") doesn't exist.");
    if (auto type = status->value("object_type", ""); type != "DIRECTORY" && type != "REPO")
        throw std::runtime_error("The source path must be a folder: " + options.source);
    TreePlan plan;
    plan_export(context, status->value("path", options.source), options.target, plan);
    refuse_clashes(plan, "nothing exported: rename one of each pair in the workspace");
    cli::Progress progress("export-dir", cli::ProgressUnit::Files, progress_mode(context));
    progress.set_total(plan.files);
    Tally tally{progress};
    fs::create_directories(options.target);
    std::vector<fs::path> refused_folders;
    for (const auto& item : plan.items) export_item(context, options, item, tally, refused_folders);
    tally.finish(context);
}

}  // namespace

void add_import_dir(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<ImportDirOptions>();
    auto* cmd = group.add_subcommand("import-dir", "Import a local folder tree into the workspace");
    cmd->alias("import_dir");
    cmd->add_option("source", options->source, "Local folder")->required();
    cmd->add_option("target", options->target, "Workspace folder")->required();
    cmd->add_flag("-o,--overwrite", options->overwrite, "Replace existing objects");
    cmd->add_flag("-e,--exclude-hidden-files", options->exclude_hidden, "Skip files and folders whose name starts with '.'");
    cmd->footer("Skips .git, .databricks and node_modules. Files with the notebook header become notebooks\n"
                "(their extension dropped); .dbc archives unpack into the notebooks they hold (at their name\n"
                "without .dbc); all other files are imported as workspace files.\n"
                "Example:\n  brix workspace import-dir ./src /Shared/project --overwrite");
    cmd->callback([&context, options] { run_import_dir(context, *options); });
}

void add_export_dir(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<ExportDirOptions>();
    auto* cmd = group.add_subcommand("export-dir", "Export a workspace folder tree to a local folder");
    cmd->alias("export_dir");
    cmd->add_option("source", options->source, "Workspace folder")->required();
    cmd->add_option("target", options->target, "Local folder")->required();
    cmd->add_flag("-o,--overwrite", options->overwrite, "Replace existing local files");
    cmd->footer("Notebooks get their language's extension (.py, .sql, .scala, .r); files keep their names.\n"
                "Example:\n  brix workspace export-dir /Shared/project ./backup -o");
    cmd->callback([&context, options] { run_export_dir(context, *options); });
}

}  // namespace brix::commands::workspace
