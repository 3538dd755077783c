#pragma once
// The run verbs, registered in both groups with the same flags: `jobs run-now|submit|get-run|...`
// (new CLI) and `runs submit|get|list|...` (legacy CLI). Each returns its CLI11 subcommand so the
// group can add aliases.

#include <string>

#include "commands/jobs/run_calls.hpp"
#include "commands/jobs/verb_support.hpp"

namespace CLI {
class App;
}
namespace brix::cli {
class Context;
}

namespace brix::commands::jobs {

struct VerbText {
    std::string name;
    std::string footer;  // notes and examples in the group's own syntax
};

CLI::App* add_run_now(CLI::App& group, cli::Context& context);
// Posts a run request to `endpoint` ("run-now", "runs/submit" or "runs/repair") and, when it
// waits (`by_default`, --wait, --no-wait), follows the run to its end as run-now does (progress,
// task output, exit code); otherwise prints the answer. `bundle run` uses it too.
void start_run(cli::Context& context, const std::string& endpoint, const api::Json& body, const WaitFlags& flags,
               WaitByDefault by_default = WaitByDefault::Yes);
CLI::App* add_submit(CLI::App& group, cli::Context& context, const VerbText& text);
CLI::App* add_get_run(CLI::App& group, cli::Context& context, const VerbText& text);
CLI::App* add_get_run_output(CLI::App& group, cli::Context& context, const VerbText& text);
// Pages::First lists one page unless --all or a --limit larger than a page (legacy `runs list`);
// Pages::All lists every run up to --limit (new `jobs list-runs`).
CLI::App* add_list_runs(CLI::App& group, cli::Context& context, const VerbText& text, Pages pages);
// Legacy `runs cancel` returns at once and prints {}; new `jobs cancel-run` waits for the end.
CLI::App* add_cancel_run(CLI::App& group, cli::Context& context, const VerbText& text, WaitByDefault wait);
CLI::App* add_cancel_all_runs(CLI::App& group, cli::Context& context, const VerbText& text);
CLI::App* add_delete_run(CLI::App& group, cli::Context& context, const VerbText& text);
// New `jobs repair-run` waits for the repaired run; `runs repair` returns at once unless --wait.
CLI::App* add_repair_run(CLI::App& group, cli::Context& context, const VerbText& text, WaitByDefault wait);

// Run and job IDs arrive as numbers, but a table wants text either way.
std::string id_text(const api::Json& object, const std::string& key);

}  // namespace brix::commands::jobs
