// `fs` group: ls, cat, cp, put, mkdirs/mkdir, rm, mv on DBFS (dbfs:/...), volumes
// (/Volumes/... or dbfs:/Volumes/...) and, for reading and copying, local paths.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include "api/streams.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "commands/fs/copy.hpp"
#include "commands/local_files.hpp"

namespace brix::commands {
namespace fs_verbs {  // named for unity builds, like jobs_verbs

using fs::Location;

// Commands that change things refuse local paths: `fs rm -r /home/me` is far more likely a
// forgotten `dbfs:` than a wish.
Location remote_location(const std::string& argument, cli::Context& context) {
    auto location = fs::parse_location(argument, context);
    if (location.filer->is_local())
        throw cli::UsageError(argument + " is a local path; use dbfs:/... or /Volumes/... (local paths work only with cp, ls and cat)");
    return location;
}

struct ListOptions {
    std::string path = "dbfs:/";
    bool long_format = false;
    bool absolute = false;
};

void run_list(cli::Context& context, const ListOptions& options) {
    auto location = fs::parse_location(options.path, context);
    auto self = location.filer->stat(location.path);
    // Exit 3 is for objects on the backend; a missing local path is a plain failure, as for cat.
    if (!self && location.filer->is_local()) throw std::runtime_error("The local path " + location.display() + " does not exist.");
    if (!self) throw api::not_found("No file or directory exists on path " + location.display() + ".");
    auto entries = self->is_dir ? location.filer->list(location.path) : std::vector<fs::Entry>{*self};
    if (context.output_mode() == cli::OutputMode::Json) {
        api::Json out = api::Json::array();
        for (const auto& entry : entries)
            out.push_back({{"name", fs::base_name(entry.path)},
                           {"path", location.filer->display(entry.path)},
                           {"is_directory", entry.is_dir},
                           {"size", entry.size},
                           {"last_modified", entry.modified_ms}});
        return cli::print_json(out);
    }
    std::vector<cli::Row> rows;
    for (const auto& entry : entries) {
        auto name = options.absolute ? location.filer->display(entry.path) : fs::base_name(entry.path);
        if (!options.long_format) {
            rows.push_back({name});
            continue;
        }
        rows.push_back({entry.is_dir ? "dir" : "file", std::to_string(entry.size), name,
                        cli::display_time(entry.modified_ms)});
    }
    cli::print_table(rows);
}

void add_list(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<ListOptions>();
    auto* ls = group.add_subcommand("ls", "List files and folders");
    ls->add_option("path", options->path, "dbfs:/..., /Volumes/... or a local folder (default dbfs:/)");
    ls->add_flag("-l,--long", options->long_format, "Show type, size and modification time");
    ls->add_flag("--absolute", options->absolute, "Show absolute paths");
    ls->footer("Examples:\n  brix fs ls dbfs:/tmp\n  brix fs ls -l /Volumes/main/default/landing");
    ls->callback([&context, options] { run_list(context, *options); });
}

void add_cat(CLI::App& group, cli::Context& context) {
    auto path = std::make_shared<std::string>();
    auto* cat = group.add_subcommand("cat", "Print a file's contents");
    cat->add_option("path", *path, "File to print")->required();
    cat->footer("Example:\n  brix fs cat dbfs:/tmp/result.csv");
    cat->callback([&context, path] {
        if (context.output_mode() == cli::OutputMode::Json) throw cli::UsageError("json output is not supported by fs cat");
        auto location = fs::parse_location(*path, context);
        cli::StdoutSink out;
        if (auto entry = location.filer->stat(location.path); entry && entry->is_dir)
            throw std::runtime_error(location.display() + " is a directory");
        location.filer->read(location.path, out);
    });
}

void add_copy(CLI::App& group, cli::Context& context) {
    struct Options {
        std::string source, target;
        bool recursive = false, overwrite = false;
        unsigned concurrency = 8;
    };
    auto options = std::make_shared<Options>();
    auto* cp = group.add_subcommand("cp", "Copy files between the local disk, DBFS and volumes");
    cp->add_option("source", options->source, "What to copy")->required();
    cp->add_option("target", options->target, "Where to copy it")->required();
    cp->add_flag("-r,--recursive", options->recursive, "Copy a folder's contents");
    cp->add_flag("--overwrite", options->overwrite, "Replace existing files");
    cp->add_option("--concurrency", options->concurrency, "Files copied at once by --recursive (default 8)")
        ->check(CLI::Range(1u, 64u));
    cp->footer("Parent folders are created. A file copied onto a folder lands inside it.\n"
               "Examples:\n  brix fs cp data.csv dbfs:/landing/\n  brix fs cp -r ./reports dbfs:/reports --overwrite --concurrency 16\n"
               "  brix fs cp dbfs:/out/result.parquet ./result.parquet");
    cp->callback([&context, options] {
        auto source = fs::parse_location(options->source, context);
        auto target = fs::parse_location(options->target, context);
        fs::CopyOptions copy;
        copy.recursive = options->recursive;
        copy.overwrite = options->overwrite;
        copy.verbose = !context.options.quiet;
        copy.concurrency = options->concurrency;
        copy.progress = context.options.quiet ? cli::ProgressMode::Quiet : cli::ProgressMode::Auto;
        copy.open_api = [&context] { return context.open_api(); };
        fs::copy(source, target, copy);
    });
}

void add_put(CLI::App& group, cli::Context& context) {
    struct Options {
        std::string path;
        std::optional<std::string> contents;
        std::string file;
        bool overwrite = false;
    };
    auto options = std::make_shared<Options>();
    auto* put = group.add_subcommand("put", "Write a file from a string, a local file or stdin (like dbutils.fs.put)");
    put->add_option("path", options->path, "File to write")->required();
    put->add_option("contents", options->contents, "Text to write (verbatim, no newline added)");
    put->add_option("--file", options->file, "Local file to upload instead");
    put->add_flag("--overwrite", options->overwrite, "Replace an existing file");
    put->footer("With neither CONTENTS nor --file, the bytes come from stdin.\n"
                "Examples:\n  brix fs put dbfs:/tmp/hello.txt \"hello\"\n  date | brix fs put dbfs:/tmp/now.txt --overwrite");
    put->callback([&context, options] {
        if (options->contents && !options->file.empty()) throw cli::UsageError("give CONTENTS or --file, not both");
        auto location = remote_location(options->path, context);
        if (options->contents) {
            api::StringSource source(*options->contents);
            return location.filer->write(location.path, source, options->overwrite);
        }
        auto source = options->file.empty() ? api::FdSource(STDIN_FILENO, false, "standard input") : open_local_file(options->file);
        location.filer->write(location.path, source, options->overwrite);
    });
}

void add_mkdirs(CLI::App& group, cli::Context& context) {
    auto path = std::make_shared<std::string>();
    auto* mkdirs = group.add_subcommand("mkdirs", "Create a folder and its missing parents");
    mkdirs->alias("mkdir");
    mkdirs->add_option("path", *path, "Folder to create")->required();
    mkdirs->footer("Example:\n  brix fs mkdirs dbfs:/landing/2026/11");
    mkdirs->callback([&context, path] {
        auto location = remote_location(*path, context);
        location.filer->mkdirs(location.path);
    });
}

void add_remove(CLI::App& group, cli::Context& context) {
    struct Options {
        std::string path;
        bool recursive = false;
    };
    auto options = std::make_shared<Options>();
    auto* rm = group.add_subcommand("rm", "Delete a file, or a folder with --recursive");
    rm->add_option("path", options->path, "What to delete")->required();
    rm->add_flag("-r,--recursive", options->recursive, "Delete a folder and everything in it");
    rm->footer("Deleting a path that does not exist succeeds, as on DBFS.\nExample:\n  brix fs rm -r dbfs:/tmp/scratch");
    rm->callback([&context, options] {
        auto location = remote_location(options->path, context);
        location.filer->remove(location.path, options->recursive);
    });
}

void add_move(CLI::App& group, cli::Context& context) {
    struct Options {
        std::string source, target;
    };
    auto options = std::make_shared<Options>();
    auto* mv = group.add_subcommand("mv", "Move a file or folder");
    mv->add_option("source", options->source, "What to move")->required();
    mv->add_option("target", options->target, "Where to")->required();
    mv->footer("Example:\n  brix fs mv dbfs:/landing/today.csv dbfs:/archive/2026-11-21.csv");
    mv->callback([&context, options] {
        auto source = remote_location(options->source, context);
        auto target = remote_location(options->target, context);
        if (source.display().rfind("dbfs:", 0) == 0 && target.display().rfind("dbfs:", 0) == 0) {
            context.api().call(api::Method::Post, "/api/2.0/dbfs/move", {},
                               {{"source_path", source.path}, {"destination_path", target.path}});
            return;
        }
        // Volumes have no move: copy, then delete the source.
        if (target.filer->stat(target.path)) throw api::already_exists(target.display() + " already exists.");
        fs::CopyOptions copy;
        copy.recursive = true;
        copy.verbose = false;
        copy.open_api = [&context] { return context.open_api(); };
        fs::copy(source, target, copy);
        source.filer->remove(source.path, true);
    });
}

}  // namespace fs_verbs

void add_fs_commands(CLI::App& app, cli::Context& context) {
    using namespace fs_verbs;
    auto* group = app.add_subcommand("fs", "Work with files on DBFS and in Unity Catalog volumes");
    group->footer("Paths: dbfs:/... (DBFS), /Volumes/<catalog>/<schema>/<volume>/... (volumes), anything else is local.\n"
                  "Examples:\n  brix fs ls -l dbfs:/landing\n  brix fs cp sales.csv /Volumes/main/default/landing/");
    add_list(*group, context);
    add_cat(*group, context);
    add_copy(*group, context);
    add_put(*group, context);
    add_mkdirs(*group, context);
    add_remove(*group, context);
    add_move(*group, context);
}

}  // namespace brix::commands
