#include "engine/repos/git.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

extern char** environ;

namespace brix::engine::repos::git {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxCaptured = 1 << 20;  // per stream; git's answers we read are small

// Inherited variables that would point git at another repository (brix started from a git hook).
const std::set<std::string> kDropped = {"GIT_DIR",          "GIT_WORK_TREE",    "GIT_INDEX_FILE",
                                        "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                                        "GIT_COMMON_DIR",   "GIT_NAMESPACE",    "GIT_PREFIX"};

std::string find_git() {
    const char* path = std::getenv("PATH");
    std::string dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        auto end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        auto candidate = (end > start ? dirs.substr(start, end - start) : std::string(".")) + "/git";
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    throw api::ApiError(500, "INTERNAL_ERROR",
                        "git is not installed: brix needs the git command on PATH for repos and for jobs with git_source");
}

std::vector<std::string> git_environment() {
    std::vector<std::pair<std::string, std::string>> forced = {
        {"GIT_TERMINAL_PROMPT", "0"},  // fail instead of asking for a user name
        {"GCM_INTERACTIVE", "never"},
        {"LC_ALL", "C"},  // messages in English, so they can be classified
    };
    // Abort a transfer slower than 1 KB/s for a minute, unless the user chose otherwise.
    std::vector<std::pair<std::string, std::string>> defaults = {
        {"GIT_HTTP_LOW_SPEED_LIMIT", "1000"},
        {"GIT_HTTP_LOW_SPEED_TIME", "60"},
        {"GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=30"},
    };
    std::vector<std::string> env;
    std::set<std::string> present;
    for (char** entry = environ; *entry; ++entry) {
        std::string item = *entry;
        auto name = item.substr(0, item.find('='));
        if (kDropped.count(name)) continue;
        bool overridden = std::any_of(forced.begin(), forced.end(), [&](const auto& f) { return f.first == name; });
        if (overridden) continue;
        present.insert(name);
        env.push_back(std::move(item));
    }
    for (const auto& [name, value] : forced) env.push_back(name + "=" + value);
    for (const auto& [name, value] : defaults)
        if (!present.count(name) && !(name == "GIT_SSH_COMMAND" && present.count("GIT_SSH"))) env.push_back(name + "=" + value);
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

bool contains(std::string_view text, std::string_view needle) { return text.find(needle) != std::string_view::npos; }

bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles) {
    return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) { return contains(text, n); });
}

// git's own words, minus hints and the "fatal: " noise, on one line.
std::string git_message(const Result& result) {
    std::string message;
    std::size_t start = 0;
    const auto& text = result.err;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty() || line.rfind("hint:", 0) == 0 || line.rfind("Cloning into", 0) == 0) continue;
        // git's boilerplate after a failed connection says nothing the first line did not.
        if (line == "fatal: Could not read from remote repository." || line == "Please make sure you have the correct access rights" ||
            line == "and the repository exists.")
            continue;
        for (std::string_view prefix : {"fatal: ", "error: ", "warning: "})
            if (line.rfind(prefix, 0) == 0) line = line.substr(prefix.size());
        message += (message.empty() ? "" : "; ") + line;
    }
    if (message.size() > 600) message = message.substr(0, 600) + "...";
    if (message.empty()) message = "git exited with status " + std::to_string(result.exit_code);
    return message;
}

}  // namespace

Result run(const std::vector<std::string>& args, const fs::path& dir, std::chrono::seconds timeout) {
    auto git = find_git();
    // Command transports run arbitrary programs; never allow them, whatever the user's config says.
    std::vector<std::string> argv_strings = {git, "-c", "protocol.ext.allow=never", "-c", "protocol.fd.allow=never"};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    auto env_strings = git_environment();
    auto argv = pointers(argv_strings);
    auto envp = pointers(env_strings);
    std::string work_dir = dir.empty() ? std::string() : dir.string();

    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw api::ApiError(500, "INTERNAL_ERROR", std::string("pipe: ") + std::strerror(errno));
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        throw api::ApiError(500, "INTERNAL_ERROR", std::string("pipe: ") + std::strerror(errno));
    }
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);
        int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        if (work_dir.empty() || ::chdir(work_dir.c_str()) == 0) ::execve(argv[0], argv.data(), envp.data());
        const char* message = "cannot start git\n";
        (void)!::write(2, message, std::strlen(message));
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    if (pid < 0) {
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        throw api::ApiError(500, "INTERNAL_ERROR", std::string("fork: ") + std::strerror(errno));
    }
    ::setpgid(pid, pid);

    Result result;
    std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
    std::array<std::string*, 2> sinks{&result.out, &result.err};
    auto deadline = Clock::now() + timeout;
    bool timed_out = false;
    int open_fds = 2;
    char buffer[8192];
    while (open_fds > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 1000))) < 0 && errno != EINTR) break;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            auto got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                if (sinks[i]->size() < kMaxCaptured) sinks[i]->append(buffer, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& fd : fds)
        if (fd.fd >= 0) ::close(fd.fd);
    if (timed_out) ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    ::kill(-pid, SIGKILL);  // helpers git left behind (ssh, remote-https) end with it
    if (timed_out)
        throw api::ApiError(400, "GIT_REMOTE_ERROR",
                            "git " + (args.empty() ? std::string() : args.front()) + " did not finish within " +
                                std::to_string(timeout.count()) + " seconds");
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

