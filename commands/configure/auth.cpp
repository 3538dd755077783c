// `auth`: what the configuration says and whether it works. `profiles` lists the profiles of the
// configuration file and checks each one (GET /api/2.0/preview/scim/v2/Me); `describe` shows
// every resolved setting with where it came from; `token` prints a bearer token for a profile.
#include <CLI/CLI.hpp>

#include <chrono>

#include "cli/context.hpp"
#include "cli/debug_api.hpp"
#include "cli/output.hpp"
#include "commands/configure/config_file.hpp"
#include "commands/configure/groups.hpp"

namespace brix::commands {
namespace {

using api::Json;
using api::Method;

constexpr std::string_view kMePath = "/api/2.0/preview/scim/v2/Me";
constexpr std::string_view kMasked = "********";

bool is_sensitive(const std::string& key) {
    for (const char* word : {"token", "secret", "password", "credentials"})
        if (key.find(word) != std::string::npos) return true;
    return false;
}

// What authenticates requests, by the SDKs' order: a token, then basic, then OAuth M2M.
std::string auth_type(const cli::ResolvedConfig& config) {
    if (config.backend == cli::Backend::Local) return "local";
    if (!config.get("auth_type").empty()) return config.get("auth_type");
    if (!config.get("token").empty()) return "pat";
    if (!config.get("username").empty() && !config.get("password").empty()) return "basic";
    if (!config.get("client_id").empty() && !config.get("client_secret").empty()) return "oauth-m2m";
    return "none";
}

// Where the local engine's folder came from, when the host did not name it.
cli::Setting local_root_setting(const cli::ResolvedConfig& config) {
    auto host = config.settings.find("host");
    if (host != config.settings.end()) return {config.local_root, host->second.source};
    for (const char* variable : {"BRIX_HOME", "XDG_DATA_HOME"})
        if (!process_environment(variable).value_or("").empty())
            return {config.local_root, std::string(variable) + " environment variable"};
    return {config.local_root, "default"};
}

std::unique_ptr<api::Api> api_for(const cli::ResolvedConfig& config, const cli::Context& context) {
    auto api = cli::make_api(config, cli::RunExecution::DetachedWorker, context.command);
    if (context.options.debug) api = std::make_unique<cli::DebugApi>(std::move(api));
    return api;
}

// A profile judged on its own: the environment's credentials do not fill its gaps. Checks
// should not hang on a dead host, so they get short timeouts unless the profile sets its own.
cli::ResolvedConfig profile_config(const std::string& profile) {
    auto env = [](std::string_view name) -> std::optional<std::string> {
        if (name == "DATABRICKS_CONFIG_FILE" || name == "BRIX_HOME" || name == "XDG_DATA_HOME") return process_environment(name);
        return std::nullopt;
    };
    auto config = cli::resolve_config(cli::ConfigRequest{profile, env, home_folder()});
    for (const auto& [key, seconds] : {std::pair{"connect_timeout_seconds", "5"}, {"http_timeout_seconds", "15"}, {"retry_timeout_seconds", "2"}})
        config.settings.try_emplace(key, cli::Setting{seconds, "default for auth checks"});
    return config;
}

struct ProfileCheck {
    bool valid = false;
    std::string detail;  // the user name, or why the check failed
};

// The local engine always answers, and opening it would create its folder: not checked.
ProfileCheck check_profile(const std::string& profile, const cli::Context& context) {
    try {
        auto config = profile_config(profile);
        if (config.backend == cli::Backend::Local) return {true, "local engine at " + config.local_root};
        auto me = api_for(config, context)->call(Method::Get, std::string(kMePath));
        return {true, me.value("userName", "")};
    } catch (const std::exception& error) {
        return {false, error.what()};
    }
}

void add_profiles(CLI::App& group, cli::Context& context) {
    auto skip_validate = std::make_shared<bool>(false);
    auto* verb = group.add_subcommand("profiles", "List the profiles of the configuration file, their hosts and whether they work");
    verb->add_flag("--skip-validate", *skip_validate, "Do not call each workspace to check the profile");
    verb->footer("A profile is checked with its own settings only (no DATABRICKS_* credentials mixed in), by asking\n"
                 "the workspace who the caller is; local-engine profiles always work.\n"
                 "Examples:\n  brix auth profiles\n  brix auth profiles --skip-validate -o json");
    verb->callback([&context, skip_validate] {
        auto location = configuration_file();
        warn_if_exposed(location.value);
        auto ini = cli::load_ini_file(location.value);
        Json profiles = Json::array();
        std::vector<cli::Row> rows;
        for (const auto& section : ini ? ini->sections : std::vector<cli::IniSection>{}) {
            if (section.name == "__settings__") continue;
            Json profile{{"name", section.name}, {"host", section.get("host").value_or("")}};
            cli::Row row{section.name, section.get("host").value_or("")};
            if (!*skip_validate) {
                auto check = check_profile(section.name, context);
                profile["valid"] = check.valid;
                if (!check.valid) profile["error"] = check.detail;
                row.push_back(check.valid ? "YES" : "NO");
            }
            profiles.push_back(std::move(profile));
            rows.push_back(std::move(row));
        }
        if (context.output_mode() == cli::OutputMode::Json) return cli::print_json(Json{{"profiles", profiles}});
        cli::print_table(rows);
    });
}

void add_describe(CLI::App& group, cli::Context& context) {
    auto sensitive = std::make_shared<bool>(false);
    auto* verb = group.add_subcommand("describe", "Show every resolved setting and where it came from");
    verb->add_flag("--sensitive", *sensitive, "Show tokens, passwords and client secrets in clear");
    verb->footer("Sources: a flag, an environment variable, a profile of the configuration file, or a default.\n"
                 "For a workspace it also asks who you are (GET /api/2.0/preview/scim/v2/Me).\n"
                 "Examples:\n  brix auth describe\n  brix -p ci auth describe -o json");
    verb->callback([&context, sensitive] {
        warn_if_exposed(configuration_file().value);
        const auto& config = context.config();
        auto settings = config.settings;
        if (config.backend == cli::Backend::Local) settings["local_root"] = local_root_setting(config);
        Json configuration = Json::object();
        for (const auto& [key, setting] : settings) {
            auto value = is_sensitive(key) && !*sensitive ? std::string(kMasked) : setting.value;
            configuration[key] = Json{{"value", value}, {"source", setting.source}};
        }
        bool local = config.backend == cli::Backend::Local;
        Json result{{"host", local ? "local engine at " + config.local_root : config.get("host")}, {"auth_type", auth_type(config)}};
        if (!local) {
            try {
                result["username"] = context.api().call(Method::Get, std::string(kMePath)).value("userName", "");
            } catch (const api::ApiError& error) {
                result["error"] = error.message();
            }
        }
        result["configuration"] = configuration;
        if (context.output_mode() == cli::OutputMode::Json) return cli::print_json(result);
        cli::print_line("Host: " + result["host"].get<std::string>());
        if (result.contains("username")) cli::print_line("User: " + result["username"].get<std::string>());
        if (result.contains("error")) cli::print_line("Unable to authenticate: " + result["error"].get<std::string>());
        cli::print_line("Authenticated with: " + result["auth_type"].get<std::string>());
        cli::print_line("-----");
        cli::print_line("Current configuration:");
        for (const auto& [key, item] : configuration.items())
            cli::print_line("  " + key + ": " + item["value"].get<std::string>() + " (from " + item["source"].get<std::string>() + ")");
    });
}

// An OAuth M2M access token from the workspace's token endpoint, with the client id and secret
// as basic credentials (rest-api.md §3.3).
Json fetch_m2m_token(const cli::ResolvedConfig& config, const cli::Context& context) {
    auto basic = config;
    for (const char* key : {"token", "client_id", "client_secret", "username", "password"}) basic.settings.erase(key);
    basic.settings["username"] = cli::Setting{config.get("client_id"), "client_id"};
    basic.settings["password"] = cli::Setting{config.get("client_secret"), "client_secret"};
    auto answer = api_for(basic, context)->call(Method::Post, "/oidc/v1/token", {{"grant_type", "client_credentials"}, {"scope", "all-apis"}});
    auto lifetime = answer.value("expires_in", std::int64_t{3600});
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return Json{{"access_token", answer.value("access_token", "")},
                {"token_type", answer.value("token_type", "Bearer")},
                {"expires_in", lifetime},
                {"expiry", cli::iso_time(now + lifetime * 1000)}};
}

void add_token(CLI::App& group, cli::Context& context) {
    auto profile = std::make_shared<std::optional<std::string>>();
    auto* verb = group.add_subcommand("token", "Print a bearer token for a profile as JSON");
    verb->add_option("PROFILE", *profile, "Profile to use (default: the one --profile or the environment selects)");
    verb->footer("A token profile prints its token; a client_id/client_secret profile gets a fresh OAuth token\n"
                 "from the workspace (POST /oidc/v1/token).\n"
                 "Examples:\n  brix auth token ci\n  curl -H \"Authorization: Bearer $(brix auth token ci | jq -r .access_token)\" ...");
    verb->callback([&context, profile] {
        auto location = configuration_file();
        warn_if_exposed(location.value);
        auto config = profile->has_value() ? cli::resolve_config(cli::ConfigRequest{*profile, process_environment, home_folder()})
                                           : context.config();
        if (!config.get("token").empty())
            return cli::print_json(Json{{"access_token", config.get("token")}, {"token_type", "Bearer"}});
        if (config.backend == cli::Backend::Local)
            throw cli::ConfigError("the local engine (" + config.local_root + ") takes no token; `brix serve` prints or writes its own");
        if (config.get("client_id").empty() || config.get("client_secret").empty())
            throw cli::ConfigError("no token and no client_id/client_secret for " + config.get("host"));
        cli::print_json(fetch_m2m_token(config, context));
    });
}

}  // namespace

void add_auth_commands(CLI::App& app, cli::Context& context) {
    auto* group = app.add_subcommand("auth", "Inspect profiles and authentication");
    group->footer("Examples:\n  brix auth profiles\n  brix -p prod auth describe");
    add_profiles(*group, context);
    add_describe(*group, context);
    add_token(*group, context);
}

}  // namespace brix::commands
