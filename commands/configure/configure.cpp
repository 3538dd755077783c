// `configure`: writes a token profile to the configuration file. On a terminal it asks for the
// host and the token; otherwise it reads them from stdin, in both CLIs' ways:
//   echo "$TOKEN" | brix configure --host https://h --profile ci     (Go CLI)
//   printf 'https://h\n%s\n' "$TOKEN" | brix configure --token         (legacy CLI)
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "cli/context.hpp"
#include "commands/configure/config_file.hpp"
#include "commands/configure/groups.hpp"
#include "commands/configure/ini_writer.hpp"
#include "commands/configure/terminal_input.hpp"

namespace brix::commands {
namespace {

constexpr std::string_view kBlanks = " \t\r\n\f\v";

struct ConfigureOptions {
    std::optional<std::string> host;
    std::optional<std::string> token_file;
    std::optional<std::string> jobs_api_version;
    bool token_mode = false;  // legacy --token: a token profile, which is all brix writes
    bool insecure = false;
};

std::string trimmed(std::string_view text) {
    auto first = text.find_first_not_of(kBlanks);
    if (first == std::string_view::npos) return "";
    return std::string(text.substr(first, text.find_last_not_of(kBlanks) - first + 1));
}

// Piped input, one value per line: the host (when no --host or DATABRICKS_HOST gave it), then the token.
class PipedLines {
public:
    explicit PipedLines(std::string text) : text_(std::move(text)) {}
    std::string next() {
        if (position_ >= text_.size()) return "";
        auto end = text_.find('\n', position_);
        if (end == std::string::npos) end = text_.size();
        auto line = trimmed(std::string_view(text_).substr(position_, end - position_));
        position_ = end + 1;
        return line;
    }

private:
    std::string text_;
    std::size_t position_ = 0;
};

// What the host means, by the same rules every command resolves it with (a host alone, no
// profile); ConfigError when it names no host or no usable local folder.
cli::Backend backend_for(const std::string& host, const std::string& config_file) {
    auto env = [&](std::string_view name) -> std::optional<std::string> {
        if (name == "DATABRICKS_HOST") return host;
        if (name == "DATABRICKS_CONFIG_FILE") return config_file;
        if (name == "BRIX_HOME" || name == "XDG_DATA_HOME") return process_environment(name);
        return std::nullopt;
    };
    return cli::resolve_config(cli::ConfigRequest{std::nullopt, env, home_folder()}).backend;
}

std::string existing_host(const std::string& text, const std::string& path, const std::string& profile) {
    auto ini = cli::parse_ini(text, path);
    const auto* section = ini.find(profile);
    return section ? section->get("host").value_or("") : "";
}

std::string first_line_of_file(const std::string& path) {
    auto text = read_config_text(path);
    if (text.empty() && !std::filesystem::exists(path)) throw cli::ConfigError("token file " + path + " does not exist");
    return trimmed(text.substr(0, text.find('\n')));
}

void run_configure(cli::Context& context, const ConfigureOptions& options) {
    auto location = configuration_file();
    auto profile = context.options.profile.value_or("");
    if (profile.empty()) profile = "DEFAULT";
    auto text = read_config_text(location.value);

    bool interactive = stdin_is_terminal();
    std::optional<PipedLines> piped;
    if (!interactive && !options.token_file) piped.emplace(read_stdin_bytes());

    auto host = trimmed(options.host.value_or(process_environment("DATABRICKS_HOST").value_or("")));
    if (host.empty()) {
        if (interactive) {
            auto current = existing_host(text, location.value, profile);
            auto answer = trimmed(prompt_line("Databricks host" + (current.empty() ? "" : " [" + current + "]") + ": ", Echo::Visible));
            host = answer.empty() ? current : answer;
        } else if (piped) {
            host = piped->next();
        }
    }
    if (host.empty()) throw cli::UsageError("no host: give --host, set DATABRICKS_HOST, or pipe it as the first line");
    auto backend = backend_for(host, location.value);

    std::string token;
    if (options.token_file) token = first_line_of_file(*options.token_file);
    else if (interactive) token = trimmed(prompt_line("Personal access token: ", Echo::Hidden));
    else token = piped->next();
    if (token.empty() && backend == cli::Backend::Remote)
        throw cli::UsageError("no token: pipe it on stdin (echo \"$TOKEN\" | brix configure --host H), or give --token-file");

    std::vector<IniChange> changes{{"host", host}, {"token", token.empty() ? std::nullopt : std::optional(token)}};
    // Other ways to authenticate would compete with the token (the SDKs refuse two methods).
    for (const char* key : {"username", "password", "client_id", "client_secret", "auth_type"})
        changes.push_back({key, std::nullopt});
    if (options.insecure) changes.push_back({"insecure", "True"});
    if (options.jobs_api_version) changes.push_back({"jobs-api-version", *options.jobs_api_version});
    write_private_file(location.value, update_ini_section(text, profile, changes));
    if (interactive) std::fprintf(stderr, "Profile [%s] written to %s\n", profile.c_str(), location.value.c_str());
}

}  // namespace

void add_configure_command(CLI::App& app, cli::Context& context) {
    auto options = std::make_shared<ConfigureOptions>();
    auto* verb = app.add_subcommand("configure", "Write a token profile to ~/.databrickscfg (or $DATABRICKS_CONFIG_FILE)");
    verb->add_option("--host", options->host, "Workspace URL, or local / local:PATH for the local engine (default: DATABRICKS_HOST)");
    verb->add_flag("-t,--token", options->token_mode, "Token authentication (legacy flag; the only kind brix writes)");
    verb->add_option("-f,--token-file", options->token_file, "Read the token from the first line of this file");
    verb->add_flag("--insecure", options->insecure, "Write insecure = True (legacy: skip TLS verification)");
    verb->add_option("--jobs-api-version", options->jobs_api_version, "Write jobs-api-version (legacy; brix always uses 2.2)");
    verb->footer("The profile is the global --profile (default DEFAULT). Other profiles, comments and keys are\n"
                 "kept; the file is replaced atomically with mode 0600. On a terminal the host and token are\n"
                 "asked for; otherwise the token is read from stdin (after the host, if no --host is given).\n"
                 "Examples:\n  echo \"$DATABRICKS_TOKEN\" | brix configure --host https://adb-123.azuredatabricks.net --profile ci\n"
                 "  printf 'https://my.cloud.databricks.com\\n%s\\n' \"$TOKEN\" | brix configure --token\n"
                 "  brix configure --host local:/srv/brix --profile scratch </dev/null");
    verb->callback([&context, options] { run_configure(context, *options); });
}

}  // namespace brix::commands
