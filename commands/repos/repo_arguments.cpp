#include "commands/repos/repo_arguments.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "cli/context.hpp"

namespace brix::commands::repos {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string url_host(const std::string& url) {
    std::string rest;
    auto scheme = url.find("://");
    if (scheme != std::string::npos) {
        if (lower(url.substr(0, scheme)) == "file") return "";
        rest = url.substr(scheme + 3);
        rest = rest.substr(0, rest.find_first_of("/?#"));
        if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
        if (!rest.empty() && rest.front() == '[') return lower(rest.substr(1, rest.find(']') - 1));  // [IPv6]:port
        return lower(rest.substr(0, rest.find(':')));
    }
    if (is_local_path(url)) return "";
    rest = url.substr(0, url.find(':'));  // scp-like user@host:path
    if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
    return lower(rest);
}

bool is_local_path(const std::string& url) {
    if (url.find("://") != std::string::npos) return false;
    auto colon = url.find(':');
    auto slash = url.find('/');
    return colon == std::string::npos || (slash != std::string::npos && slash < colon);
}

std::optional<std::string> detect_provider(const std::string& url) {
    auto host = url_host(url);
    if (host == "github.com") return "gitHub";
    if (host == "gitlab.com") return "gitLab";
    if (host == "bitbucket.org") return "bitbucketCloud";
    if (host == "dev.azure.com" || ends_with(host, ".visualstudio.com")) return "azureDevOpsServices";
    if (host.rfind("git-codecommit.", 0) == 0 && ends_with(host, ".amazonaws.com")) return "awsCodeCommit";
    return std::nullopt;
}

api::Json create_body(const std::string& url, const std::optional<std::string>& provider, const std::optional<std::string>& path) {
    if (url.empty()) throw cli::UsageError("the repository URL is required (URL or --url)");
    bool local = is_local_path(url) || lower(url).rfind("file://", 0) == 0;
    auto sent_url = url;
    if (is_local_path(url)) sent_url = std::filesystem::absolute(url).lexically_normal().string();
    while (sent_url.size() > 1 && sent_url.back() == '/' && local && sent_url.find("://") == std::string::npos) sent_url.pop_back();
    api::Json body{{"url", sent_url}};
    bool given = provider && provider->find_first_not_of(" \t") != std::string::npos;
    if (given) {
        body["provider"] = *provider;
    } else if (auto detected = detect_provider(url)) {
        body["provider"] = *detected;
    } else {
        // Databricks requires a provider; a local repository (the local engine's) has none to detect.
        throw std::runtime_error("could not detect the Git provider from URL " + url +
                                 "; please give it (gitHub, gitLab, bitbucketCloud, azureDevOpsServices, gitHubEnterprise, "
                                 "bitbucketServer, gitLabEnterpriseEdition or awsCodeCommit)");
    }
    if (path) body["path"] = *path;
    return body;
}

std::optional<std::int64_t> parse_repo_id(const std::string& text) {
    if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    return std::stoll(text);
}

std::int64_t resolve_repo_id(api::Api& api, const RepoArguments& arguments) {
    int given = (arguments.id_or_path ? 1 : 0) + (arguments.repo_id ? 1 : 0) + (arguments.path ? 1 : 0);
    if (given == 0) throw cli::UsageError("give the repo: REPO_ID_OR_PATH, --repo-id or --path");
    if (given > 1) throw cli::UsageError("give the repo only once: REPO_ID_OR_PATH, --repo-id or --path");
    if (arguments.repo_id) {
        auto id = parse_repo_id(*arguments.repo_id);
        if (!id) throw cli::UsageError("--repo-id must be a number, not " + *arguments.repo_id);
        return *id;
    }
    std::string path;
    if (arguments.path) {
        path = *arguments.path;
        auto trimmed = path;
        while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
        if (trimmed.rfind("/Repos/", 0) != 0 || std::count(trimmed.begin(), trimmed.end(), '/') != 3)
            throw std::runtime_error("Repos paths must be in /Repos/{folder}/{repo} format, not " + path);
    } else {
        if (auto id = parse_repo_id(*arguments.id_or_path)) return *id;
        path = *arguments.id_or_path;
    }
    api::Json status;
    try {
        status = api.call(api::Method::Get, "/api/2.0/workspace/get-status", {{"path", path}});
    } catch (const api::ApiError& error) {
        if (error.http_status() == 404 || error.error_code() == "RESOURCE_DOES_NOT_EXIST")
            throw api::ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Can't find repo ID for " + path + ": it does not exist");
        throw;
    }
    auto type = status.value("object_type", "");
    auto id = status.value("object_id", std::int64_t{0});
    if (type == "REPO") return id;
    throw api::ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Can't find repo ID for " + path + ": it is not a repo");
}

}  // namespace brix::commands::repos
