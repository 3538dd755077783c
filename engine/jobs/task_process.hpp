#pragma once
// One task as a child process: its own process group (so cancel and timeout stop everything it
// started), its own folder, stdout and stderr into one log, and the measures of what it used.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace brix::engine::jobs {

struct ProcessSpec {
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;  // added to (and overriding) this process's environment
    std::filesystem::path dir;               // working folder; the log is dir/output.log
    std::int64_t timeout_ms = 0;             // 0 = none
};

enum class ProcessEnd { Exited, TimedOut, Canceled };

struct ProcessResult {
    ProcessEnd end = ProcessEnd::Exited;
    int exit_code = 0;  // 128 + signal when killed by a signal
    std::int64_t wall_ms = 0;
    std::int64_t cpu_ms = 0;
    std::int64_t peak_rss_kb = 0;
    std::string spawn_error;  // set when the process could not be started
};

// Runs the process to its end. `cancel` is polled while it runs; `on_start` receives its pid
// (= its process group) as soon as it exists.
ProcessResult run_process(const ProcessSpec& spec, const std::atomic<bool>& cancel,
                          const std::function<void(pid_t)>& on_start);

constexpr int kStopGraceMs = 1500;

}  // namespace brix::engine::jobs
