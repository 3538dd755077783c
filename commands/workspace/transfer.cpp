// `workspace import` and `workspace export`, in both syntaxes:
//   legacy: import SRC TARGET [-l LANG] [-f FMT] [-o]      export SRC TARGET [-f FMT] [-o]
//   new:    import TARGET --file SRC | --content B64        export SRC [--file LOCAL]
#include <CLI/CLI.hpp>

#include <filesystem>
#include <unistd.h>

#include "api/base64.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/local_files.hpp"
#include "commands/workspace/verbs.hpp"
#include "commands/workspace/workspace_calls.hpp"

namespace brix::commands::workspace {
namespace {

using api::Method;

const std::vector<std::string> kImportFormats = {"SOURCE", "AUTO", "JUPYTER", "RAW", "HTML", "DBC", "R_MARKDOWN"};
const std::vector<std::string> kExportFormats = {"SOURCE", "AUTO", "JUPYTER", "RAW", "HTML", "DBC", "R_MARKDOWN"};
const std::vector<std::string> kLanguages = {"PYTHON", "SQL", "SCALA", "R"};

// The SDKs' guess from a file name; the server needs a language for a single SOURCE file.
std::string language_from_extension(const std::string& path) {
    auto extension = std::filesystem::path(path).extension().string();
    if (extension == ".py") return "PYTHON";
    if (extension == ".sql" || extension == ".SQL") return "SQL";
    if (extension == ".scala") return "SCALA";
    if (extension == ".r" || extension == ".R") return "R";
    return "";
}

struct ImportOptions {
    std::vector<std::string> paths;
    std::string file;
    std::string content;
    std::string language;
    std::string format;
    bool overwrite = false;
};

void run_import(cli::Context& context, ImportOptions options) {
    if (options.paths.size() == 2 && !options.file.empty())
        throw cli::UsageError("give the local file either as SOURCE or with --file, not both");
    if (!options.file.empty() && !options.content.empty()) throw cli::UsageError("--file and --content cannot be combined");
    auto target = options.paths.back();
    auto source = options.paths.size() == 2 ? options.paths.front() : options.file;
    if (source.empty() && options.content.empty())
        throw cli::UsageError("no local file given: use 'workspace import SOURCE TARGET' or 'workspace import TARGET --file SOURCE'");

    std::string bytes;
    if (!options.content.empty()) {
        auto decoded = api::base64_decode(options.content);
        if (!decoded) throw cli::UsageError("--content must be base64");
        bytes = std::move(*decoded);
    } else {
        bytes = read_local_file(source);
    }

    // With neither flag, decide as AUTO does; a language alone means a SOURCE notebook (legacy).
    auto format = options.format.empty() ? (options.language.empty() ? "AUTO" : "SOURCE") : options.format;
    auto language = options.language;
    if (format == "SOURCE" && language.empty()) {
        language = language_from_extension(source.empty() ? target : source);
        if (language.empty())
            throw cli::UsageError("cannot tell the language of " + (source.empty() ? target : source) +
                                  " from its name: pass --language PYTHON|SQL|SCALA|R, or --format AUTO");
    }
    api::Json body{{"path", target}, {"format", format}};
    if (!language.empty() && format != "AUTO" && format != "RAW") body["language"] = language;
    body["content"] = api::base64_encode(bytes);
    body["overwrite"] = options.overwrite;
    context.api().call(Method::Post, "/api/2.0/workspace/import", {}, std::move(body));
}

struct ExportOptions {
    std::vector<std::string> paths;
    std::string file;
    std::string format = "SOURCE";
    bool overwrite = false;
};

void run_export(cli::Context& context, const ExportOptions& options) {
    if (options.paths.size() == 2 && !options.file.empty())
        throw cli::UsageError("give the local target either as TARGET or with --file, not both");
    const auto& source = options.paths.front();
    if (context.output_mode() == cli::OutputMode::Json && options.paths.size() == 1 && options.file.empty())
        return cli::print_json(context.api().call(Method::Get, "/api/2.0/workspace/export",
                                                  {{"path", source}, {"format", options.format}}));
    bool legacy_target = options.paths.size() == 2;
    std::string target = legacy_target ? options.paths.back() : options.file;
    if (target.empty() || target == "-") {
        cli::StdoutSink out;
        return export_to(context.api(), source, options.format, out);
    }
    // A target ending in "/" names a folder even before it exists, as an existing folder does.
    if (std::filesystem::is_directory(target) || target.back() == '/') {
        auto status = find_status(context.api(), source);
        if (!status) throw api::not_found("Path (" + source + ") doesn't exist.");
        target = (std::filesystem::path(target) / local_name(*status, options.format)).string();
    }
    // The legacy form refuses to replace a local file without -o; the new form's --file replaces it.
    auto overwrite = options.overwrite || !legacy_target ? LocalOverwrite::Allowed : LocalOverwrite::Forbidden;
    if (overwrite == LocalOverwrite::Forbidden && local_target_kind(target) == LocalTargetKind::File)
        throw std::runtime_error("Target " + target + " already exists; use --overwrite (-o) to replace it");
    LocalFileWriter writer(target);
    export_to(context.api(), source, options.format, writer.sink());
    writer.commit(overwrite);
}

}  // namespace

void add_import(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<ImportOptions>();
    auto* import = group.add_subcommand("import", "Import a local file as a notebook or workspace file");
    import->add_option("paths", options->paths, "SOURCE TARGET (legacy) or TARGET with --file")->required()->expected(1, 2)->option_text("<source> <target>\n<target> --file <source>");
    import->add_option("--file", options->file, "Local file to import");
    import->add_option("--content", options->content, "Content to import, base64-encoded");
    import->add_option("-l,--language", options->language, "Notebook language (default: from the file extension)")
        ->transform(CLI::IsMember(kLanguages, CLI::ignore_case));
    import->add_option("-f,--format", options->format,
                       "SOURCE, AUTO, JUPYTER or RAW (default: AUTO, or SOURCE when --language is given)")
        ->transform(CLI::IsMember(kImportFormats, CLI::ignore_case));
    import->add_flag("-o,--overwrite", options->overwrite, "Replace an existing object");
    import->footer(
        "A file whose first line is the notebook header ('# Databricks notebook source') becomes a notebook;\n"
        "other files keep their bytes as workspace files.\n"
        "Examples:\n"
        "  brix workspace import etl.py /Shared/etl.py\n"
        "  brix workspace import /Shared/etl --file etl.py --language PYTHON --overwrite\n"
        "  brix workspace import ./report.ipynb /Shared/report -f JUPYTER");
    import->callback([&context, options] { run_import(context, *options); });
}

void add_export(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<ExportOptions>();
    auto* exp = group.add_subcommand("export", "Export a notebook or workspace file");
    exp->add_option("paths", options->paths, "SOURCE [TARGET]; TARGET '-' or none prints to stdout")->required()->expected(1, 2)->option_text("<source> [target]\n<source> --file <target>");
    exp->add_option("--file", options->file, "Local file to write");
    exp->add_option("-f,--format", options->format, "SOURCE (default), JUPYTER, AUTO or RAW")
        ->transform(CLI::IsMember(kExportFormats, CLI::ignore_case));
    exp->add_flag("-o,--overwrite", options->overwrite, "Replace an existing local file");
    exp->footer(
        "Examples:\n"
        "  brix workspace export /Shared/etl -\n"
        "  brix workspace export /Shared/etl ./etl.py -o\n"
        "  brix workspace export /Shared/report --format JUPYTER --file report.ipynb");
    exp->callback([&context, options] { run_export(context, *options); });
}

}  // namespace brix::commands::workspace
