#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <string>

#include "cli/config.hpp"

namespace brix::cli {

namespace {

using Settings = std::map<std::string, Setting>;

constexpr std::string_view settings_section = "__settings__";
constexpr std::string_view default_profile = "DEFAULT";
constexpr std::string_view local_host = "local";

struct EnvAttribute {
    std::string_view variable;
    std::string_view key;
};

// The SDK's variables, plus the legacy CLI's two that brix's legacy-compatible commands read.
constexpr std::array env_attributes{
    EnvAttribute{"DATABRICKS_HOST", "host"},
    EnvAttribute{"DATABRICKS_TOKEN", "token"},
    EnvAttribute{"DATABRICKS_USERNAME", "username"},
    EnvAttribute{"DATABRICKS_PASSWORD", "password"},
    EnvAttribute{"DATABRICKS_CLIENT_ID", "client_id"},
    EnvAttribute{"DATABRICKS_CLIENT_SECRET", "client_secret"},
    EnvAttribute{"DATABRICKS_AUTH_TYPE", "auth_type"},
    EnvAttribute{"DATABRICKS_CLUSTER_ID", "cluster_id"},
    EnvAttribute{"DATABRICKS_ACCOUNT_ID", "account_id"},
    EnvAttribute{"DATABRICKS_WAREHOUSE_ID", "warehouse_id"},
    EnvAttribute{"DATABRICKS_SERVERLESS_COMPUTE_ID", "serverless_compute_id"},
    EnvAttribute{"DATABRICKS_INSECURE", "insecure"},
    EnvAttribute{"DATABRICKS_JOBS_API_VERSION", "jobs-api-version"},
};

// Since the Go CLI's PR #5702 an explicit --profile beats the environment; a profile chosen
// any other way (DATABRICKS_CONFIG_PROFILE included) does not.
enum class Precedence { EnvOverProfile, ProfileOverEnv };

struct ProfileChoice {
    std::string name;
    std::string source;
    Precedence precedence;
};

struct LoadedFile {
    Setting location;
    std::optional<IniFile> ini;  // nullopt when the file does not exist
    bool homeless = false;       // no home folder, so no default file to look for
};

// The SDKs treat a blank variable as unset, so `DATABRICKS_HOST= brix ...` clears it.
std::optional<std::string> env_value(const EnvLookup& env, std::string_view name) {
    if (!env) return std::nullopt;
    auto value = env(name);
    if (!value || value->empty()) return std::nullopt;
    return value;
}

std::string env_source(std::string_view variable) {
    return std::string(variable) + " environment variable";
}

// Without a home folder (no HOME, no passwd entry) a path under it would land at the root of the
// file system ("/.databrickscfg"): refused, naming what needed it.
std::string_view need_home(std::string_view home, std::string_view what) {
    if (home.empty())
        throw ConfigError("cannot find your home folder for " + std::string(what) +
                          ": HOME is not set and your user has no home folder in the password database; set HOME");
    return home;
}

// Only "~" and "~/..." are expanded: other users' homes are not ours to look up.
std::string expand_home(std::string_view path, std::string_view home) {
    if (path == "~") return std::string(need_home(home, path));
    if (path.starts_with("~/")) return (std::filesystem::path(need_home(home, path)) / path.substr(2)).string();
    return std::string(path);
}

const IniSection* find_profile(const LoadedFile& file, std::string_view name) {
    if (!file.ini || name == settings_section) return nullptr;
    return file.ini->find(name);
}

const IniSection& require_profile(const LoadedFile& file, const ProfileChoice& choice) {
    if (const auto* section = find_profile(file, choice.name)) return *section;
    if (file.homeless) need_home("", "profile '" + choice.name + "' (selected by " + choice.source + ")");
    const auto& path = file.location.value;
    const auto where = file.ini ? "not found in " + path : "not found: " + path + " does not exist";
    throw ConfigError("profile '" + choice.name + "' " + where + " (selected by " + choice.source + ")");
}

std::optional<ProfileChoice> default_profile_choice(const LoadedFile& file) {
    if (!file.ini) return std::nullopt;
    const auto& path = file.location.value;
    if (const auto* settings = file.ini->find(settings_section)) {
        auto name = settings->get("default_profile");
        if (name && !name->empty()) {
            return ProfileChoice{*name, "default_profile in [__settings__] of " + path,
                                 Precedence::EnvOverProfile};
        }
    }
    const auto* fallback = file.ini->find(default_profile);
    if (fallback && !fallback->get("host").value_or("").empty()) {
        return ProfileChoice{std::string(default_profile), "[DEFAULT] of " + path + ", which has a host",
                             Precedence::EnvOverProfile};
    }
    return std::nullopt;
}

std::optional<ProfileChoice> choose_profile(const ConfigRequest& request, const LoadedFile& file) {
    if (request.profile_flag && !request.profile_flag->empty()) {
        return ProfileChoice{*request.profile_flag, "--profile flag", Precedence::ProfileOverEnv};
    }
    if (auto name = env_value(request.env, "DATABRICKS_CONFIG_PROFILE")) {
        return ProfileChoice{*name, env_source("DATABRICKS_CONFIG_PROFILE"), Precedence::EnvOverProfile};
    }
    // A host in the environment means the user configured the workspace there; silently mixing
    // in a default profile's token for another workspace would be wrong (Go CLI PR #5616).
    if (env_value(request.env, "DATABRICKS_HOST")) return std::nullopt;
    return default_profile_choice(file);
}

Settings profile_settings(const IniSection& profile, const std::string& path) {
    Settings settings;
    const auto source = "profile '" + profile.name + "' in " + path;
    for (const auto& [key, value] : profile.entries) {
        if (!value.empty()) settings[key] = Setting{value, source};
    }
    return settings;
}

Settings env_settings(const EnvLookup& env) {
    Settings settings;
    for (const auto& attribute : env_attributes) {
        if (auto value = env_value(env, attribute.variable)) {
            settings[std::string(attribute.key)] = Setting{*value, env_source(attribute.variable)};
        }
    }
    return settings;
}

Settings merge(Settings preferred, const Settings& fallback) {
    for (const auto& [key, setting] : fallback) preferred.try_emplace(key, setting);
    return preferred;
}

Settings attribute_settings(const EnvLookup& env, const IniSection* profile, const std::string& path,
                            Precedence precedence) {
    auto from_env = env_settings(env);
    if (!profile) return from_env;
    auto from_profile = profile_settings(*profile, path);
    if (precedence == Precedence::ProfileOverEnv) return merge(std::move(from_profile), from_env);
    return merge(std::move(from_env), from_profile);
}

// Schemes are case-insensitive (RFC 3986); lowercasing lets "HTTPS://" compare as https.
std::string with_scheme(std::string_view host) {
    const auto scheme_end = host.find("://");
    if (scheme_end == std::string_view::npos) return "https://" + std::string(host);
    std::string url(host);
    std::transform(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(scheme_end), url.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return url;
}

bool is_local_host(std::string_view host) {
    return host == local_host || host.starts_with("local:");
}

// "local", "local:PATH" or "local://PATH"; a relative PATH is refused because it would mean a
// different engine depending on the folder brix happens to run in.
std::string local_root_for(const Setting& host, const EnvLookup& env, std::string_view home) {
    auto path = std::string_view(host.value).substr(local_host.size());
    if (path.starts_with(":")) path.remove_prefix(1);
    if (path.starts_with("//")) path.remove_prefix(2);
    if (path.empty()) return default_local_root(env, home);
    auto root = expand_home(path, home);
    if (!root.starts_with("/")) {
        throw ConfigError("host '" + host.value + "' (from " + host.source +
                          "): the local engine folder must be an absolute path or start with ~/");
    }
    while (root.size() > 1 && root.ends_with('/')) root.pop_back();
    return root;
}

void choose_backend(ResolvedConfig& config, const EnvLookup& env, std::string_view home) {
    const auto host = config.settings.find("host");
    if (host == config.settings.end()) {
        config.backend = Backend::Local;
        config.local_root = default_local_root(env, home);
        return;
    }
    if (is_local_host(host->second.value)) {
        config.backend = Backend::Local;
        config.local_root = local_root_for(host->second, env, home);
        return;
    }
    const auto normalised = normalise_host(host->second.value);
    if (!normalised) {
        throw ConfigError("host '" + host->second.value + "' (from " + host->second.source +
                          ") has no host name");
    }
    config.backend = Backend::Remote;
    host->second.value = *normalised;
}

}  // namespace

std::string ResolvedConfig::get(std::string_view key) const {
    const auto found = settings.find(std::string(key));
    return found == settings.end() ? std::string() : found->second.value;
}

Setting config_file_location(const EnvLookup& env, std::string_view home) {
    if (auto path = env_value(env, "DATABRICKS_CONFIG_FILE")) {
        return Setting{expand_home(*path, home), env_source("DATABRICKS_CONFIG_FILE")};
    }
    return Setting{(std::filesystem::path(need_home(home, "~/.databrickscfg")) / ".databrickscfg").string(), "default"};
}

std::string default_local_root(const EnvLookup& env, std::string_view home) {
    if (auto root = env_value(env, "BRIX_HOME")) {
        // A relative root would be another engine in every folder brix runs from (and tasks,
        // which run in their own folder, would not find it), as for a relative local: host.
        auto expanded = expand_home(*root, home);
        if (!expanded.starts_with("/"))
            throw ConfigError("BRIX_HOME=" + *root + ": the local engine folder must be an absolute path or start with ~/");
        return expanded;
    }
    if (auto data = env_value(env, "XDG_DATA_HOME"); data && data->starts_with("/")) {
        return (std::filesystem::path(*data) / "brix").string();
    }
    return (std::filesystem::path(need_home(home, "the local engine folder")) / ".local" / "share" / "brix").string();
}

std::optional<std::string> normalise_host(std::string_view host) {
    auto url = with_scheme(host);
    const auto scheme_end = url.find("://");
    if (scheme_end == 0) return std::nullopt;
    const auto authority_start = scheme_end + 3;
    while (url.size() > authority_start && url.ends_with('/')) url.pop_back();
    auto authority_end = std::min(url.find('/', authority_start), url.size());
    constexpr std::string_view default_https_port = ":443";
    if (url.starts_with("https://") &&
        std::string_view(url).substr(0, authority_end).ends_with(default_https_port)) {
        url.erase(authority_end - default_https_port.size(), default_https_port.size());
        authority_end -= default_https_port.size();
    }
    // Checked after the port is gone: "https://:443" names no host either.
    if (authority_end <= authority_start) return std::nullopt;
    return url;
}

ResolvedConfig resolve_config(const ConfigRequest& request) {
    ResolvedConfig config;
    // Without a home folder there is no default configuration file to read: what the environment
    // configures still works, and whatever needs the home folder (a profile from that file, the
    // default engine folder) is refused by need_home, never looked up at the file system's root.
    bool homeless = request.home.empty() && !env_value(request.env, "DATABRICKS_CONFIG_FILE");
    LoadedFile file{homeless ? Setting{"~/.databrickscfg", "default"} : config_file_location(request.env, request.home),
                    std::nullopt, homeless};
    if (!homeless) file.ini = load_ini_file(file.location.value);
    config.config_file = file.location.value;
    config.settings["config_file"] = file.location;

    const auto choice = choose_profile(request, file);
    const IniSection* profile = choice ? &require_profile(file, *choice) : nullptr;
    const auto precedence = choice ? choice->precedence : Precedence::EnvOverProfile;
    config.settings.merge(attribute_settings(request.env, profile, file.location.value, precedence));
    if (choice) {
        config.profile = choice->name;
        config.settings["profile"] = Setting{choice->name, choice->source};
    }
    choose_backend(config, request.env, request.home);
    return config;
}

}  // namespace brix::cli
