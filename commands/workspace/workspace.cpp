// `workspace` group: ls/list, mkdirs, get-status, rm/delete; import and export live in
// transfer.cpp, import-dir and export-dir in dirs.cpp.
#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "commands/workspace/verbs.hpp"
#include "commands/workspace/workspace_calls.hpp"

namespace brix::commands {
namespace {

using api::Method;

struct ListOptions {
    std::string path = "/";
    bool long_format = false;
    bool absolute = false;
    bool show_id = false;
};

void run_list(cli::Context& context, const ListOptions& options) {
    auto objects = workspace::list_objects(context.api(), options.path);
    if (context.output_mode() == cli::OutputMode::Json) return cli::print_json(objects);
    std::vector<cli::Row> rows;
    rows.reserve(objects.size());
    for (auto& object : objects) {
        auto path = object.value("path", "");
        cli::Row row;
        if (options.long_format) row.push_back(object.value("object_type", ""));
        row.push_back(options.absolute ? path : path.substr(path.rfind('/') + 1));
        if (options.long_format) row.push_back(object.value("language", ""));
        if (options.show_id) row.push_back(std::to_string(object.value("object_id", std::int64_t{0})));
        rows.push_back(std::move(row));
        object = nullptr;  // the rows take the objects' place instead of adding to them (large folders)
    }
    cli::print_table(rows);
}

void add_list(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<ListOptions>();
    auto* ls = group.add_subcommand("ls", "List the objects in a workspace folder");
    ls->alias("list");
    ls->add_option("path", options->path, "Workspace folder (default /)");
    ls->add_flag("-l,--long", options->long_format, "Show object type and language");
    ls->add_flag("--absolute", options->absolute, "Show absolute paths");
    ls->add_flag("-i,--id", options->show_id, "Show object ids");
    ls->footer("Examples:\n  brix workspace ls /Shared\n  brix workspace ls -l --absolute /Users/me@example.com");
    ls->callback([&context, options] { run_list(context, *options); });
}

void add_mkdirs(CLI::App& group, cli::Context& context) {
    auto path = std::make_shared<std::string>();
    auto* mkdirs = group.add_subcommand("mkdirs", "Create a workspace folder and its missing parents");
    mkdirs->add_option("path", *path, "Workspace folder to create")->required();
    mkdirs->footer("Example:\n  brix workspace mkdirs /Shared/etl/notebooks");
    mkdirs->callback([&context, path] { workspace::mkdirs(context.api(), *path); });
}

void add_get_status(CLI::App& group, cli::Context& context) {
    auto path = std::make_shared<std::string>();
    auto* status = group.add_subcommand("get-status", "Show the type, language and id of a workspace object");
    status->add_option("path", *path, "Workspace path")->required();
    status->footer("Example:\n  brix workspace get-status /Shared/etl/ingest");
    status->callback([&context, path] {
        cli::print_json(context.api().call(Method::Get, "/api/2.0/workspace/get-status", {{"path", *path}}));
    });
}

void add_delete(CLI::App& group, cli::Context& context) {
    struct Options {
        std::string path;
        bool recursive = false;
    };
    auto options = std::make_shared<Options>();
    auto* rm = group.add_subcommand("rm", "Delete a workspace object (folders need --recursive)");
    rm->alias("delete");
    rm->add_option("path", options->path, "Workspace path")->required();
    rm->add_flag("-r,--recursive", options->recursive, "Delete a folder and everything in it");
    rm->footer("Examples:\n  brix workspace rm /Shared/old-notebook\n  brix workspace rm -r /Shared/old-project");
    rm->callback([&context, options] {
        context.api().call(Method::Post, "/api/2.0/workspace/delete", {},
                           {{"path", options->path}, {"recursive", options->recursive}});
    });
}

}  // namespace

void add_workspace_commands(CLI::App& app, cli::Context& context) {
    auto* group = app.add_subcommand("workspace", "Import, export, list and delete notebooks, files and folders");
    group->footer("Paths /Workspace/x and /x name the same object.\n"
                  "Examples:\n  brix workspace ls -l /Shared\n  brix workspace import-dir ./notebooks /Shared/project --overwrite");
    add_list(*group, context);
    add_mkdirs(*group, context);
    add_get_status(*group, context);
    add_delete(*group, context);
    workspace::add_import(*group, context);
    workspace::add_export(*group, context);
    workspace::add_import_dir(*group, context);
    workspace::add_export_dir(*group, context);
}

}  // namespace brix::commands
