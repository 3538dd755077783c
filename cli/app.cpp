#include "cli/app.hpp"

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <system_error>

#include "cli/command_tree.hpp"
#include "cli/completion/completion.hpp"
#include "cli/context.hpp"
#include "cli/help_formatter.hpp"
#include "cli/internal_commands.hpp"
#include "cli/output.hpp"
#include "cli/suggest.hpp"
#include "commands/commands.hpp"
#include "commands/generated/generated_groups.hpp"
#include "commands/serve/serve.hpp"

#ifndef BRIX_VERSION
#define BRIX_VERSION "0.0.0"
#endif

namespace brix::cli {
namespace {

// `-o` is both the global --output and, in the legacy syntax, `workspace import/export -o`
// (overwrite). `-o json` and `-o text` can only mean the output format.
std::vector<std::string> normalise_arguments(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-o" && i + 1 < argc) {
            std::string next = argv[i + 1];
            for (auto& c : next) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (next == "json" || next == "text") {
                args.push_back("--output=" + next);
                ++i;
                continue;
            }
        }
        args.push_back(std::move(arg));
    }
    return args;
}

CLI::App* deepest_selected(CLI::App* app) {
    for (;;) {
        auto selected = app->get_subcommands();
        if (selected.empty()) return app;
        app = selected.front();
    }
}

std::vector<std::string> subcommand_names(CLI::App* app) {
    std::vector<std::string> names;
    for (auto* sub : app->get_subcommands([](CLI::App*) { return true; })) {
        if (sub->get_name().rfind("__", 0) == 0) continue;  // internal commands are never suggested
        names.push_back(sub->get_name());
        for (const auto& alias : sub->get_aliases()) names.push_back(alias);
    }
    return names;
}

std::vector<std::string> option_names(CLI::App* app) {
    std::vector<std::string> names;
    for (auto* at = app; at; at = at->get_parent())
        for (const auto* option : at->get_options()) {
            for (const auto& name : option->get_lnames()) names.push_back("--" + name);
            for (const auto& name : option->get_snames()) names.push_back("-" + name);
        }
    return names;
}

int usage_error(CLI::App& root, const std::string& message) {
    auto* app = deepest_selected(&root);
    auto extras = root.remaining(true);
    if (extras.empty()) {
        std::fprintf(stderr, "Error: %s\n", message.c_str());
    } else {
        const auto& word = extras.front();
        bool is_flag = word.rfind("-", 0) == 0;
        auto name = is_flag ? word.substr(0, word.find('=')) : word;
        bool is_group = !subcommand_names(app).empty();
        if (is_flag) std::fprintf(stderr, "Error: unknown flag: %s\n", name.c_str());
        else if (is_group) std::fprintf(stderr, "Error: unknown command \"%s\" for \"%s\"\n", name.c_str(), command_path(*app).c_str());
        else std::fprintf(stderr, "Error: unexpected argument \"%s\"\n", name.c_str());
        if (auto match = closest_match(name, is_flag ? option_names(app) : subcommand_names(app)))
            std::fprintf(stderr, "Did you mean \"%s\"?\n", match->c_str());
    }
    std::fprintf(stderr, "Run '%s --help' for usage.\n", command_path(*app).c_str());
    return static_cast<int>(ExitCode::Usage);
}

ExitCode exit_code_for(const api::ApiError& error) {
    const auto& code = error.error_code();
    if (error.http_status() == 404 || code == "RESOURCE_DOES_NOT_EXIST" || code == "NOT_FOUND") return ExitCode::NotFound;
    if (error.http_status() == 401 || error.http_status() == 403) return ExitCode::Auth;
    return ExitCode::Failure;
}

int report(const char* message, ExitCode code) {
    std::fprintf(stderr, "Error: %s\n", message);
    return static_cast<int>(code);
}

// Each command, as it is parsed, names itself in the context ("jobs_create", the Go CLI's cmd/
// User-Agent value): the deepest one parsed is the last to do so, before any callback runs.
void name_commands(CLI::App& app, Context& context) {
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        sub->preparse_callback([&context, sub](std::size_t) {
            context.command = command_words(*sub);
            std::replace(context.command.begin(), context.command.end(), ' ', '_');
        });
        name_commands(*sub, context);
    }
}

// A group called without a verb shows its help, as both Databricks CLIs do.
bool show_help_for_bare_group(CLI::App& root) {
    auto* app = deepest_selected(&root);
    if (app->get_subcommands([](CLI::App*) { return true; }).empty()) return false;
    write_stdout(app->help());
    return true;
}

// A closed standard descriptor (`>&-`, `<&-`) would be handed to the next file brix opens, and
// output meant for stdout would land in it. Each closed one gets /dev/null opened the wrong way
// round, so every read or write on it fails with EBADF, as on the closed descriptor.
void hold_closed_standard_descriptors() {
    for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        int held = ::open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
        if (held >= 0 && held != fd) {
            ::dup2(held, fd);
            ::close(held);
        }
    }
}