api::ApiError error_from(std::string_view what, const Result& result, std::string_view default_code) {
    const auto& err = result.err;
    auto message = std::string(what) + ": " + git_message(result);
    if (contains_any(err, {"not found in upstream", "couldn't find remote ref", "unknown revision", "did not match any",
                           "invalid reference", "not a valid object name", "Needed a single revision", "bad revision",
                           "not a commit"}))
        return api::ApiError(400, "GIT_UNKNOWN_REF", message);
    if (contains_any(err, {"CONFLICT", "would be overwritten", "Your local changes"}))
        return api::ApiError(400, "GIT_CONFLICT", message);
    if (contains_any(err, {"Authentication failed", "could not read Username", "could not read Password",
                           "terminal prompts disabled", "Permission denied (publickey", "Access denied"}))
        return api::ApiError(400, "GIT_REMOTE_ERROR",
                             message + " (brix runs git without prompts: use a credential helper, a token in the "
                                       "git configuration, or an SSH key)");
    return api::ApiError(400, std::string(default_code), message);
}

std::string check(const std::vector<std::string>& args, const fs::path& dir, std::string_view what,
                  std::string_view default_code) {
    auto result = run(args, dir);
    if (result.exit_code != 0) throw error_from(what, result, default_code);
    while (!result.out.empty() && (result.out.back() == '\n' || result.out.back() == '\r')) result.out.pop_back();
    return result.out;
}

void check_url(const std::string& url) {
    if (url.empty()) throw api::invalid_parameter("Missing required field: url");
    for (unsigned char c : url)
        if (c < 0x20 || c == 0x7F) throw api::invalid_parameter("The Git URL contains a control character");
    if (url.front() == '-') throw api::invalid_parameter("Invalid Git URL: " + url);
    auto transport = url.find("::");
    if (transport != std::string::npos && url.find("://") != transport)
        throw api::ApiError(400, "GIT_URL_NOT_ON_ALLOW_LIST",
                            "Git URL " + redact_url(url) + " names a command transport (" + url.substr(0, transport) +
                                "::), which brix never runs");
}

bool is_local_url(std::string_view url) {
    if (url.rfind("file://", 0) == 0) return true;
    if (contains(url, "://")) return false;
    // scp-like syntax: [user@]host:path, where the colon comes before any slash.
    auto colon = url.find(':');
    auto slash = url.find('/');
    return colon == std::string_view::npos || (slash != std::string_view::npos && slash < colon);
}

void check_local_repository(const std::string& url) {
    if (!is_local_url(url)) return;
    fs::path path = url.rfind("file://", 0) == 0 ? url.substr(7) : url;
    std::error_code error;
    if (!fs::exists(path, error))
        throw api::ApiError(400, "GIT_REMOTE_ERROR", "Cannot clone " + url + ": the repository does not exist");
    bool work_tree = fs::exists(path / ".git", error);
    bool bare = fs::is_regular_file(path / "HEAD", error) && fs::is_directory(path / "objects", error);
    if (!work_tree && !bare)
        throw api::ApiError(400, "GIT_REMOTE_ERROR", "Cannot clone " + url + ": it is not a git repository");
}

std::string repo_name_from_url(std::string_view url) {
    std::string text(url);
    while (!text.empty() && (text.back() == '/' || text.back() == '\\')) text.pop_back();
    auto cut = text.find_last_of("/:");
    auto name = cut == std::string::npos ? text : text.substr(cut + 1);
    if (name.size() > 4 && name.substr(name.size() - 4) == ".git") name.resize(name.size() - 4);
    return name;
}

std::string redact_url(std::string_view url) {
    auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::string(url);
    auto host_start = scheme + 3;
    auto at = url.find('@', host_start);
    auto slash = url.find('/', host_start);
    if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(url);
    auto colon = url.find(':', host_start);
    if (colon == std::string_view::npos || colon > at) return std::string(url);
    return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

std::optional<std::string> resolve_commit(const fs::path& dir, const std::string& revision) {
    auto result = run({"rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"}, dir);
    if (result.exit_code != 0) return std::nullopt;
    auto commit = result.out.substr(0, result.out.find('\n'));
    if (commit.empty()) return std::nullopt;
    return commit;
}

std::optional<std::string> current_branch(const fs::path& dir) {
    auto result = run({"symbolic-ref", "--quiet", "--short", "HEAD"}, dir);
    if (result.exit_code != 0) return std::nullopt;
    auto branch = result.out.substr(0, result.out.find('\n'));
    if (branch.empty()) return std::nullopt;
    return branch;
}

FileLock::FileLock(const fs::path& file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw api::ApiError(500, "IO_ERROR", "cannot open " + file.string() + ": " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        ::close(fd_);
        throw api::ApiError(500, "IO_ERROR", "cannot lock " + file.string() + ": " + std::strerror(errno));
    }
}

FileLock::~FileLock() { ::close(fd_); }

}  // namespace brix::engine::repos::git
