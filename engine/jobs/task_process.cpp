#include "engine/jobs/task_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "engine/jobs/fork_server.hpp"
#include "engine/jobs/task_start.hpp"

namespace brix::engine::jobs {
namespace {

using Clock = std::chrono::steady_clock;

int pidfd_for(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

}  // namespace

ProcessResult run_process(const ProcessSpec& spec, const std::atomic<bool>& cancel,
                          const std::function<void(pid_t)>& on_start) {
    ProcessResult result;
    auto log_path = spec.dir / "output.log";
    int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log < 0) {
        result.spawn_error = "cannot create " + log_path.string() + ": " + std::strerror(errno);
        return result;
    }
    auto launch = plan_launch(spec, result);
    if (spec.python && prefork_enabled()) {
        if (auto forked = run_forked(launch, log, spec.timeout_ms, cancel, on_start)) {
            ::close(log);
            forked->file_system = result.file_system;
            forked->file_system_reason = result.file_system_reason;
            return *forked;
        }
    }
    auto start = Clock::now();
    pid_t pid = start_child(launch, log, -1, on_start, result.spawn_error);
    ::close(log);
    if (pid < 0) return result;

    // Sleep on the pidfd so the task's end is seen at once (a 100 ms task must not wait for a
    // polling tick), waking every 50 ms to look at cancel and the deadline.
    int pidfd = pidfd_for(pid);
    auto deadline = spec.timeout_ms > 0 ? start + std::chrono::milliseconds(spec.timeout_ms) : Clock::time_point::max();
    int status = 0;
    struct rusage usage {};
    for (;;) {
        if (::wait4(pid, &status, WNOHANG, &usage) == pid) {
            ::kill(-pid, SIGKILL);  // what the task left running in the background ends with it
            break;
        }
        if (cancel.load() || Clock::now() >= deadline) {
            result.end = cancel.load() ? ProcessEnd::Canceled : ProcessEnd::TimedOut;
            // SIGTERM, then SIGKILL after the grace period. The task is reaped while waiting: an
            // unreaped zombie still counts as a member of the group, so stop_process_group()
            // would wait out the whole grace period even for a task that ended at once.
            ::kill(-pid, SIGTERM);
            auto grace_end = Clock::now() + std::chrono::milliseconds(kStopGraceMs);
            bool reaped = false;
            while (!(reaped = ::wait4(pid, &status, WNOHANG, &usage) == pid) && Clock::now() < grace_end) {
                if (pidfd >= 0) {
                    struct pollfd poll_fd {pidfd, POLLIN, 0};
                    ::poll(&poll_fd, 1, 20);
                } else {
                    ::usleep(5000);
                }
            }
            ::kill(-pid, SIGKILL);  // anything the task left behind in its group
            if (!reaped) ::wait4(pid, &status, 0, &usage);
            break;
        }
        if (pidfd >= 0) {
            struct pollfd poll_fd {pidfd, POLLIN, 0};
            ::poll(&poll_fd, 1, 50);
        } else {
            ::usleep(5000);
        }
    }
    if (pidfd >= 0) ::close(pidfd);
    result.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    result.cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000 + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000;
    result.peak_rss_kb = usage.ru_maxrss;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace brix::engine::jobs
