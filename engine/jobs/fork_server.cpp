#include "engine/jobs/fork_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include "api/api.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;
using Clock = std::chrono::steady_clock;

constexpr int kServerReadyMs = 20000;  // importing the runtime on a loaded machine
constexpr int kMaxServerStarts = 3;    // per kind and engine process: then tasks start as before

// Whether the new warm interpreter says "ready" on `fd` within kServerReadyMs. A signal while
// waiting (an attached worker is sent SIGUSR1 when its CLI lets it go on alone) is no answer:
// the wait goes on for the time that is left.
bool said_ready(int fd) {
    auto deadline = Clock::now() + std::chrono::milliseconds(kServerReadyMs);
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        struct pollfd ready {fd, POLLIN, 0};
        int polled = ::poll(&ready, 1, static_cast<int>(std::max<std::int64_t>(left, 0)));
        if (polled < 0 && errno == EINTR && left > 0) continue;
        if (polled != 1) return false;
        char hello[8] = {};
        ssize_t got;
        do got = ::recv(fd, hello, sizeof hello, 0);
        while (got < 0 && errno == EINTR);
        return got == 5 && std::memcmp(hello, "ready", 5) == 0;
    }
}

// One running warm interpreter. Dropped when it is found gone: its end of the socket closes, and
// it is stopped and reaped.
struct ForkServer {
    ForkServer(pid_t server_pid, int control_fd, std::string log_path)
        : pid(server_pid), control(control_fd), log(std::move(log_path)) {}
    ~ForkServer() {
        ::close(control);
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    ForkServer(const ForkServer&) = delete;
    ForkServer& operator=(const ForkServer&) = delete;
    pid_t pid;
    int control;  // SOCK_SEQPACKET, close-on-exec: only this process holds it
    std::string log;
};

struct ServerSlot {
    std::mutex mutex;
    std::condition_variable changed;
    bool seen = false;  // a task of this kind has run
    bool starting = false;
    std::shared_ptr<ForkServer> server;
    int starts = 0;
};

// Never destroyed: the servers end with this process (their socket closes), not before it.
std::mutex registry_mutex;
auto* registry = new std::map<std::string, std::shared_ptr<ServerSlot>>();

// What fork_server.py requires to be the same for the task as for itself (its _STARTUP_*), and its
// PYTHONPATH: the runtime folder only (a task's own folders are added in the child).
std::map<std::string, std::string> server_variables(const std::vector<std::string>& env) {
    std::map<std::string, std::string> out;
    for (const auto& item : env) {
        auto eq = item.find('=');
        if (eq == std::string::npos) continue;
        auto name = item.substr(0, eq), value = item.substr(eq + 1);
        if (name == "PYTHONPATH") out[name] = value.substr(0, value.find(':'));
        else if (name.rfind("PYTHON", 0) == 0 || name.rfind("LC_", 0) == 0 || name == "LANG" || name == "PATH" ||
                 name == "HOME" || name == "BRIX_ROOT" || name == "BRIX_FILE_SYSTEM")
            out[name] = value;
    }
    return out;
}

std::shared_ptr<ForkServer> start_server(const ChildLaunch& task, const std::map<std::string, std::string>& variables,
                                         const std::string& key) {
    auto root = variables.find("BRIX_ROOT");
    if (root == variables.end() || variables.find("PYTHONPATH") == variables.end()) return nullptr;
    auto dir = std::filesystem::path(root->second) / "fork-servers";
    ::mkdir(dir.c_str(), 0700);  // private, as every folder of the root
    auto log_path = (dir / (std::to_string(std::hash<std::string>{}(key) % 1000000007) + ".log")).string();
    // Its own log, not the engine's stdio: whoever waits for the engine's output must not wait for it.
    int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log < 0) return nullptr;
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
        ::close(log);
        return nullptr;
    }
    ChildLaunch launch{{task.args.front(), "-m", "brix_runtime.fork_server"}, variables, root->second, task.plan};
    std::string error;
    pid_t pid = start_child(launch, log, pair[1], nullptr, error);
    ::close(log);
    ::close(pair[1]);
    if (pid < 0) {
        ::close(pair[0]);
        return nullptr;
    }
    auto server = std::make_shared<ForkServer>(pid, pair[0], log_path);
    // First, the environment it was given: what its launcher (a pyenv shim) changed is done again
    // for each task.
    auto given = Json(merged_environment(variables)).dump(-1, ' ', false, Json::error_handler_t::replace);
    if (error.empty() && ::send(pair[0], given.data(), given.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(given.size()) &&
        said_ready(pair[0]))
        return server;
    // Why, for whoever looks at the log: tasks of this kind start fresh meanwhile.
    if (error.empty()) error = "it did not say it was ready";
    std::ofstream(log_path, std::ios::app) << "brix: the warm interpreter could not be used: " << error << "\n";
    return nullptr;
}