// A reader that went away (`brix jobs list | head -1`) ends brix as it ends GNU tools: killed by
// SIGPIPE, silently (status 141 in a shell). Where SIGPIPE was ignored, the EPIPE error leads here.
[[noreturn]] void die_of_broken_pipe() {
    std::signal(SIGPIPE, SIG_DFL);
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    ::sigprocmask(SIG_UNBLOCK, &pipe_only, nullptr);
    ::raise(SIGPIPE);
    std::_Exit(128 + SIGPIPE);
}

// Every command ends here: what it printed must have reached stdout, or the exit code says not.
int settle_stdout(int code) {
    int error = finish_stdout();
    if (error == 0) return code;
    if (error == EPIPE) die_of_broken_pipe();
    std::fprintf(stderr, "Error: cannot write to standard output: %s\n", std::strerror(error));
    return code == 0 ? static_cast<int>(ExitCode::Failure) : code;
}

// `brix notacommand --help` is a misspelt command, not a request for the root's help.
bool help_hides_unknown_words(CLI::App& root, const CLI::Success& success) {
    if (success.get_name() != "CallForHelp" && success.get_name() != "CallForAllHelp") return false;
    return !root.remaining(true).empty();
}

int run_command(int argc, char** argv);

}  // namespace

int run(int argc, char** argv) {
    hold_closed_standard_descriptors();
    return settle_stdout(run_command(argc, argv));
}

namespace {

int run_command(int argc, char** argv) {
    Context context;
    auto program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "brix";
    if (program != "databricks") program = "brix";

    CLI::App app{"brix: the Databricks CLI that runs on a workspace or on an embedded local engine", program};
    app.formatter(std::make_shared<HelpFormatter>());  // inherited by every command added below
    app.set_version_flag("--version", "brix " BRIX_VERSION);
    app.set_help_all_flag("--help-all", "Show help for every command");
    app.fallthrough();
    // One command a line: a positional value that is also a command name (`permissions set jobs 5`)
    // stays a value once a command was named, instead of starting that command.
    app.require_subcommand(0, 1);
    app.add_option("-p,--profile", context.options.profile, "Profile from ~/.databrickscfg to use");
    app.add_option("-o,--output", context.options.output, "Output format: text or json")
        ->check(CLI::IsMember({"text", "json"}, CLI::ignore_case));
    app.add_flag("--debug", context.options.debug, "Log every API request and response to stderr (secrets redacted)");
    app.add_flag("-q,--quiet", context.options.quiet, "Print no progress");
    app.footer("A host of 'local' (or none configured) uses the embedded local engine.\n"
               "Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 auth, 5 run failed, 124 timed out.\n"
               "Examples:\n  brix workspace import etl.py /Shared/etl.py\n  brix -p prod jobs run-now 123\n"
               "  brix fs cp -r ./data dbfs:/landing --overwrite");
    auto args = normalise_arguments(argc, argv);
    // `brix --version` needs no command; any other line gets what it names (commands.hpp).
    if (!(args.size() == 1 && args.front() == "--version"))
        commands::add_needed(app, context, commands::generated::first_command_word(args));
    commands::serve::add_group(app, context);  // only the executable links the plugin
    completion::add_completion_commands(app, context);
    add_internal_commands(app);
    name_commands(app, context);

    commands::generated::add_generated_commands(app, context, args);  // only what this command line needs
    std::reverse(args.begin(), args.end());
    try {
        app.parse(args);
        if (show_help_for_bare_group(app)) return 0;
        return static_cast<int>(context.exit_code);
    } catch (const CLI::Success& success) {
        if (help_hides_unknown_words(app, success)) return usage_error(app, "unknown command");
        std::ostringstream out, err;
        int code = app.exit(success, out, err);
        write_stdout(out.str());
        std::fputs(err.str().c_str(), stderr);
        return code;
    } catch (const StdoutError& error) {
        note_stdout_error(error.error_number());
        return static_cast<int>(ExitCode::Failure);
    } catch (const CLI::ParseError& error) {
        return usage_error(app, error.what());
    } catch (const UsageError& error) {
        return usage_error(app, error.what());
    } catch (const api::ApiError& error) {
        return report(error.message().c_str(), exit_code_for(error));
    } catch (const ConfigError& error) {
        return report(error.what(), ExitCode::Failure);
    } catch (const std::filesystem::filesystem_error& error) {
        // The library's text ("filesystem error: cannot create directories: ... [path]") is for
        // programmers; the path and the system's reason are what a user can act on.
        auto message = error.path1().empty() ? error.code().message() : error.path1().string() + ": " + error.code().message();
        return report(message.c_str(), ExitCode::Failure);
    } catch (const std::exception& error) {
        return report(error.what(), ExitCode::Failure);
    }
}

}  // namespace

}  // namespace brix::cli
