#include "engine/jobs/task_start.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>

extern char** environ;

namespace brix::engine::jobs {
namespace {

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

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

std::string start_error(const StartFailure& failure, const ChildLaunch& launch) {
    std::string reason = std::strerror(failure.error);
    switch (failure.stage) {
        case StartFailure::Namespace:
            return "cannot set up the task's mount namespace (" + std::string(failure.step) + ": " + reason + ")";
        case StartFailure::WorkingFolder:
            return "cannot enter the working folder " + launch.cwd + ": " + reason;
        case StartFailure::Exec:
            break;
    }
    return "cannot start " + launch.args.front() + ": " + reason;
}

}  // namespace

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        std::string item = *entry;
        if (!extra.count(item.substr(0, item.find('=')))) env.push_back(std::move(item));
    }
    for (const auto& [key, value] : extra) env.push_back(key + "=" + value);
    return env;
}

ChildLaunch plan_launch(const ProcessSpec& spec, ProcessResult& result) {
    ChildLaunch launch{spec.argv, spec.env, (spec.cwd.empty() ? spec.dir : spec.cwd).string(), std::nullopt};
    if (spec.binds.empty()) return launch;
    auto support = namespace_support(spec.namespace_scratch.parent_path());
    result.file_system = support.mode;
    result.file_system_reason = support.reason;
    launch.env_vars["BRIX_FILE_SYSTEM"] = file_system_mode_name(support.mode);
    if (support.mode == FileSystemMode::MountNamespace) {
        launch.plan.emplace(spec.binds, spec.namespace_scratch);
        launch.cwd = path_in_task(spec.binds, launch.cwd);
        for (auto& arg : launch.args) arg = path_in_task(spec.binds, arg);
        if (auto found = launch.env_vars.find("PYTHONPATH"); found != launch.env_vars.end())
            found->second = paths_in_task(spec.binds, found->second);
    }
    return launch;
}

pid_t start_child(const ChildLaunch& launch, int log, int inherit_fd, const std::function<void(pid_t)>& on_start,
                  std::string& error) {
    auto env = merged_environment(launch.env_vars);
    auto args = launch.args;
    auto argv = pointers(args);
    auto envp = pointers(env);
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + std::strerror(errno);
        return -1;
    }
    // Above the descriptors the child sets up, so that none of them lands on it.
    int kept = inherit_fd >= 0 ? ::fcntl(inherit_fd, F_DUPFD_CLOEXEC, 10) : -1;
    pid_t pid = ::fork();
    if (pid == 0) {
        reset_signals();
        ::setpgid(0, 0);
        int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(log, 1);
        ::dup2(log, 2);
        if (null > 2) ::close(null);
        if (kept >= 0) ::dup2(kept, 3);  // dup2 leaves the copy without close-on-exec
        const char* step = nullptr;
        if (launch.plan) {
            if (int failed = launch.plan->enter(&step); failed != 0) {
                report_failure(status_pipe[1], StartFailure::Namespace, failed, step);
                ::_exit(127);
            }
        }
        if (::chdir(launch.cwd.c_str()) != 0) {
            report_failure(status_pipe[1], StartFailure::WorkingFolder, errno, nullptr);
            ::_exit(127);
        }
        ::execvpe(argv[0], argv.data(), envp.data());
        report_failure(status_pipe[1], StartFailure::Exec, errno, nullptr);
        ::_exit(127);
    }
    ::close(status_pipe[1]);
    if (kept >= 0) ::close(kept);
    if (pid < 0) {
        ::close(status_pipe[0]);
        error = std::string("fork: ") + std::strerror(errno);
        return -1;
    }
    ::setpgid(pid, pid);  // also from here, so the group exists before anyone signals it
    if (on_start) on_start(pid);
    StartFailure failure{};
    if (::read(status_pipe[0], &failure, sizeof failure) == sizeof failure) error = start_error(failure, launch);
    ::close(status_pipe[0]);
    return pid;
}

}  // namespace brix::engine::jobs