// The warm interpreter for `key`. The first task of a kind is started as before and starts none
// (a run of one task, as a CLI `run-now` often is, would only pay for a warm-up it cannot use);
// the second starts it and waits for it, as do the tasks that come meanwhile.
std::shared_ptr<ForkServer> server_for(const std::string& key, const ChildLaunch& task,
                                       const std::map<std::string, std::string>& variables) {
    std::shared_ptr<ServerSlot> slot;
    {
        std::lock_guard lock(registry_mutex);
        auto& entry = (*registry)[key];
        if (!entry) entry = std::make_shared<ServerSlot>();
        slot = entry;
    }
    std::unique_lock lock(slot->mutex);
    if (!slot->seen) {
        slot->seen = true;
        return nullptr;
    }
    if (!slot->server && !slot->starting && slot->starts < kMaxServerStarts) {
        ++slot->starts;
        slot->starting = true;
        lock.unlock();
        auto server = start_server(task, variables, key);
        lock.lock();
        slot->server = std::move(server);
        slot->starting = false;
        slot->changed.notify_all();
    }
    slot->changed.wait(lock, [&] { return !slot->starting; });
    return slot->server;
}

void forget(const std::string& key, const std::shared_ptr<ForkServer>& server) {
    std::shared_ptr<ServerSlot> slot;
    {
        std::lock_guard lock(registry_mutex);
        slot = (*registry)[key];
    }
    std::lock_guard lock(slot->mutex);
    if (slot->server == server) slot->server.reset();
}

