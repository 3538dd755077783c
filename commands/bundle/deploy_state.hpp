#pragma once
// What a deploy leaves behind to compare the next one with: the files uploaded (with content
// fingerprints) and the job IDs, in the workspace at <state_path>/deployment.json (so any
// machine deploying the bundle sees it) and in .databricks/bundle/<target>/deployment.json.
// Plus the lock that keeps two deploys of a target from running at once.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "commands/bundle/bundle_config.hpp"

namespace brix::commands::bundle {

struct DeployedFile {
    std::string fingerprint;
    std::string workspace_path;
};

struct DeployedJob {
    std::int64_t job_id = 0;
    std::string name;
    std::string settings_fingerprint;  // of the settings sent, to tell a changed job from the same
};

enum class StateSource { None, Workspace, Local };

struct DeploymentState {
    std::int64_t serial = 0;
    std::map<std::string, DeployedFile> files;  // by path in the bundle folder
    std::map<std::string, DeployedJob> jobs;    // by resource key
    StateSource source = StateSource::None;
};

// The workspace's state when there is one. Otherwise the local copy, but only for its job IDs:
// files it lists may not be in this workspace, so they are uploaded again.
DeploymentState read_state(api::Api& api, const Bundle& bundle);

// Bumps the serial and writes the state to the workspace and locally.
void write_state(api::Api& api, const Bundle& bundle, DeploymentState& state);

void remove_local_state(const Bundle& bundle);

std::string state_file_path(const Bundle& bundle);  // <state_path>/deployment.json

enum class LockMode { Normal, Force };

// Holds <state_path>/deploy.lock while it lives. A lock someone else holds is an error naming
// them, unless LockMode::Force (for a deploy that was killed and left its lock behind).
class DeployLock {
public:
    DeployLock(api::Api& api, const Bundle& bundle, LockMode mode);
    ~DeployLock();
    DeployLock(const DeployLock&) = delete;
    DeployLock& operator=(const DeployLock&) = delete;

private:
    api::Api& api_;
    std::string path_;
    std::string id_;
};

// Absent the way Databricks says it, old (400 "... does not exist") or new (404).
bool is_missing(const api::ApiError& error);

}  // namespace brix::commands::bundle
