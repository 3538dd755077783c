#include "engine/jobs/launcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

#include "engine/jobs/executor.hpp"

namespace brix::engine::jobs {
namespace {

constexpr int kAckFd = 3;  // the attached worker's end of the detach handshake

std::string self_binary() {
    std::error_code error;
    auto path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? "brix" : path.string();
}

void redirect_stdio_to_null() {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    if (null > 2) ::close(null);
}

void on_detach(int) {
    ::prctl(PR_SET_PDEATHSIG, 0);
    char ack = 'd';
    (void)!::write(kAckFd, &ack, 1);
}

// Ctrl-C on a CLI waiting for its run stops the waiting, not the run (as on Databricks): the
// attached workers are told to go on alone before this process dies of the signal, else their
// parent-death signal would kill them with it. Only async-signal-safe calls in the handler.
constexpr int kMaxAttached = 64;
std::atomic<pid_t> g_attached_pid[kMaxAttached];
std::atomic<int> g_attached_fd[kMaxAttached];

void on_interrupt(int sig) {
    for (int i = 0; i < kMaxAttached; ++i) {
        pid_t pid = g_attached_pid[i].load();
        int fd = g_attached_fd[i].load();
        if (pid <= 0 || fd < 0 || ::kill(pid, SIGUSR1) != 0) continue;
        struct pollfd ack {fd, POLLIN, 0};
        ::poll(&ack, 1, 2000);
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

void remember_attached(pid_t pid, int ack_fd) {
    static std::once_flag handler_installed;
    std::call_once(handler_installed, [] {
        struct sigaction current {};
        ::sigaction(SIGINT, nullptr, &current);
        if (current.sa_handler != SIG_DFL) return;  // ignored (a background job) or handled by someone else
        struct sigaction action {};
        action.sa_handler = on_interrupt;
        ::sigaction(SIGINT, &action, nullptr);
    });
    for (int i = 0; i < kMaxAttached; ++i) {
        pid_t free_slot = 0;
        if (g_attached_pid[i].compare_exchange_strong(free_slot, -1)) {
            g_attached_fd[i].store(ack_fd);
            g_attached_pid[i].store(pid);
            return;
        }
    }
}

void forget_attached(pid_t pid) {
    for (int i = 0; i < kMaxAttached; ++i) {
        if (g_attached_pid[i].load() != pid) continue;
        g_attached_fd[i].store(-1);
        g_attached_pid[i].store(0);
    }
}

}  // namespace

pid_t RunLauncher::launch(std::int64_t run_id) {
    if (mode_ == RunExecution::InProcess) {
        std::lock_guard lock(mutex_);
        threads_.emplace_back([root = root_, run_id] {
            try {
                jobs::execute_run(root, run_id);
            } catch (const std::exception& error) {
                std::fprintf(stderr, "brix: run %lld: %s\n", static_cast<long long>(run_id), error.what());
            }
        });
        return 0;
    }
    return spawn_worker(run_id, mode_ == RunExecution::AttachedWorker);
}

pid_t RunLauncher::spawn_worker(std::int64_t run_id, bool attached) {
    auto binary = self_binary();
    auto root = root_.string();
    auto id = std::to_string(run_id);
    auto parent = std::to_string(::getpid());
    int pipe_fds[2] = {-1, -1};  // attached: the detach handshake; detached: the worker's pid
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        throw std::runtime_error("cannot start a run worker: " + std::string(std::strerror(errno)));
    }
    if (pid == 0) {
        if (attached) {
            ::dup2(pipe_fds[1], kAckFd);  // dup2 clears close-on-exec on the copy
            ::execl(binary.c_str(), binary.c_str(), "__execute-run", root.c_str(), id.c_str(), "--attached", parent.c_str(), nullptr);
            ::_exit(127);
        }
        // Detached: a new session, then a second fork so init adopts the worker and no zombie is
        // left; the middle process tells the launcher which pid the worker got.
        ::setsid();
        if (pid_t worker = ::fork(); worker != 0) {
            if (worker > 0) (void)!::write(pipe_fds[1], &worker, sizeof worker);
            ::_exit(0);
        }
        redirect_stdio_to_null();
        ::execl(binary.c_str(), binary.c_str(), "__execute-run", root.c_str(), id.c_str(), "--from", parent.c_str(), nullptr);
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    if (!attached) {
        // Signals (a progress timer, libFuzzer's alarm) interrupt these waits: retried, or the
        // launch would fail for a worker that started fine.
        pid_t worker = 0;
        ssize_t got;
        do got = ::read(pipe_fds[0], &worker, sizeof worker);
        while (got < 0 && errno == EINTR);
        ::close(pipe_fds[0]);
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        if (got != static_cast<ssize_t>(sizeof worker) || worker <= 0) throw std::runtime_error("cannot start a run worker");
        return worker;
    }
    std::lock_guard lock(mutex_);
    attached_.push_back({pid, pipe_fds[0]});
    remember_attached(pid, pipe_fds[0]);
    return pid;
}

RunLauncher::~RunLauncher() {
    for (auto& thread : threads_) thread.join();
    for (const auto& worker : attached_) {
        if (::waitpid(worker.pid, nullptr, WNOHANG) == 0) {
            // Still running: let it finish the run on its own, and wait for it to say it will.
            ::kill(worker.pid, SIGUSR1);
            struct pollfd fd {worker.ack_fd, POLLIN, 0};
            ::poll(&fd, 1, 2000);
        }
        forget_attached(worker.pid);
        ::close(worker.ack_fd);
    }
}

int run_worker(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: brix __execute-run ROOT RUN_ID [--attached PARENT_PID | --from LAUNCHER_PID]\n");
        return 2;
    }
    pid_t launcher = argc >= 6 ? static_cast<pid_t>(std::stol(argv[5])) : 0;
    if (argc >= 6 && std::string(argv[4]) == "--attached") {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::fcntl(kAckFd, F_SETFD, FD_CLOEXEC);  // task processes must not inherit it
        if (::getppid() != launcher) return 1;  // the parent is already gone
        struct sigaction action {};
        action.sa_handler = on_detach;
        ::sigaction(SIGUSR1, &action, nullptr);
        ::signal(SIGINT, SIG_IGN);  // Ctrl-C is for the waiting CLI; this worker goes when it goes
    }
    try {
        jobs::execute_run(argv[2], std::stoll(argv[3]), launcher);
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "brix worker: run %s: %s\n", argv[3], error.what());
        return 1;
    }
}

}  // namespace brix::engine::jobs
