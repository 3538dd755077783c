// `jobs repair-run RUN_ID` (new CLI) and `runs repair --run-id N` (brix's legacy-style spelling;
// databricks-cli 0.18 had no repair verb): re-run some tasks of an ended run inside that run.
#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/jobs/request_bodies.hpp"
#include "commands/jobs/run_verbs.hpp"
#include "commands/jobs/run_wait.hpp"

namespace brix::commands::jobs {
namespace {

using api::Method;

struct RepairOptions {
    IdArguments ids;
    JsonInput input;
    std::vector<std::string> rerun_tasks;
    bool rerun_all_failed_tasks = false;
    bool rerun_dependent_tasks = false;
    std::optional<std::int64_t> latest_repair_id;
    std::array<std::optional<std::string>, kRunNowParams.size()> params;
    WaitFlags wait;
};

void run_repair(cli::Context& context, const RepairOptions& options, WaitByDefault by_default) {
    RepairRunRequest request;
    request.run_id = resolve_optional_id(options.ids.positional, options.ids.flag, IdKind::Run);
    if (options.input.json || options.input.json_file) request.document = load_json_object(options.input);
    request.rerun_tasks = options.rerun_tasks;
    request.rerun_all_failed_tasks = options.rerun_all_failed_tasks;
    request.rerun_dependent_tasks = options.rerun_dependent_tasks;
    request.latest_repair_id = options.latest_repair_id;
    request.params = options.params;
    auto body = build_repair_body(request);
    bool wait = should_wait(options.wait, by_default);
    auto timeout = parse_timeout_flag(options.wait.timeout);
    // A local repair then executes in this process while it polls, as run-now does.
    if (wait) context.run_execution = cli::RunExecution::ThisProcess;
    auto answer = context.api().call(Method::Post, jobs_path("runs/repair"), {}, body);
    if (!wait) return cli::print_json(answer);
    follow_run(context, body["run_id"].get<std::int64_t>(), timeout);
}

}  // namespace

CLI::App* add_repair_run(CLI::App& group, cli::Context& context, const VerbText& text, WaitByDefault wait) {
    auto options = std::make_shared<RepairOptions>();
    auto summary = wait == WaitByDefault::Yes ? "Re-run failed or named tasks of an ended run, and wait for it to end"
                                              : "Re-run failed or named tasks of an ended run (returns at once; --wait to follow it)";
    auto* verb = group.add_subcommand(text.name, summary);
    add_id_arguments(*verb, options->ids, IdKind::Run);
    add_json_input(*verb, options->input);
    verb->add_option("--rerun-tasks", options->rerun_tasks, "Task keys to re-run (comma-separated or repeated; sets rerun_tasks)")
        ->delimiter(',');
    verb->add_flag("--rerun-all-failed-tasks", options->rerun_all_failed_tasks, "Re-run every task that did not succeed");
    verb->add_flag("--rerun-dependent-tasks", options->rerun_dependent_tasks,
                   "Also re-run every task downstream of those, even if it succeeded");
    verb->add_option("--latest-repair-id", options->latest_repair_id,
                     "The run's latest repair (required from the second repair on; see get-run --include-history)");
    for (std::size_t i = 0; i < kRunNowParams.size(); ++i) {
        const auto& param = kRunNowParams[i];
        auto what = param.shape == ParamShape::StringMap ? "JSON object of strings, sent as " : "JSON array of strings, sent as ";
        verb->add_option(param.flag, options->params[i], std::string(what) + param.key);
    }
    add_wait_flags(*verb, options->wait, wait);
    add_legacy_api_version(*verb);
    verb->footer("Tasks re-run inside the same run with the job's current settings; the other tasks keep their results\n"
                 "and task values. Waiting prints progress and the task output, and exits 0 when the run now succeeds,\n"
                 "5 when it does not; --no-wait prints {\"repair_id\": N}.\n" +
                 text.footer);
    verb->callback([&context, options, wait] { run_repair(context, *options, wait); });
    return verb;
}

}  // namespace brix::commands::jobs
