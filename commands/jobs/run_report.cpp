// The end of a waited-for run: task output on stdout (what a script captures), failures and the
// verdict on stderr, and the exit code scripts branch on.
#include <algorithm>
#include <cstdio>
#include <limits>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/jobs/job_input.hpp"
#include "commands/jobs/run_calls.hpp"
#include "commands/jobs/run_wait.hpp"

namespace brix::commands::jobs {
namespace {

std::string with_newline(std::string text) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    return text;
}

// Progress and errors go to stderr unbuffered; stdout must be out first for the two to
// interleave in order on a terminal or in a CI log.
void write_stderr(const std::string& text) {
    std::fflush(stdout);
    std::fwrite(text.data(), 1, text.size(), stderr);
}

std::optional<std::int64_t> task_run_id(const api::Json& task) {
    auto found = task.find("run_id");
    if (found == task.end() || !found->is_number_integer()) return std::nullopt;
    return found->get<std::int64_t>();
}

// A task whose output cannot be read (it never started, or runs were purged) must not hide the
// run's verdict, which is what the exit code reports.
std::optional<api::Json> fetch_output(api::Api& api, std::int64_t run_id, const std::string& key) {
    try {
        return api.call(api::Method::Get, jobs_path("runs/get-output"), {{"run_id", std::to_string(run_id)}});
    } catch (const api::ApiError& error) {
        cli::print_warning("cannot read the output of task " + key + ": " + error.message());
        return std::nullopt;
    }
}

// runs get-output keeps the last 5 MB of a log (logs_truncated, as Databricks): say where the rest
// is, the file itself on the local engine (run_page_url is the task's folder there).
void report_truncated(const std::string& key, const api::Json& output) {
    auto truncated = output.find("logs_truncated");
    if (truncated == output.end() || !truncated->is_boolean() || !truncated->get<bool>()) return;
    std::string url;
    if (auto metadata = output.find("metadata"); metadata != output.end() && metadata->is_object()) url = text_field(*metadata, "run_page_url");
    std::string where = url.rfind("file://", 0) == 0 ? "the full log is " + url.substr(7) + "output.log"
                        : url.empty()                 ? "the full log is on the run's page"
                                                      : "the full log is on the run's page, " + url;
    write_stderr("Warning: the output of task " + key + " was cut to its last 5 MB; " + where + "\n");
}

// A task that ran without its own mount namespace saw /dbfs, /Workspace and /Volumes through
// Python's file functions only (brix_metrics.file_system): said once per run, never silently.
void report_file_system(const std::vector<api::Json>& tasks) {
    for (const auto& task : tasks) {
        auto metrics = task.find("brix_metrics");
        if (metrics == task.end() || !metrics->is_object() || text_field(*metrics, "file_system") != "python_mapping") continue;
        auto reason = text_field(*metrics, "file_system_reason");
        write_stderr("Note: tasks ran without a mount namespace of their own" + (reason.empty() ? "" : " (" + reason + ")") +
                     ": /dbfs, /Workspace and /Volumes reached them through Python's file functions only, not through "
                     "%sh, subprocesses or native libraries\n");
        return;
    }
}

void report_tasks(api::Api& api, const api::Json& run, RunStdout report) {
    auto tasks = tasks_by_start(run);
    if (tasks.empty()) tasks.push_back(run);  // a Jobs 2.0 single-task run carries its output itself
    bool several = tasks.size() > 1;
    bool first_block = true;
    for (const auto& task : tasks) {
        auto run_id = task_run_id(task);
        auto key = task.contains("task_key") ? text_field(task, "task_key") : text_field(task, "run_name");
        bool failed = task_failed(task);
        // Unless stdout carries the task output, outputs are fetched for failures alone.
        bool wanted = run_id && (report == RunStdout::TaskOutput || failed);
        auto output = wanted ? fetch_output(api, *run_id, key) : std::nullopt;
        if (output && report == RunStdout::TaskOutput) {
            auto text = with_newline(task_output_text(*output));
            if (several) text = std::string(first_block ? "" : "\n") + "Task " + key + ":\n" + text;
            first_block = false;
            cli::write_stdout(text);
        }
        if (output) report_truncated(key, *output);
        if (failed) write_stderr(task_failure_text(key, output.value_or(api::Json::object()), task));
    }
    report_file_system(tasks);
}

}  // namespace

