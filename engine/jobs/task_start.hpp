#pragma once
// The one way a task's process (or the warm interpreter tasks are forked from, fork_server.hpp)
// comes into being: what it is started with, computed before the fork, and the fork itself.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "engine/jobs/task_process.hpp"

namespace brix::engine::jobs {

// A process to start, as it sees itself: in a mount namespace, paths are those inside it.
struct ChildLaunch {
    std::vector<std::string> args;
    std::map<std::string, std::string> env_vars;  // added to (and overriding) this process's environment
    std::string cwd;
    std::optional<NamespacePlan> plan;
};

// The spec's launch; records in `result` how /dbfs, /Workspace and /Volumes reach the task.
ChildLaunch plan_launch(const ProcessSpec& spec, ProcessResult& result);

// This process's environment with `extra` added (and overriding), as "NAME=value" strings.
std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra);

// Forks and execs the launch: its own process group, clean signals, stdin from /dev/null, stdout
// and stderr on `log`; `inherit_fd` (when >= 0) becomes the child's fd 3. `on_start` gets the pid
// as soon as it exists. Returns the pid (-1 when fork failed); `error` says why the program did not
// start (the child then ends with 127 and must still be reaped).
pid_t start_child(const ChildLaunch& launch, int log, int inherit_fd, const std::function<void(pid_t)>& on_start,
                  std::string& error);

}  // namespace brix::engine::jobs
