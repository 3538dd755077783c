#pragma once
// Completion values that only the backend knows, asked through the same Api as the commands,
// so they come from the workspace, the local engine or `brix serve` alike.

#include <functional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "cli/completion/completion.hpp"

namespace brix::cli::completion {

using BackendLookup = std::function<std::vector<CompletionCandidate>(api::Api&)>;

// Runs the lookup on the backend that `profile` (or, when empty, the usual resolution) selects.
// Any error gives no values. A backend that has not answered within a short deadline ends the
// process at once with nothing printed, so a TAB never hangs the shell.
std::vector<CompletionCandidate> ask_backend(Context& context, const std::string& profile, const BackendLookup& lookup);

// Each lists the candidates that start with `word`.
std::vector<CompletionCandidate> workspace_paths(api::Api& api, const std::string& word);  // "/Shared/x"
std::vector<CompletionCandidate> dbfs_paths(api::Api& api, const std::string& word);       // "dbfs:/x"
std::vector<CompletionCandidate> job_ids(api::Api& api, const std::string& word);
std::vector<CompletionCandidate> run_ids(api::Api& api, const std::string& word, const std::string& job_id);  // job_id "" = all
std::vector<CompletionCandidate> cluster_ids(api::Api& api, const std::string& word);
std::vector<CompletionCandidate> secret_scopes(api::Api& api, const std::string& word);

}  // namespace brix::cli::completion
