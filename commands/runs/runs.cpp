// `runs` group: the legacy CLI's run verbs (submit, get, list, get-output, cancel, cancel-all,
// delete), and repair in the same style. The same verbs live in the `jobs` group under their new
// names; both share one implementation and accept RUN_ID or --run-id alike.
#include <CLI/CLI.hpp>

#include "commands/commands.hpp"
#include "commands/jobs/run_verbs.hpp"

namespace brix::commands {

void add_runs_commands(CLI::App& app, cli::Context& context) {
    using namespace jobs;
    auto* group = app.add_subcommand("runs", "Submit one-time runs and inspect, cancel or delete runs (legacy syntax)");
    group->footer("The same verbs exist in the new syntax as `jobs submit`, `jobs get-run`, `jobs list-runs`, ...\n"
                  "Examples:\n  brix runs submit --json-file run.json\n  brix runs get-output --run-id 457");
    add_submit(*group, context,
               {"submit", "Examples:\n  RUN=$(brix runs submit --json-file run.json | jq .run_id)\n"
                          "  brix runs submit --json @run.yml --wait"},
               RunForm::Legacy);
    add_get_run(*group, context, {"get", "Example:\n  brix runs get --run-id 456"})->alias("get-run");
    add_list_runs(*group, context,
                  {"list", "One page unless --all or a larger --limit.\n"
                           "Examples:\n  brix runs list --job-id 123\n  brix runs list --active-only --output JSON"},
                  Pages::First)
        ->alias("list-runs");
    add_get_run_output(*group, context, {"get-output", "Example:\n  brix runs get-output --run-id 457"})->alias("get-run-output");
    add_cancel_run(*group, context, {"cancel", "Examples:\n  brix runs cancel --run-id 456\n  brix runs cancel --run-id 456 --wait"},
                   WaitByDefault::No);
    add_cancel_all_runs(*group, context, {"cancel-all", "Example:\n  brix runs cancel-all --job-id 123"})->alias("cancel-all-runs");
    add_delete_run(*group, context, {"delete", "Example:\n  brix runs delete --run-id 456"})->alias("delete-run");
    add_repair_run(*group, context,
                   {"repair", "Examples:\n  brix runs repair --run-id 456 --rerun-all-failed-tasks\n"
                              "  brix runs repair --run-id 456 --rerun-tasks load --latest-repair-id 3 --wait"},
                   RunForm::Legacy)
        ->alias("repair-run");
}

}  // namespace brix::commands
