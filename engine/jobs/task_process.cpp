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

#include "engine/jobs/process_info.hpp"

extern char** environ;

namespace brix::engine::jobs {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        std::string item = *entry;
        if (!extra.count(item.substr(0, item.find('=')))) env.push_back(std::move(item));
    }
    for (const auto& [key, value] : extra) env.push_back(key + "=" + value);
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int pidfd_for(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// What a child that could not exec says through the status pipe (written with plain system calls:
// the child of a threaded parent must not allocate).
struct StartFailure {
    enum Stage : int { Namespace, WorkingFolder, Exec } stage;
    int error;
    char step[40];
};

void report_failure(int fd, StartFailure::Stage stage, int error, const char* step) {
    StartFailure failure{stage, error, {}};
    for (std::size_t i = 0; step && step[i] && i + 1 < sizeof failure.step; ++i) failure.step[i] = step[i];
    (void)!::write(fd, &failure, sizeof failure);
}

// Signals as a freshly started program expects them, whatever the forking thread had.
void reset_signals() {
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &defaults, nullptr);
}

std::string start_error(const StartFailure& failure, const ProcessSpec& spec, const std::string& cwd) {
    std::string reason = std::strerror(failure.error);
    switch (failure.stage) {
        case StartFailure::Namespace:
            return "cannot set up the task's mount namespace (" + std::string(failure.step) + ": " + reason + ")";
        case StartFailure::WorkingFolder:
            return "cannot enter the working folder " + cwd + ": " + reason;
        case StartFailure::Exec:
            break;
    }
    return "cannot start " + spec.argv.front() + ": " + reason;
}

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
    auto env_vars = spec.env;
    auto args = spec.argv;
    std::string cwd = (spec.cwd.empty() ? spec.dir : spec.cwd).string();
    std::optional<NamespacePlan> plan;
    if (!spec.binds.empty()) {
        auto support = namespace_support(spec.namespace_scratch.parent_path());
        result.file_system = support.mode;
        result.file_system_reason = support.reason;
        env_vars["BRIX_FILE_SYSTEM"] = file_system_mode_name(support.mode);
        if (support.mode == FileSystemMode::MountNamespace) {
            plan.emplace(spec.binds, spec.namespace_scratch);
            cwd = path_in_task(spec.binds, cwd);
            for (auto& arg : args) arg = path_in_task(spec.binds, arg);
            if (auto found = env_vars.find("PYTHONPATH"); found != env_vars.end()) found->second = paths_in_task(spec.binds, found->second);
        }
    }
    auto env = merged_environment(env_vars);
    auto argv = pointers(args);
    auto envp = pointers(env);
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
        ::close(log);
        result.spawn_error = std::string("pipe: ") + std::strerror(errno);
        return result;
    }
    auto start = Clock::now();
    pid_t pid = ::fork();
    if (pid == 0) {
        reset_signals();
        ::setpgid(0, 0);
        int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(log, 1);
        ::dup2(log, 2);
        if (null > 2) ::close(null);
        const char* step = nullptr;
        if (plan) {
            if (int error = plan->enter(&step); error != 0) {
                report_failure(status_pipe[1], StartFailure::Namespace, error, step);
                ::_exit(127);
            }
        }
        if (::chdir(cwd.c_str()) != 0) {
            report_failure(status_pipe[1], StartFailure::WorkingFolder, errno, nullptr);
            ::_exit(127);
        }
        ::execvpe(argv[0], argv.data(), envp.data());
        report_failure(status_pipe[1], StartFailure::Exec, errno, nullptr);
        ::_exit(127);
    }
    ::close(status_pipe[1]);
    ::close(log);
    if (pid < 0) {
        ::close(status_pipe[0]);
        result.spawn_error = std::string("fork: ") + std::strerror(errno);
        return result;
    }
    ::setpgid(pid, pid);  // also from here, so the group exists before anyone signals it
    on_start(pid);
    StartFailure failure{};
    if (::read(status_pipe[0], &failure, sizeof failure) == sizeof failure) result.spawn_error = start_error(failure, spec, cwd);
    ::close(status_pipe[0]);

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
