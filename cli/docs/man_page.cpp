#include "cli/docs/man_page.hpp"

#include <CLI/CLI.hpp>

#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/command_tree.hpp"
#include "cli/docs/roff.hpp"

#ifndef BRIX_VERSION
#define BRIX_VERSION "0.0.0"
#endif

namespace brix::cli::docs {
namespace {

using Entries = std::vector<std::pair<std::string_view, std::string_view>>;

// What the commands' help cannot say: the environment, the files and the exit codes
// (docs/configuration.md and docs/exit-codes.md tell the full story).
const Entries kEnvironment = {
    {"DATABRICKS_HOST", "The workspace URL, e.g. https://adb-123.4.azuredatabricks.net. local or local:/path selects the "
                        "local engine. With no host anywhere, brix uses the local engine at its default root."},
    {"DATABRICKS_TOKEN", "A personal access token, sent as a bearer token."},
    {"DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET", "A service principal, exchanged for an OAuth token (machine to machine)."},
    {"DATABRICKS_USERNAME, DATABRICKS_PASSWORD", "Basic authentication, when there is neither a token nor a client id."},
    {"DATABRICKS_CONFIG_FILE", "The configuration file, instead of ~/.databrickscfg."},
    {"DATABRICKS_CONFIG_PROFILE", "The profile to use when --profile is not given."},
    {"DATABRICKS_HTTP_TIMEOUT_SECONDS", "Give up on a request after this many seconds without a byte moving (default 60)."},
    {"DATABRICKS_CONNECT_TIMEOUT_SECONDS", "Give up on opening a connection after this many seconds (default 10)."},
    {"DATABRICKS_RETRY_TIMEOUT_SECONDS", "How many seconds to keep retrying 429 and 503 answers (default 120)."},
    {"BRIX_OUTPUT, DATABRICKS_OUTPUT_FORMAT", "The output format (text or json) when -o/--output is not given."},
    {"BRIX_HOME", "The default local engine root (an absolute path, or one starting with ~/). Else $XDG_DATA_HOME/brix "
                  "when XDG_DATA_HOME is an absolute path, else ~/.local/share/brix."},
    {"HOME", "Where ~/.databrickscfg and ~/.local/share/brix are. When unset, the home folder of the user's passwd entry."},
    {"BRIX_PARALLELISM", "How many tasks of a run execute at once on the local engine (default: the number of CPUs)."},
    {"BRIX_PYTHON", "The Python interpreter for tasks on the local engine (default: python3 from PATH)."},
};

const Entries kFiles = {
    {"~/.databrickscfg", "Profiles (INI sections with host, token, client_id, client_secret, ...), shared with both "
                         "Databricks CLIs and the SDKs. Written by brix configure."},
    {"~/.local/share/brix", "The local engine's default root: workspace objects, DBFS, volumes, jobs, runs and their "
                            "logs, repos and secrets (mode 0700)."},
};

const Entries kExitStatus = {
    {"0", "Success."},
    {"1", "Failure: anything not covered below, including output that could not be written to stdout."},
    {"2", "Usage error: the command line is wrong; nothing was sent."},
    {"3", "Not found: the workspace path, file, job, run, repo, scope or token does not exist."},
    {"4", "Authentication or permission: the workspace answered 401 or 403."},
    {"5", "A run that brix waited for ended without succeeding."},
    {"124", "A wait timed out (--timeout); the run goes on."},
    {"130", "Interrupted (Ctrl-C)."},
    {"141", "Killed by SIGPIPE: stdout was a pipe whose reader went away (brix jobs list | head -1), as for other Unix tools."},
};

void tagged_paragraph(std::ostringstream& out, std::string_view tag, std::string_view text) {
    out << ".TP\n" << roff_line(tag) << '\n' << roff_line(text) << '\n';
}

void section(std::ostringstream& out, std::string_view title, const Entries& entries) {
    out << ".SH " << title << '\n';
    for (const auto& [tag, text] : entries) tagged_paragraph(out, tag, text);
}

void flags(std::ostringstream& out, const std::vector<const CLI::Option*>& list) {
    for (const auto* flag : list) tagged_paragraph(out, flag_usage(*flag), flag->get_description());
}

void usage_lines(std::ostringstream& out, const CLI::App& command) {
    auto path = command_path(command);
    for (const auto& form : usages(command))
        out << "\\fB" << roff_line(path) << "\\fR" << roff_line(form.substr(path.size())) << "\n.br\n";
}

void examples(std::ostringstream& out, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    out << ".PP\n" << (lines.size() == 1 ? "Example:" : "Examples:") << "\n.RS 4\n.nf\n";
    for (const auto& line : lines) out << roff_line(line) << '\n';
    out << ".fi\n.RE\n";
}

// Notes are running text, except indented lines (a generated command's field table), which keep
// their columns.
void notes(std::ostringstream& out, const std::vector<std::string>& lines) {
    bool table = false;
    for (const auto& line : lines) {
        bool indented = line.rfind("  ", 0) == 0;
        if (indented != table) out << (indented ? ".RS 4\n.nf\n" : ".fi\n.RE\n");
        table = indented;
        out << roff_line(indented ? line.substr(2) : line) << '\n';
    }
    if (table) out << ".fi\n.RE\n";
}

void command_entry(std::ostringstream& out, const CLI::App& command) {
    out << ".SS\n" << roff_line(command_path(command)) << '\n';
    usage_lines(out, command);
    out << ".PP\n" << roff_line(command.get_description()) << '\n';
    std::string aliases;
    for (const auto& alias : command.get_aliases()) aliases += (aliases.empty() ? "" : ", ") + alias;
    if (!aliases.empty()) out << ".PP\nAlias: " << roff_line(aliases) << '\n';
    auto footer = split_footer(command.get_footer());
    if (!footer.notes.empty()) {
        out << ".PP\n";
        notes(out, footer.notes);
    }
    auto verbs = visible_subcommands(command);
    if (!verbs.empty()) {
        std::string names;
        for (const auto* verb : verbs) names += (names.empty() ? "" : ", ") + verb->get_name();
        out << ".PP\nCommands: " << roff_line(names) << ".\n";
    }
    for (const auto* positional : positionals(command)) {
        auto text = positional_usage(*positional);
        tagged_paragraph(out, text.substr(0, text.find('\n')), positional->get_description());
    }
    std::vector<const CLI::Option*> own_flags;
    for (const auto* flag : visible_flags(command))
        if (flag != command.get_help_ptr() && flag != command.get_help_all_ptr()) own_flags.push_back(flag);
    flags(out, own_flags);
    examples(out, footer.examples);
}

std::string name_line(const CLI::App& root) {
    auto description = root.get_description();
    auto colon = description.find(": ");
    return colon == std::string::npos ? description : description.substr(colon + 2);
}

}  // namespace

std::string man_page(const CLI::App& root) {
    std::ostringstream out;
    out << ".TH BRIX 1 \"\" \"brix " BRIX_VERSION "\" \"User Commands\"\n";
    // Command paths and API paths are long words: no hyphenation, and no stretching of lines to
    // the right margin (which a line holding one long path cannot have).
    out << ".nh\n.ad l\n";
    out << ".SH NAME\nbrix, databricks \\- " << roff_line(name_line(root)) << '\n';

    out << ".SH SYNOPSIS\n"
           "\\fBbrix\\fR [\\fIglobal flags\\fR] \\fIcommand\\fR [\\fIarguments\\fR] [\\fIflags\\fR]\n.br\n"
           "\\fBbrix\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR\n";

    out << ".SH DESCRIPTION\n"
           "\\fBbrix\\fR has the commands of both Databricks CLIs, the legacy Python databricks\\-cli and the Go "
           "databricks CLI, and accepts the syntax of either: scripts written for one of them run unchanged. "
           "Installed (or linked) as \\fBdatabricks\\fR, it behaves identically.\n"
           ".PP\n"
           "Every command runs against a Databricks workspace, over its REST API, or against the local engine built "
           "into the binary: a workspace tree, DBFS, Unity Catalog volumes, jobs whose runs really execute, repos "
           "and secrets, kept in one folder. The profile picks the backend, as with the Databricks CLIs.\n";
    auto root_footer = split_footer(root.get_footer());
    if (!root_footer.notes.empty()) {
        out << ".PP\n";
        for (const auto& note : root_footer.notes) out << roff_line(note) << '\n';
    }
    out << ".PP\n"
           "Results go to standard output; errors (as \\fBError:\\fR \\fImessage\\fR), warnings and progress go to "
           "standard error. Lists are aligned tables on a terminal and tab\\-separated when piped; \\fB\\-o json\\fR "
           "prints JSON.\n";
    examples(out, root_footer.examples);

    out << ".SH GLOBAL FLAGS\nThey may be given before or after the command words.\n";
    flags(out, visible_flags(root));

    out << ".SH COMMANDS\n"
           "Each command has the same text under \\fBbrix\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR. Arguments in "
           "<angle brackets> are required, those in [square brackets] optional.\n";
    for (const auto* command : all_commands(root)) command_entry(out, *command);

    section(out, "ENVIRONMENT", kEnvironment);
    section(out, "FILES", kFiles);
    section(out, "EXIT STATUS", kExitStatus);
    // \% keeps a file name from being hyphenated.
    out << ".SH SEE ALSO\n"
           "\\fBgit\\fR(1), \\fBpython3\\fR(1). The documentation in the docs folder of the brix sources: "
           "\\%getting\\-started.md, \\%commands.md, \\%configuration.md, \\%exit\\-codes.md, \\%migrating.md.\n";
    return out.str();
}

}  // namespace brix::cli::docs
