#include "commands/bundle/workspace_binding.hpp"

#include <cctype>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <vector>

#include "cli/config.hpp"
#include "cli/context.hpp"
#include "cli/strings.hpp"

namespace brix::commands::bundle {
namespace {

std::optional<std::string> environment(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value || !*value) return std::nullopt;
    return std::string(value);
}

std::string home() { return cli::home_folder(); }

bool is_local(const std::string& host) { return host == "local" || host.starts_with("local:"); }

// The profiles of the configuration file whose host is `host`.
std::vector<std::string> profiles_with_host(const std::string& host) {
    std::vector<std::string> names;
    auto file = cli::load_ini_file(cli::config_file_location(environment, home()).value);
    if (!file) return names;
    auto wanted = cli::normalise_host(host);
    for (const auto& section : file->sections) {
        auto value = section.get("host");
        if (section.name == "__settings__" || !value) continue;
        if (is_local(host) ? *value == host : cli::normalise_host(*value) == wanted) names.push_back(section.name);
    }
    return names;
}

// Nothing on the command line or in the environment chooses a workspace: the bundle may.
bool nothing_chosen(const cli::Context& context) {
    return !context.options.profile && !environment("DATABRICKS_CONFIG_PROFILE") && !environment("DATABRICKS_HOST");
}

void choose_from_bundle(cli::Context& context, const std::string& host, const std::string& profile) {
    if (!profile.empty()) {
        context.options.profile = profile;
        return;
    }
    if (host.empty()) return;
    auto matching = profiles_with_host(host);
    if (matching.size() > 1)
        throw std::runtime_error("several profiles have host " + host + " (" + matching[0] + ", " + matching[1] +
                                 "): choose one with --profile");
    if (matching.size() == 1) {
        context.options.profile = matching.front();
        return;
    }
    // No profile for that host: it is used with whatever credentials the environment has (and,
    // as with DATABRICKS_HOST set by hand, not with the default profile's, made for another host).
    setenv("DATABRICKS_HOST", host.c_str(), 1);
}

bool same_workspace(const std::string& host, const cli::ResolvedConfig& config) {
    if (is_local(host)) {
        if (config.backend != cli::Backend::Local) return false;
        auto root = host.substr(std::string_view("local").size());
        while (root.starts_with(":") || root.starts_with("//")) root.erase(0, root.starts_with(":") ? 1 : 2);
        return root.empty() || root == config.local_root;
    }
    return config.backend == cli::Backend::Remote && cli::normalise_host(host) == config.get("host");
}

}  // namespace

std::string string_value(const api::Json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

std::string bind_workspace(cli::Context& context, const api::Json& workspace, const std::string& target) {
    auto host = string_value(workspace, "host");
    auto profile = string_value(workspace, "profile");
    if (host.find("${") != std::string::npos || profile.find("${") != std::string::npos)
        throw std::runtime_error("workspace.host and workspace.profile cannot use ${...} references: they are needed before anything is resolved");
    if (nothing_chosen(context)) choose_from_bundle(context, host, profile);
    const auto& config = context.config();
    auto configured = config.backend == cli::Backend::Local ? "local:" + config.local_root : config.get("host");
    if (!host.empty() && !same_workspace(host, config)) {
        auto source = config.settings.count("host") ? " (from " + config.settings.at("host").source + ")" : " (nothing configured)";
        throw std::runtime_error("target " + target + " deploys to workspace.host " + host + ", but this command uses " +
                                 configured + source + ": choose the matching profile with --profile, or change the host");
    }
    return configured;
}

CurrentUser current_user(api::Api& api) {
    auto me = api.call(api::Method::Get, "/api/2.0/preview/scim/v2/Me");
    CurrentUser user;
    user.user_name = me.is_object() && me.contains("userName") && me["userName"].is_string() ? me["userName"].get<std::string>() : "";
    if (user.user_name.empty()) throw std::runtime_error("the workspace did not say who the current user is (scim/v2/Me has no userName)");
    user.short_name = user.user_name.substr(0, user.user_name.find('@'));
    for (auto& c : user.short_name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return user;
}

}  // namespace brix::commands::bundle
