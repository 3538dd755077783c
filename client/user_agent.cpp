#include "client/user_agent.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include "client/http_api.hpp"

namespace brix::client {
namespace {

// Keys and values of a User-Agent token match [a-zA-Z0-9_.+-]+ (the SDKs refuse anything else).
std::string token_value(std::string text) {
    for (auto& c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '+' && c != '-') c = '-';
    return text;
}

// How the SDKs detect a CI system: every variable set, to the given value when one is given.
struct CiProvider {
    const char* name;
    std::vector<std::pair<const char*, const char*>> variables;
};

const std::array<CiProvider, 10>& ci_providers() {
    static const std::array<CiProvider, 10> providers{{
        {"aws-code-build", {{"CODEBUILD_BUILD_ARN", ""}}},
        {"azure-devops", {{"TF_BUILD", "True"}}},
        {"bitbucket", {{"BITBUCKET_BUILD_NUMBER", ""}}},
        {"circle", {{"CIRCLECI", "true"}}},
        {"github", {{"GITHUB_ACTIONS", "true"}}},
        {"gitlab", {{"GITLAB_CI", "true"}}},
        {"google-cloud-build", {{"PROJECT_ID", ""}, {"BUILD_ID", ""}, {"PROJECT_NUMBER", ""}, {"LOCATION", ""}}},
        {"jenkins", {{"JENKINS_URL", ""}}},
        {"tf-cloud", {{"TFC_RUN_ID", ""}}},
        {"travis", {{"TRAVIS", "true"}}},
    }};
    return providers;
}

}  // namespace

std::string auth_type(const HttpConfig& config) {
    if (!config.token.empty()) return "pat";
    if (!config.client_id.empty()) return "oauth-m2m";
    if (!config.username.empty()) return "basic";
    return "";
}

std::string cicd_provider(const EnvironmentLookup& environment) {
    // Sorted by name, the first match wins: the same answer whatever the order of detection.
    for (const auto& provider : ci_providers()) {
        bool found = std::all_of(provider.variables.begin(), provider.variables.end(), [&](const auto& variable) {
            auto value = environment(variable.first);
            return value && (*variable.second == '\0' || *value == variable.second);
        });
        if (found) return provider.name;
    }
    return "";
}

std::string user_agent(const std::string& version, const std::string& os, const HttpConfig& config,
                       const EnvironmentLookup& environment) {
    std::string lower_os = os;
    std::transform(lower_os.begin(), lower_os.end(), lower_os.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::vector<std::pair<std::string, std::string>> parts{{"brix", version}, {"os", lower_os}};
    if (auto auth = auth_type(config); !auth.empty()) parts.emplace_back("auth", auth);
    if (!config.command.empty()) parts.emplace_back("cmd", config.command);
    auto upstream = environment("DATABRICKS_SDK_UPSTREAM");
    auto upstream_version = environment("DATABRICKS_SDK_UPSTREAM_VERSION");
    if (upstream && upstream_version && !upstream->empty() && !upstream_version->empty()) {
        parts.emplace_back("upstream", *upstream);
        parts.emplace_back("upstream-version", *upstream_version);
    }
    if (auto ci = cicd_provider(environment); !ci.empty()) parts.emplace_back("cicd", ci);
    std::string header;
    for (const auto& [key, value] : parts) {
        if (value.empty()) continue;
        if (!header.empty()) header += ' ';
        header += key + "/" + token_value(value);
    }
    return header;
}

}  // namespace brix::client