std::string task_output_text(const api::Json& output) {
    std::string result;
    if (auto notebook = output.find("notebook_output"); notebook != output.end() && notebook->is_object())
        result = text_field(*notebook, "result");
    if (!result.empty()) return result;
    return text_field(output, "logs");
}

std::vector<api::Json> tasks_by_start(const api::Json& run) {
    std::vector<api::Json> tasks;
    if (auto found = run.find("tasks"); found != run.end() && found->is_array()) tasks.assign(found->begin(), found->end());
    auto start = [](const api::Json& task) {
        auto found = task.find("start_time");
        bool started = found != task.end() && found->is_number_integer() && found->get<std::int64_t>() > 0;
        return started ? found->get<std::int64_t>() : std::numeric_limits<std::int64_t>::max();
    };
    std::stable_sort(tasks.begin(), tasks.end(), [&](const api::Json& a, const api::Json& b) { return start(a) < start(b); });
    return tasks;
}

bool task_failed(const api::Json& task) {
    auto result = result_state(task);
    return result == "FAILED" || result == "TIMEDOUT" || life_cycle_state(task) == "INTERNAL_ERROR";
}

std::string task_failure_text(const std::string& key, const api::Json& output, const api::Json& task) {
    auto error = text_field(output, "error");
    if (error.empty()) error = state_message(task);
    if (error.empty()) error = result_state(task);
    return "Task " + key + " FAILED: " + with_newline(error) + with_newline(text_field(output, "error_trace"));
}

std::string run_failure_message(const api::Json& run) {
    auto result = result_state(run);
    auto message = "run " + (result.empty() ? life_cycle_state(run) : result);
    if (auto detail = state_message(run); !detail.empty()) message += ": " + detail;
    return message;
}

// http://127.0.0.1:8080, http://localhost, http://[::1]:80/...: a server on this machine.
bool is_loopback_url(const std::string& url) {
    auto start = url.find("://");
    if (start == std::string::npos) return false;
    auto rest = url.substr(start + 3);
    std::string host = rest.rfind('[', 0) == 0 ? rest.substr(0, rest.find(']') + 1) : rest.substr(0, rest.find_first_of(":/"));
    return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

WaitOptions wait_options(cli::Context& context, std::chrono::milliseconds timeout) {
    WaitOptions options;
    options.timeout = timeout;
    options.progress = context.options.quiet ? nullptr : stderr;
    // A local engine (or `brix serve` on this machine) answers a poll in well under a millisecond,
    // so the waiting CLI may look often: a run's end is seen within ~20% of its duration (a short
    // run's end within a few ms), and never later than 50 ms, while polling costs at most a tenth
    // of a core. A workspace gets the gentler cadence of the SDK waiters.
    const auto& config = context.config();
    if (config.backend == cli::Backend::Local || is_loopback_url(config.get("host"))) {
        options.first_poll = std::chrono::milliseconds(2);
        options.longest_poll = std::chrono::milliseconds(50);
        options.growth_percent = 120;
        options.cost_multiple = 10;
    }
    return options;
}

void report_timeout(cli::Context& context, std::int64_t run_id, std::chrono::milliseconds timeout) {
    auto id = std::to_string(run_id);
    write_stderr("Error: timed out after " + format_go_duration(timeout) + " waiting for run " + id +
                 " (it goes on; see brix runs get --run-id " + id + ")\n");
    context.exit_code = cli::ExitCode::TimedOut;
}

RunStdout run_stdout_for(cli::OutputMode mode) {
    return mode == cli::OutputMode::Json ? RunStdout::RunObject : RunStdout::TaskOutput;
}

cli::ExitCode report_finished_run(api::Api& api, const api::Json& run, RunStdout report) {
    if (report == RunStdout::RunObject) cli::print_json(run);
    report_tasks(api, run, report);
    std::fflush(stdout);
    if (result_state(run) == "SUCCESS") return cli::ExitCode::Success;
    write_stderr("Error: " + run_failure_message(run) + "\n");
    return cli::ExitCode::RunFailed;
}

void follow_run(cli::Context& context, std::int64_t run_id, std::chrono::milliseconds timeout, RunStdout report) {
    auto& api = context.api();
    auto last_seen = wait_for_run(api, run_id, wait_options(context, timeout));
    if (!last_seen) return report_timeout(context, run_id, timeout);
    // The polled object may hold only the first 100 tasks; the report needs them all.
    auto run = get_run(api, run_id);
    context.exit_code = report_finished_run(api, is_terminal(run) ? run : *last_seen, report);
}

}  // namespace brix::commands::jobs
