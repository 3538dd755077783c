#pragma once
// The git command line, run as a child process (argv, never a shell) for repos and for jobs with
// git_source. Prompts are off, so a remote that wants credentials fails instead of hanging; a
// stalled transfer is cut off; git's failures become the Databricks GIT_* errors.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"

namespace brix::engine::repos::git {

namespace fs = std::filesystem;

struct Result {
    int exit_code = 0;
    std::string out;
    std::string err;
};

// Runs `git <args>` in `dir` (the current folder when empty). Throws INTERNAL_ERROR when git
// cannot be started (not installed) or runs past `timeout`.
Result run(const std::vector<std::string>& args, const fs::path& dir = {},
           std::chrono::seconds timeout = std::chrono::seconds(600));

// What a failed git call is reported as. `default_code` is used when git's message says nothing
// more specific (GIT_REMOTE_ERROR for talking to a remote).
api::ApiError error_from(std::string_view what, const Result& result, std::string_view default_code = "GIT_REMOTE_ERROR");

// Runs git and returns its stdout with the trailing newline removed; throws error_from(...) when
// git fails.
std::string check(const std::vector<std::string>& args, const fs::path& dir, std::string_view what,
                  std::string_view default_code = "GIT_REMOTE_ERROR");

// Refuses URLs git would treat as options or as command transports (ext::, fd::).
void check_url(const std::string& url);
// file://... or a plain path (absolute or relative), as opposed to https://, ssh:// or user@host:path.
bool is_local_url(std::string_view url);
// For a local URL, the error git would give, worded clearly: the folder is missing, or it is not a
// git repository (no .git, not a bare repository). Nothing for remote URLs.
void check_local_repository(const std::string& url);
// "https://github.com/o/my-repo.git" -> "my-repo"; "/srv/git/tools/" -> "tools".
std::string repo_name_from_url(std::string_view url);
// The URL with a password in its userinfo replaced by "***", for messages.
std::string redact_url(std::string_view url);

// Queries on a working tree or a bare repository (`dir`).
std::optional<std::string> resolve_commit(const fs::path& dir, const std::string& revision);
std::optional<std::string> current_branch(const fs::path& dir);  // nullopt when HEAD is detached

// An exclusive lock on `file` (created when missing) for the object's lifetime: serialises git
// work on one repository across threads and processes.
class FileLock {
public:
    explicit FileLock(const fs::path& file);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace brix::engine::repos::git
