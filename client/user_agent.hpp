#pragma once
// The User-Agent brix sends, in the format of the Databricks SDKs (rest-api.md §3.5): space-separated
// key/value tokens, so a workspace admin can tell brix traffic apart, how it authenticated, and
// which command sent it:
//   brix/0.1.0 os/linux auth/pat cmd/jobs_create [upstream/X upstream-version/Y] [cicd/github]

#include <functional>
#include <optional>
#include <string>

namespace brix::client {

struct HttpConfig;

using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// "pat", "oauth-m2m" or "basic" (the SDKs' names); empty when the config carries no credentials.
std::string auth_type(const HttpConfig& config);

// The CI system brix runs in, as the SDKs name it ("github", "gitlab", ...); empty outside CI.
std::string cicd_provider(const EnvironmentLookup& environment);

// `os` is the system name as uname(2) gives it ("Linux"); every value is cut to the token alphabet
// [a-zA-Z0-9_.+-], other characters becoming '-'.
std::string user_agent(const std::string& version, const std::string& os, const HttpConfig& config,
                       const EnvironmentLookup& environment);

}  // namespace brix::client
