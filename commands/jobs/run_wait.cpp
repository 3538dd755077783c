// Polling a run until it ends, with `bundle run`-style progress on stderr (also when stderr is
// not a terminal: CI logs are where people read it).
#include "commands/jobs/run_wait.hpp"

#include <algorithm>
#include <thread>

#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "commands/jobs/run_calls.hpp"

namespace brix::commands::jobs {
namespace {

const api::Json& state_of(const api::Json& run) {
    static const api::Json empty = api::Json::object();
    if (!run.is_object()) return empty;
    auto found = run.find("state");
    return found != run.end() && found->is_object() ? *found : empty;
}

std::string local_timestamp(std::time_t when) {
    std::tm local{};
    localtime_r(&when, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
    return text;
}

// Tasks that have ended, for the live line on a terminal.
std::uint64_t finished_tasks(const api::Json& run) {
    std::uint64_t finished = 0;
    for (const auto& task : run.value("tasks", api::Json::array()))
        if (is_terminal(task)) ++finished;
    return finished;
}

}  // namespace

std::string life_cycle_state(const api::Json& run) { return text_field(state_of(run), "life_cycle_state"); }
std::string result_state(const api::Json& run) { return text_field(state_of(run), "result_state"); }
std::string state_message(const api::Json& run) { return text_field(state_of(run), "state_message"); }

std::chrono::milliseconds poll_wait(std::chrono::milliseconds planned, std::chrono::microseconds poll_took,
                                    const WaitOptions& options) {
    auto floor = std::chrono::duration_cast<std::chrono::milliseconds>(poll_took * options.cost_multiple);
    return std::max(planned, floor);
}

std::chrono::milliseconds next_planned_wait(std::chrono::milliseconds planned, const WaitOptions& options) {
    auto grown = std::max(planned + std::chrono::milliseconds(1), planned * options.growth_percent / 100);
    return std::min(options.longest_poll, grown);
}

bool is_terminal(const api::Json& run) {
    auto state = life_cycle_state(run);
    return state == "TERMINATED" || state == "SKIPPED" || state == "INTERNAL_ERROR";
}

std::string state_line(const api::Json& run, std::time_t when) {
    auto name = text_field(run, "run_name");
    auto line = local_timestamp(when) + " \"" + (name.empty() ? "Untitled" : name) + "\" " + life_cycle_state(run);
    if (auto result = result_state(run); !result.empty()) line += " " + cli::state_text(result, stderr);
    if (auto message = state_message(run); !message.empty()) line += " " + message;
    return line;
}

std::optional<api::Json> wait_for_run(api::Api& api, std::int64_t run_id, const WaitOptions& options) {
    using Clock = std::chrono::steady_clock;
    auto deadline = options.timeout.count() > 0 ? Clock::now() + options.timeout : Clock::time_point::max();
    auto delay = options.first_poll;
    std::optional<std::string> shown_state;
    // State changes are lines (in CI logs too); on a terminal a live line below them counts the
    // tasks and the time.
    cli::Progress live("run " + std::to_string(run_id), cli::ProgressUnit::Tasks,
                       options.progress ? cli::ProgressMode::Auto : cli::ProgressMode::Quiet);
    for (;;) {
        auto polled = Clock::now();
        auto run = api.call(api::Method::Get, jobs_path("runs/get"), {{"run_id", std::to_string(run_id)}});
        auto poll_took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - polled);
        auto state = life_cycle_state(run) + " " + result_state(run);
        if (options.progress && !shown_state) {
            if (auto url = text_field(run, "run_page_url"); !url.empty()) live.note(options.progress, "Run URL: " + url);
        }
        if (options.progress && state != shown_state) live.note(options.progress, state_line(run, std::time(nullptr)));
        shown_state = state;
        auto tasks = run.value("tasks", api::Json::array());
        if (!tasks.empty()) live.set_total(tasks.size());
        live.set_status(life_cycle_state(run));
        live.set_done(finished_tasks(run));
        if (is_terminal(run)) return run;
        auto now = Clock::now();
        if (now >= deadline) return std::nullopt;
        // One last look exactly at the deadline, so a run ending just in time still counts.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        std::this_thread::sleep_for(std::min(poll_wait(delay, poll_took, options), left));
        delay = next_planned_wait(delay, options);
    }
}

}  // namespace brix::commands::jobs