bool send_request(int control, const std::string& request, int reply, int log) {
    struct iovec data {const_cast<char*>(request.data()), request.size()};
    union {
        char buffer[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } control_buffer{};
    struct msghdr message {};
    message.msg_iov = &data;
    message.msg_iovlen = 1;
    message.msg_control = control_buffer.buffer;
    message.msg_controllen = sizeof control_buffer.buffer;
    auto* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int fds[2] = {reply, log};
    std::memcpy(CMSG_DATA(header), fds, sizeof fds);
    return ::sendmsg(control, &message, MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
}

// The server's JSON lines on a task's reply socket.
class ReplyReader {
public:
    explicit ReplyReader(int fd) : fd_(fd) {}
    // The next line; nullopt at the end (the server is gone) or after `wait_ms` (-1: no limit)
    // with `timed_out` set.
    std::optional<Json> next(int wait_ms, bool& timed_out) {
        timed_out = false;
        for (;;) {
            if (auto newline = buffer_.find('\n'); newline != std::string::npos) {
                auto line = buffer_.substr(0, newline);
                buffer_.erase(0, newline + 1);
                auto parsed = Json::parse(line, nullptr, false);
                if (parsed.is_object()) return parsed;
                return std::nullopt;
            }
            struct pollfd readable {fd_, POLLIN, 0};
            int ready = ::poll(&readable, 1, wait_ms);
            if (ready == 0) {
                timed_out = true;
                return std::nullopt;
            }
            if (ready < 0 && errno == EINTR) continue;
            char chunk[512];
            ssize_t got = ::read(fd_, chunk, sizeof chunk);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) return std::nullopt;
            buffer_.append(chunk, static_cast<std::size_t>(got));
        }
    }

private:
    int fd_;
    std::string buffer_;
};

// The forked task to its end: like run_process's wait, on the reply socket instead of a pidfd.
ProcessResult wait_forked(ReplyReader& reader, pid_t pid, Clock::time_point start, std::int64_t timeout_ms,
                          const std::atomic<bool>& cancel, const std::string& server_log) {
    ProcessResult result;
    result.start = "forked";
    auto deadline = timeout_ms > 0 ? start + std::chrono::milliseconds(timeout_ms) : Clock::time_point::max();
    std::optional<Json> status;
    bool timed_out = false;
    for (;;) {
        status = reader.next(50, timed_out);
        if (!timed_out) break;
        if (cancel.load() || Clock::now() >= deadline) {
            result.end = cancel.load() ? ProcessEnd::Canceled : ProcessEnd::TimedOut;
            ::kill(-pid, SIGTERM);
            status = reader.next(kStopGraceMs, timed_out);
            if (timed_out) {
                ::kill(-pid, SIGKILL);
                status = reader.next(-1, timed_out);
            }
            break;
        }
    }
    result.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    if (!status || !status->contains("status")) {
        ::kill(-pid, SIGKILL);
        result.exit_code = 128 + SIGKILL;
        result.spawn_error = "the warm interpreter this task was forked from ended while the task ran (its log: " +
                             server_log + ")";
        return result;
    }
    int wait_status = status->value("status", 0);
    result.exit_code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
    result.cpu_ms = status->value("cpu_ms", std::int64_t{0});
    result.peak_rss_kb = status->value("peak_rss_kb", std::int64_t{0});
    ::kill(-pid, SIGKILL);  // the server did; again in case it could not
    return result;
}

}  // namespace

bool prefork_enabled() {
    const char* value = std::getenv("BRIX_PREFORK");
    return !(value && std::string(value) == "0");
}

std::optional<ProcessResult> run_forked(const ChildLaunch& launch, int log, std::int64_t timeout_ms,
                                        const std::atomic<bool>& cancel, const std::function<void(pid_t)>& on_start) {
    auto env = merged_environment(launch.env_vars);
    auto variables = server_variables(env);
    std::string key = launch.args.front();
    for (const auto& [name, value] : variables) key += "\n" + name + "=" + value;
    std::string request;
    try {
        request = Json{{"argv", launch.args}, {"env", env}, {"cwd", launch.cwd}}.dump();
    } catch (const Json::exception&) {
        return std::nullopt;  // not UTF-8: started as before, byte for byte
    }
    auto server = server_for(key, launch, variables);
    if (!server) return std::nullopt;
    int reply[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, reply) != 0) return std::nullopt;
    auto start = Clock::now();
    bool sent = send_request(server->control, request, reply[1], log);
    int send_error = errno;
    ::close(reply[1]);
    ReplyReader reader(reply[0]);
    bool timed_out = false;
    auto answer = sent ? reader.next(-1, timed_out) : std::nullopt;
    if (!answer || !answer->contains("pid")) {
        ::close(reply[0]);
        // Gone (or never answered): a new one is started for the next task. Declined or too large: kept.
        if ((!sent && send_error != EMSGSIZE) || (sent && !answer)) forget(key, server);
        return std::nullopt;
    }
    pid_t pid = answer->value("pid", 0);
    if (on_start) on_start(pid);
    auto result = wait_forked(reader, pid, start, timeout_ms, cancel, server->log);
    ::close(reply[0]);
    if (!result.spawn_error.empty()) forget(key, server);
    return result;
}

}  // namespace brix::engine::jobs
