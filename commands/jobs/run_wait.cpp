// Polling a run until it ends, with `bundle run`-style progress on stderr (also when stderr is
// not a terminal: CI logs are where people read it).
#include "commands/jobs/run_wait.hpp"

#include <algorithm>
#include <thread>

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

}  // namespace

std::string life_cycle_state(const api::Json& run) { return text_field(state_of(run), "life_cycle_state"); }
std::string result_state(const api::Json& run) { return text_field(state_of(run), "result_state"); }
std::string state_message(const api::Json& run) { return text_field(state_of(run), "state_message"); }

bool is_terminal(const api::Json& run) {
    auto state = life_cycle_state(run);
    return state == "TERMINATED" || state == "SKIPPED" || state == "INTERNAL_ERROR";
}

std::string state_line(const api::Json& run, std::time_t when) {
    auto name = text_field(run, "run_name");
    auto line = local_timestamp(when) + " \"" + (name.empty() ? "Untitled" : name) + "\" " + life_cycle_state(run);
    if (auto result = result_state(run); !result.empty()) line += " " + result;
    if (auto message = state_message(run); !message.empty()) line += " " + message;
    return line;
}

std::optional<api::Json> wait_for_run(api::Api& api, std::int64_t run_id, const WaitOptions& options) {
    using Clock = std::chrono::steady_clock;
    auto deadline = options.timeout.count() > 0 ? Clock::now() + options.timeout : Clock::time_point::max();
    auto delay = options.first_poll;
    std::optional<std::string> shown_state;
    for (;;) {
        auto run = api.call(api::Method::Get, jobs_path("runs/get"), {{"run_id", std::to_string(run_id)}});
        auto state = life_cycle_state(run) + " " + result_state(run);
        if (options.progress && !shown_state) {
            if (auto url = text_field(run, "run_page_url"); !url.empty()) std::fprintf(options.progress, "Run URL: %s\n", url.c_str());
        }
        if (options.progress && state != shown_state)
            std::fprintf(options.progress, "%s\n", state_line(run, std::time(nullptr)).c_str());
        shown_state = state;
        if (is_terminal(run)) return run;
        auto now = Clock::now();
        if (now >= deadline) return std::nullopt;
        // One last look exactly at the deadline, so a run ending just in time still counts.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        std::this_thread::sleep_for(std::min(delay, left));
        delay = std::min(options.longest_poll, delay * 3 / 2);
    }
}

}  // namespace brix::commands::jobs
