#pragma once
// What users give the repos verbs, checked before any request: the Git provider found from the
// URL's host as both Databricks CLIs do, local repositories made absolute, and a repo named by
// ID or by workspace path (resolved with workspace/get-status, like the new CLI).

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.hpp"

namespace brix::commands::repos {

// github.com -> gitHub, gitlab.com -> gitLab, bitbucket.org -> bitbucketCloud, dev.azure.com (and
// *.visualstudio.com) -> azureDevOpsServices, git-codecommit.<region>.amazonaws.com ->
// awsCodeCommit. User info and case are ignored; nullopt for any other host.
std::optional<std::string> detect_provider(const std::string& url);

// The host of https://, ssh://, git:// URLs and of scp-like user@host:path; "" for local ones.
std::string url_host(const std::string& url);

// A path rather than a URL: no scheme and no scp-like host.
bool is_local_path(const std::string& url);

// The request body of repos/create: a local path becomes absolute (the engine may run in
// another process), the provider is detected when not given (not needed for local repositories).
// Throws std::runtime_error when a remote URL's provider cannot be detected.
api::Json create_body(const std::string& url, const std::optional<std::string>& provider, const std::optional<std::string>& path);

// "123" -> 123; anything else is a workspace path.
std::optional<std::int64_t> parse_repo_id(const std::string& text);

// REPO_ID_OR_PATH, --repo-id or --path (exactly one) to the repo's ID.
struct RepoArguments {
    std::optional<std::string> id_or_path;  // positional (new CLI)
    std::optional<std::string> repo_id;     // --repo-id (legacy)
    std::optional<std::string> path;        // --path (legacy)
};
std::int64_t resolve_repo_id(api::Api& api, const RepoArguments& arguments);

}  // namespace brix::commands::repos
