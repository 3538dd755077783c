#pragma once
// What every command gets: the global flags, the resolved configuration, and the Api of the
// chosen backend (built on first use, so `--help` and `--version` touch nothing).

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "api/api.hpp"
#include "cli/config.hpp"

namespace brix::cli {

enum class OutputMode { Text, Json };

struct GlobalOptions {
    std::optional<std::string> profile;
    std::string output;  // "text" or "json"; empty = from BRIX_OUTPUT / DATABRICKS_OUTPUT_FORMAT, else text
    bool debug = false;
    bool quiet = false;
};

// Exit codes, as documented in docs/exit-codes.md.
enum class ExitCode : int {
    Success = 0,
    Failure = 1,
    Usage = 2,
    NotFound = 3,
    Auth = 4,
    RunFailed = 5,
    TimedOut = 124,
    Interrupted = 130,
};

// A mistake in how the command was called: reported like a parse error, exit 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Who executes a local run that a command starts: a detached worker process (the default, so
// `--no-wait` returns at once), or, for commands that wait for the run, a worker bound to this
// process: killing the waiting CLI ends the run's executor too (the run then ends INTERNAL_ERROR),
// while a wait that times out lets the run go on. Meaningless for a remote workspace.
enum class RunExecution { DetachedWorker, ThisProcess };

class Context {
public:
    GlobalOptions options;
    RunExecution run_execution = RunExecution::DetachedWorker;  // set before the first api() call
    ExitCode exit_code = ExitCode::Success;  // set by commands that end without an error message
    std::string command;  // the command being run, as the User-Agent names it: "jobs_create"

    OutputMode output_mode() const;
    const ResolvedConfig& config();
    api::Api& api();
    // One more connection to the same backend, for another thread (an Api serves one at a time).
    std::unique_ptr<api::Api> open_api();

private:
    std::optional<ResolvedConfig> config_;
    std::unique_ptr<api::Api> api_;
};

// The one factory that picks the backend for a configuration.
// `command` names the command in a workspace's logs (User-Agent cmd/).
std::unique_ptr<api::Api> make_api(const ResolvedConfig& config, RunExecution run_execution, const std::string& command = "");

}  // namespace brix::cli
