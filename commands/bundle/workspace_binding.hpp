#pragma once
// Which workspace a bundle target talks to. A target's workspace.host must agree with the host
// the command line or environment chose; when they choose none, the target's host picks the
// profile with that host (or is used with the DATABRICKS_* credentials), and workspace.profile
// names a profile outright.

#include <string>

#include "api/api.hpp"

namespace brix::cli {
class Context;
}

namespace brix::commands::bundle {

// Settles the context's configuration before its first use; returns the host to show
// ("https://...", or "local:/path" for the local engine). Throws std::runtime_error on a mismatch.
std::string bind_workspace(cli::Context& context, const api::Json& workspace, const std::string& target);

struct CurrentUser {
    std::string user_name;   // jane.doe@example.com
    std::string short_name;  // jane_doe: what development mode puts in names
};

CurrentUser current_user(api::Api& api);

}  // namespace brix::commands::bundle
