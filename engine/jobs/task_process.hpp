#pragma once
// One task as a child process: its own process group (so cancel and timeout stop everything it
// started), its own folder, stdout and stderr into one log, and the measures of what it used.
// The child starts clean whatever thread forked it: no blocked signals, default dispositions
// (a `brix serve` thread blocks SIGTERM and SIGINT; a shell's background job ignores SIGINT), and
// its own view of the file system (task_namespace.hpp).

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "engine/jobs/task_namespace.hpp"

namespace brix::engine::jobs {

struct ProcessSpec {
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;  // added to (and overriding) this process's environment
    std::filesystem::path dir;               // the task's own folder; the log is dir/output.log
    std::filesystem::path cwd;               // working folder (empty: `dir`)
    // The engine's folders the task sees at Databricks paths. Empty: the host's view as it is.
    // In a mount namespace, host paths under them in cwd, argv and PYTHONPATH are given to the
    // task as it sees them (root/workspace/Shared/x.py -> /Workspace/Shared/x.py).
    std::vector<Bind> binds;
    std::filesystem::path namespace_scratch;  // an empty folder of the engine's (task_namespace.hpp)
    std::int64_t timeout_ms = 0;              // 0 = none
    // A `python -m/-c/script` start with the brix runtime first on PYTHONPATH: it may be forked from
    // a warm interpreter (fork_server.hpp) instead of exec'd.
    bool python = false;
};

enum class ProcessEnd { Exited, TimedOut, Canceled };

struct ProcessResult {
    ProcessEnd end = ProcessEnd::Exited;
    int exit_code = 0;  // 128 + signal when killed by a signal
    std::int64_t wall_ms = 0;
    std::int64_t cpu_ms = 0;
    std::int64_t peak_rss_kb = 0;
    std::string spawn_error;  // set when the process could not be started
    // How /dbfs, /Workspace and /Volumes reached the task (with binds), and why not through a
    // mount namespace when they did not.
    std::optional<FileSystemMode> file_system;
    std::string file_system_reason;
    std::string start = "exec";  // "forked" when forked from a warm interpreter (brix_metrics.start)
};

// Runs the process to its end (from a warm interpreter when it can, fork_server.hpp). `cancel` is polled while it runs; `on_start` receives its pid
// (= its process group) as soon as it exists.
ProcessResult run_process(const ProcessSpec& spec, const std::atomic<bool>& cancel,
                          const std::function<void(pid_t)>& on_start);

constexpr int kStopGraceMs = 1500;

}  // namespace brix::engine::jobs
