// `workspace import-dir` (import_dir) and `workspace export-dir` (export_dir).
// A file becomes a notebook only when it carries the notebook header (or is .ipynb); every other
// file goes up as a workspace file with its name, so export-dir gives back the same tree.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>

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

bool is_imported(const ImportDirOptions& options, const fs::directory_entry& entry) {
    auto name = entry.path().filename().string();
    if (options.exclude_hidden && name.front() == '.') return false;
    if (entry.is_directory()) return !entry.is_symlink() && !is_skipped_folder(name);
    return true;
}

// The files import_tree will visit, for the progress total.
std::uint64_t count_files(const ImportDirOptions& options, const fs::path& dir) {
    std::uint64_t count = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (!is_imported(options, entry)) continue;
        count += entry.is_directory() ? count_files(options, entry.path()) : 1;
    }
    return count;
}

void import_tree(cli::Context& context, const ImportDirOptions& options, const fs::path& dir, const std::string& target,
                 Tally& tally) {
    mkdirs(context.api(), target);
    for (const auto& entry : sorted_entries(dir)) {
        auto name = entry.path().filename().string();
        if (options.exclude_hidden && name.front() == '.') continue;
        auto remote = target + "/" + name;
        auto shown = entry.path().lexically_relative(options.source).string();
        if (entry.is_directory() && entry.is_symlink()) {  // a link to a parent folder would never end
            tally.skip(shown + " (skipped; symbolic link to a folder)");
            continue;
        }
        if (entry.is_directory()) {
            if (!is_skipped_folder(name)) import_tree(context, options, entry.path(), remote, tally);
            continue;
        }
        try {
            // a DBC archive unpacks into the notebooks it holds, at its name without ".dbc"
            if (entry.path().extension() == ".dbc") {
                remote = target + "/" + entry.path().stem().string();
                import_dbc(context.api(), remote, read_local_file(entry.path().string()), options.overwrite);
            } else {
                auto body = open_local_file(entry.path().string());
                import_file(context.api(), remote, body, options.overwrite);
            }
            tally.done(shown + " -> " + remote);
        } catch (const api::ApiError& error) {
            // A request refused for this file alone (4xx) does not stop the others; a failing
            // engine, network or credentials (5xx, no answer, 401/403) does.
            auto status = error.http_status();
            if (is_already_exists(error)) tally.done(shown + " -> " + remote + " (skipped; already exists)");
            else if (status >= 400 && status < 500 && status != 401 && status != 403) tally.fail(shown, error.message());
            else throw;
        } catch (const std::exception& error) {
            tally.fail(shown, error.what());
        }
    }
}

void run_import_dir(cli::Context& context, const ImportDirOptions& options) {
    if (!fs::is_directory(options.source))
        throw std::runtime_error("The local folder " + options.source + " does not exist or is not a folder.");
    cli::Progress progress("import-dir", cli::ProgressUnit::Files, progress_mode(context));
    progress.set_total(count_files(options, options.source));
    Tally tally{progress};
    auto target = options.target.size() > 1 && options.target.back() == '/' ? options.target.substr(0, options.target.size() - 1)
                                                                            : options.target;
    import_tree(context, options, options.source, target, tally);
    tally.finish(context);
}

struct ExportDirOptions {
    std::string source;
    std::string target;
    bool overwrite = false;
};

void export_tree(cli::Context& context, const ExportDirOptions& options, const std::string& remote, const fs::path& dir,
                 Tally& tally) {
    fs::create_directories(dir);
    for (const auto& object : list_objects(context.api(), remote)) {
        auto path = object.value("path", "");
        auto type = object.value("object_type", "");
        auto local = dir / local_name(object);
        if (type == "DIRECTORY" || type == "REPO") {  // a Git folder exports as the folder it is
            if (fs::exists(local) && !fs::is_directory(local)) {
                tally.fail(local.string(), "exists as a file; skipping this folder");
                continue;
            }
            export_tree(context, options, path, local, tally);
            continue;
        }
        if (type != "NOTEBOOK" && type != "FILE") {
            tally.skip(path + " (skipped; " + type + " objects cannot be exported)");
            continue;
        }
        if (!options.overwrite && fs::exists(local)) {
            tally.done(path + " -> " + local.string() + " (skipped; already exists)");
            continue;
        }
        try {
            LocalFileWriter writer(local);
            export_to(context.api(), path, "SOURCE", writer.sink());
            writer.commit(LocalOverwrite::Allowed);
            tally.done(path + " -> " + local.string());
        } catch (const std::exception& error) {
            tally.fail(path, error.what());
        }
    }
}

void run_export_dir(cli::Context& context, const ExportDirOptions& options) {
    auto status = find_status(context.api(), options.source);
    if (!status) throw api::not_found("Path (" + options.source + ") doesn't exist.");
    if (auto type = status->value("object_type", ""); type != "DIRECTORY" && type != "REPO")
        throw std::runtime_error("The source path must be a folder: " + options.source);
    cli::Progress progress("export-dir", cli::ProgressUnit::Files, progress_mode(context));
    Tally tally{progress};
    export_tree(context, options, status->value("path", options.source), options.target, tally);
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
