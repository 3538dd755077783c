// `jobs repair-run RUN_ID` (new CLI) and `runs repair --run-id N` (brix's legacy-style spelling;
// databricks-cli 0.18 had no repair verb): re-run some tasks of an ended run inside that run.
#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "commands/jobs/request_bodies.hpp"
#include "commands/jobs/run_verbs.hpp"

namespace brix::commands::jobs {
namespace {

struct RepairOptions {
    IdArguments ids;
    JsonInput input;
    RepairRunRequest request;  // the flags; the run ID and --json are added from ids and input
    WaitFlags wait;
};

void run_repair(cli::Context& context, const RepairOptions& options, RunForm form) {
    auto request = options.request;
    request.run_id = resolve_optional_id(options.ids.positional, options.ids.flag, IdKind::Run);
    if (options.input.json || options.input.json_file) request.document = load_json_object(options.input);
    start_run(context, "runs/repair", build_repair_body(request), options.wait, form);
}

}  // namespace

CLI::App* add_repair_run(CLI::App& group, cli::Context& context, const VerbText& text, RunForm form) {
    auto options = std::make_shared<RepairOptions>();
    auto summary = form == RunForm::New ? "Re-run failed or named tasks of an ended run, and wait for it to end"
                                              : "Re-run failed or named tasks of an ended run (returns at once; --wait to follow it)";
    auto* verb = group.add_subcommand(text.name, summary);
    add_id_arguments(*verb, options->ids, IdKind::Run);
    add_json_input(*verb, options->input);
    verb->add_option("--rerun-tasks", options->request.rerun_tasks, "Task keys to re-run (comma-separated or repeated; sets rerun_tasks)")
        ->delimiter(',');
    verb->add_flag("--rerun-all-failed-tasks", options->request.rerun_all_failed_tasks, "Re-run every task that did not succeed");
    verb->add_flag("--rerun-dependent-tasks", options->request.rerun_dependent_tasks,
                   "Also re-run every task downstream of those, even if it succeeded");
    verb->add_option("--latest-repair-id", options->request.latest_repair_id,
                     "The run's latest repair (required from the second repair on; see get-run --include-history)");
    verb->add_option("--performance-target", options->request.performance_target, "STANDARD or PERFORMANCE_OPTIMIZED (serverless)");
    add_param_flags(*verb, options->request.params);
    add_wait_flags(*verb, options->wait, form == RunForm::New ? WaitByDefault::Yes : WaitByDefault::No);
    add_legacy_api_version(*verb);
    auto waiting = form == RunForm::New
                       ? "Waits: progress on stderr, the task output on stdout (-o json: the run), exit 0 when the run now\n"
                         "succeeds, 5 when it does not; --no-wait prints {\"repair_id\": N}.\n"
                       : "Prints {\"repair_id\": N} at once; --wait also follows the run (progress on stderr) and exits 0\n"
                         "when it now succeeds, 5 when it does not.\n";
    verb->footer(std::string("Tasks re-run inside the same run with the job's current settings; the other tasks keep their\n"
                             "results and task values.\n") +
                 waiting + text.footer);
    verb->callback([&context, options, form] { run_repair(context, *options, form); });
    return verb;
}

}  // namespace brix::commands::jobs
