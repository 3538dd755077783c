#pragma once
// Following a run to its end, as `jobs run-now` and `runs submit` do unless --no-wait: the run
// URL and each state change on stderr, the task output on stdout, and an exit code from the
// result (0 SUCCESS, 5 any other result, 124 --timeout reached).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "cli/context.hpp"

namespace brix::commands::jobs {

struct WaitOptions {
    std::chrono::milliseconds timeout{0};  // 0 = no limit
    // Local runs often end within a second, so polling starts fast and slows down to spare a
    // remote workspace during long runs.
    std::chrono::milliseconds first_poll{100};
    std::chrono::milliseconds longest_poll{1000};
    int growth_percent = 150;  // each wait is this share of the one before, up to longest_poll
    // With N > 0, each wait is at least N times what the poll itself took, so polling a large run
    // (hundreds of tasks in its answer) never takes more than 1/N of a core from the tasks.
    int cost_multiple = 0;
    std::FILE* progress = stderr;  // nullptr: no URL and no state lines (--quiet)
};

// The wait after a poll that took `poll_took`, when the planned wait was `planned`.
std::chrono::milliseconds poll_wait(std::chrono::milliseconds planned, std::chrono::microseconds poll_took,
                                    const WaitOptions& options);
// The planned wait after `planned`.
std::chrono::milliseconds next_planned_wait(std::chrono::milliseconds planned, const WaitOptions& options);

std::string life_cycle_state(const api::Json& run);
std::string result_state(const api::Json& run);
std::string state_message(const api::Json& run);
bool is_terminal(const api::Json& run);  // TERMINATED, SKIPPED or INTERNAL_ERROR

// `2026-11-21 09:11:44 "nightly" TERMINATED SUCCESS`, in local time.
std::string state_line(const api::Json& run, std::time_t when);

// Polls runs/get until the run is terminal and returns it; nullopt when the timeout passed first.
std::optional<api::Json> wait_for_run(api::Api& api, std::int64_t run_id, const WaitOptions& options);

// What a task printed or returned: the notebook's exit value, else its logs.
std::string task_output_text(const api::Json& output);
// Tasks in the order they started; those that never started keep their listed order, last.
std::vector<api::Json> tasks_by_start(const api::Json& run);
bool task_failed(const api::Json& task);
// `Task <key> FAILED: <error>` and the trace, each line ending in a newline.
std::string task_failure_text(const std::string& key, const api::Json& output, const api::Json& task);
// `run FAILED: <state_message>`, for a run whose result is not SUCCESS.
std::string run_failure_message(const api::Json& run);

// What goes to stdout when a waited-for run ends: its task output (the new form), the run object
// (the new form with -o json), or nothing (the legacy form, whose stdout is the API's answer).
enum class RunStdout { TaskOutput, RunObject, Nothing };
RunStdout run_stdout_for(cli::OutputMode mode);

// Task output or run object on stdout, failures and the verdict on stderr; returns Success or
// RunFailed.
cli::ExitCode report_finished_run(api::Api& api, const api::Json& run, RunStdout report);

// Everything after the run has started: wait, report, set context.exit_code.
void follow_run(cli::Context& context, std::int64_t run_id, std::chrono::milliseconds timeout, RunStdout report);
void report_timeout(cli::Context& context, std::int64_t run_id, std::chrono::milliseconds timeout);
WaitOptions wait_options(cli::Context& context, std::chrono::milliseconds timeout);
// Whether a workspace URL names this machine (a `brix serve` on loopback).
bool is_loopback_url(const std::string& url);

}  // namespace brix::commands::jobs
