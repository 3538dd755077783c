#pragma once
// What a finished task process amounts to: its result state, message, run output (error,
// error_trace, notebook_output) and measures, with secret values redacted from its log.

#include <string>

#include "api/api.hpp"
#include "engine/jobs/task_process.hpp"

namespace brix::engine::jobs {

struct TaskOutcome {
    std::string result;   // SUCCESS, FAILED, TIMEDOUT, CANCELED
    std::string message;  // state_message
    api::Json output = api::Json::object();
    api::Json metrics;
};

TaskOutcome collect_outcome(const std::filesystem::path& dir, const ProcessResult& process, std::int64_t timeout_ms);

}  // namespace brix::engine::jobs
