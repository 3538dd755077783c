#pragma once
// `bundle deploy`: files to <file_path>, then each job created, updated or left as it is, then the
// state written. Idempotent: a second deploy with nothing changed uploads nothing, changes no job,
// and says "0 changed".

#include <cstdio>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "commands/bundle/bundle_config.hpp"
#include "commands/bundle/deploy_state.hpp"

namespace brix::cli {
class Context;
}

namespace brix::commands::bundle {

// What changes as it happens, on stderr (nothing with --quiet).
struct Progress {
    std::FILE* out = stderr;
    void line(const std::string& text) const;
};

struct FileChanges {
    std::vector<std::string> uploaded, deleted;
    std::size_t unchanged = 0;
};

// Uploads new and changed files (by content fingerprint), deletes the ones no longer in the
// bundle, and records them in `state` as it goes.
FileChanges sync_files(api::Api& api, const Bundle& bundle, DeploymentState& state, const Progress& progress);

struct JobChanges {
    std::vector<std::string> created, updated, deleted, unchanged;  // resource keys
};

// Creates, resets or deletes jobs to match the bundle, recording IDs in `state` as it goes. A
// job the state knows but the workspace no longer has is created again.
JobChanges deploy_jobs(api::Api& api, const Bundle& bundle, DeploymentState& state, const Progress& progress);

void deploy_bundle(cli::Context& context, const Bundle& bundle, LockMode lock);

}  // namespace brix::commands::bundle
