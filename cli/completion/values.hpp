#pragma once
// The values of an option or positional argument that the CLI11 tree does not list: profile
// names from the configuration file, local paths, and live values asked of the backend that the
// command line selects (workspace and DBFS paths, job, run and cluster ids, secret scopes).

#include <vector>

#include "cli/completion/completion.hpp"

namespace brix::cli::completion {

struct CompletionPoint;

// Candidates for point.word as a value of point.option. Never throws and never prints: no
// values is always an acceptable answer.
std::vector<CompletionCandidate> argument_values(const CompletionPoint& point, Context& context);

}  // namespace brix::cli::completion
