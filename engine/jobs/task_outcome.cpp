#include "engine/jobs/task_outcome.hpp"

#include <fstream>
#include <sstream>
#include <vector>

#include "api/base64.hpp"
#include "engine/store/file_ops.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

constexpr std::size_t kMaxTraceBytes = 64 * 1024;
constexpr std::size_t kMaxResultBytes = 5 * 1024 * 1024;

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) text.replace(pos, from.size(), to);
}

// Secret values a task was given never stay in its log, whatever printed them.
void redact_log(const std::filesystem::path& dir) {
    auto list = dir / "secrets.redact";
    if (!std::filesystem::exists(list)) return;
    std::vector<std::string> secrets;
    std::istringstream lines(read_text(list));
    for (std::string line; std::getline(lines, line);)
        if (auto value = api::base64_decode(line); value && !value->empty()) secrets.push_back(*value);
    auto log = dir / "output.log";
    auto text = read_text(log);
    for (const auto& secret : secrets) replace_all(text, secret, "[REDACTED]");
    std::ofstream(log, std::ios::binary | std::ios::trunc) << text;
    std::filesystem::remove(list);
}

// Text from a log as valid UTF-8: each byte that is not becomes U+FFFD, as the logs do.
std::string valid_utf8(const std::string& text) {
    return Json::parse(Json(text).dump(-1, ' ', false, Json::error_handler_t::replace)).get<std::string>();
}

// A Python failure ends with "Traceback ...\n...\nValueError: message": the trace is that
// block, the error its last line.
void errors_from_log(const std::string& log, Json& output, int exit_code) {
    auto start = log.rfind("Traceback (most recent call last):");
    std::string trace = start == std::string::npos ? "" : log.substr(start);
    if (trace.size() > kMaxTraceBytes) trace = trace.substr(trace.size() - kMaxTraceBytes);
    std::string last;
    std::istringstream lines(trace.empty() ? log.substr(log.size() > kMaxTraceBytes ? log.size() - kMaxTraceBytes : 0) : trace);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) last = line;
    output["error"] = last.empty() ? "The task exited with status " + std::to_string(exit_code) : valid_utf8(last);
    if (!trace.empty()) output["error_trace"] = valid_utf8(trace);
}

}  // namespace

TaskOutcome collect_outcome(const std::filesystem::path& dir, const ProcessResult& process, std::int64_t timeout_ms) {
    TaskOutcome outcome;
    redact_log(dir);
    outcome.metrics = Json{{"wall_time_ms", process.wall_ms},
                           {"cpu_time_ms", process.cpu_ms},
                           {"peak_rss_kb", process.peak_rss_kb},
                           {"exit_code", process.exit_code},
                           {"start", process.start}};
    if (process.file_system) {
        outcome.metrics["file_system"] = file_system_mode_name(*process.file_system);
        if (!process.file_system_reason.empty()) outcome.metrics["file_system_reason"] = process.file_system_reason;
    }
    // What brix_runtime.environments reports: which cached environment ran the task, and whether
    // this run had to build it.
    if (auto environment = Json::parse(read_text(dir / "environment.json"), nullptr, false); environment.is_object())
        outcome.metrics["python_environment"] = environment;
    if (auto result = Json::parse(read_text(dir / "notebook_result.json"), nullptr, false); result.is_object()) {
        auto text = result.value("result", "");
        bool truncated = text.size() > kMaxResultBytes;
        if (truncated) text.resize(kMaxResultBytes);
        outcome.output["notebook_output"] = Json{{"result", text}, {"truncated", truncated}};
    }
    if (!process.spawn_error.empty()) {
        outcome.result = "FAILED";
        outcome.output["error"] = process.spawn_error;
    } else if (process.end == ProcessEnd::TimedOut) {
        outcome.result = "TIMEDOUT";
        outcome.output["error"] = "Task timed out after " + std::to_string(timeout_ms / 1000) + " seconds";
    } else if (process.end == ProcessEnd::Canceled) {
        outcome.result = "CANCELED";
        outcome.output["error"] = "Task canceled";
    } else if (process.exit_code == 0) {
        outcome.result = "SUCCESS";
    } else {
        outcome.result = "FAILED";
        if (auto error = Json::parse(read_text(dir / "error.json"), nullptr, false); error.is_object()) {
            outcome.output["error"] = error.value("error", "");
            outcome.output["error_trace"] = error.value("error_trace", "");
        } else {
            errors_from_log(read_text(dir / "output.log"), outcome.output, process.exit_code);
        }
    }
    if (outcome.result != "SUCCESS") outcome.message = outcome.output.value("error", "");
    return outcome;
}

}  // namespace brix::engine::jobs
