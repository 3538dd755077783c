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

// A run verb's form decides what it does, because scripts parse it. The new form (`jobs run-now
// JOB_ID`, `jobs submit`) waits by default and prints the task output (-o json: the final run
// object); the legacy form (`jobs run-now --job-id N`, `runs submit`) prints the API's answer
// ({"run_id": ..., "number_in_job": ...} / {"run_id": ...}) at once, as databricks-cli 0.18 does,
// and waits only with --wait (its stdout stays that answer; the verdict sets the exit code).
enum class RunForm { New, Legacy };

CLI::App* add_run_now(CLI::App& group, cli::Context& context);
// Posts a run request to `endpoint` ("run-now", "runs/submit" or "runs/repair") and follows the
// run when the form and flags say so. `bundle run` uses it too.
void start_run(cli::Context& context, const std::string& endpoint, const api::Json& body, const WaitFlags& flags,
               RunForm form = RunForm::New);
CLI::App* add_submit(CLI::App& group, cli::Context& context, const VerbText& text, RunForm form);
CLI::App* add_get_run(CLI::App& group, cli::Context& context, const VerbText& text);
CLI::App* add_get_run_output(CLI::App& group, cli::Context& context, const VerbText& text);
// Pages::First lists one page unless --all or a --limit larger than a page (legacy `runs list`);
// Pages::All lists every run up to --limit (new `jobs list-runs`).
CLI::App* add_list_runs(CLI::App& group, cli::Context& context, const VerbText& text, Pages pages);
// Legacy `runs cancel` returns at once and prints {}; new `jobs cancel-run` waits for the end.
CLI::App* add_cancel_run(CLI::App& group, cli::Context& context, const VerbText& text, WaitByDefault wait);
CLI::App* add_cancel_all_runs(CLI::App& group, cli::Context& context, const VerbText& text);
CLI::App* add_delete_run(CLI::App& group, cli::Context& context, const VerbText& text);
// `jobs repair-run` (new form) waits for the repaired run; `runs repair` (legacy form) prints
// {"repair_id": N} and waits only with --wait.
CLI::App* add_repair_run(CLI::App& group, cli::Context& context, const VerbText& text, RunForm form);

// Run and job IDs arrive as numbers, but a table wants text either way.
std::string id_text(const api::Json& object, const std::string& key);

}  // namespace brix::commands::jobs
