// `jobs run-now` and `jobs submit` / `runs submit`: start a run, then follow it to its end in this
// process when the form says so (run_verbs.hpp).
#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/jobs/request_bodies.hpp"
#include "commands/jobs/run_verbs.hpp"
#include "commands/jobs/run_wait.hpp"

namespace brix::commands::jobs {
namespace {

using api::Method;

const char* const kWaitNotes =
    "Waits for the run unless --no-wait: the run URL and each state change (local time) go to stderr,\n"
    "the task output to stdout (-o json: the final run object instead).\n"
    "Exit codes: 0 the run succeeded, 5 it ended otherwise, 124 --timeout passed (the run goes on).\n"
    "--no-wait prints the API's answer, {\"run_id\": N, ...}.\n"
    "Every request carries an idempotency token (yours or a random one): a retried request never starts two runs.\n";

const char* const kLegacyNotes =
    "Legacy form (--job-id, or the runs group): prints the API's answer at once, as databricks-cli does,\n"
    "e.g. {\"run_id\": 11, \"number_in_job\": 11}; with --wait it then follows the run (progress on\n"
    "stderr, stdout stays the answer) and exits 0, 5 or 124 as the new form does.\n";

struct RunNowOptions {
    IdArguments ids;
    JsonInput input;
    ParamValues params;
    std::optional<std::string> idempotency_token;
    std::optional<std::string> performance_target;
    WaitFlags wait;
};

void run_run_now(cli::Context& context, const RunNowOptions& options) {
    RunNowRequest request;
    request.job_id = resolve_optional_id(options.ids.positional, options.ids.flag, IdKind::Job);
    if (options.input.json || options.input.json_file) request.document = load_json_object(options.input);
    request.params = options.params;
    request.idempotency_token = options.idempotency_token;
    request.performance_target = options.performance_target;
    start_run(context, "run-now", build_run_now_body(request), options.wait,
              options.ids.flag ? RunForm::Legacy : RunForm::New);
}

struct SubmitOptions {
    JsonInput input;
    std::optional<std::string> run_name;
    std::optional<std::int64_t> timeout_seconds;
    std::optional<std::string> idempotency_token;
    WaitFlags wait;
    RunForm form = RunForm::New;
};

void run_submit(cli::Context& context, const SubmitOptions& options) {
    SubmitRequest request{load_json_object(options.input), options.run_name, options.timeout_seconds, options.idempotency_token};
    start_run(context, "runs/submit", build_submit_body(request), options.wait, options.form);
}

}  // namespace

void start_run(cli::Context& context, const std::string& endpoint, const api::Json& body, const WaitFlags& flags,
               RunForm form) {
    bool legacy = form == RunForm::Legacy;
    bool wait = should_wait(flags, legacy ? WaitByDefault::No : WaitByDefault::Yes);
    auto timeout = parse_timeout_flag(flags.timeout);
    // A local run then executes in this process while it polls, instead of in a detached worker.
    if (wait) context.run_execution = cli::RunExecution::ThisProcess;
    auto answer = context.api().call(Method::Post, jobs_path(endpoint), {}, body);
    if (legacy || !wait) cli::print_json(answer);
    if (!wait) return;
    // A repair answers {repair_id}: the run to follow is the one it repairs.
    const api::Json* run_id = nullptr;
    if (auto found = answer.find("run_id"); found != answer.end()) run_id = &*found;
    else if (auto given = body.find("run_id"); endpoint == "runs/repair" && given != body.end()) run_id = &*given;
    if (!run_id || !run_id->is_number_integer())
        throw std::runtime_error("the Jobs API answered " + endpoint + " without a run_id: " + answer.dump());
    follow_run(context, run_id->get<std::int64_t>(), timeout,
               legacy ? RunStdout::Nothing : run_stdout_for(context.output_mode()));
}

CLI::App* add_run_now(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<RunNowOptions>();
    auto* verb = group.add_subcommand("run-now", "Run a job now, and wait for it to end");
    add_id_arguments(*verb, options->ids, IdKind::Job);
    verb->add_option("--json", options->input.json,
                     "The request as JSON (inline, @FILE or -), e.g. {\"job_id\": 7, \"job_parameters\": {...}}");
    add_param_flags(*verb, options->params);
    verb->add_option("--idempotency-token", options->idempotency_token, "Reuse this token: a second run-now with it returns the first run");
    verb->add_option("--performance-target", options->performance_target, "STANDARD or PERFORMANCE_OPTIMIZED (serverless)");
    add_wait_flags(*verb, options->wait, WaitByDefault::Yes);
    add_legacy_api_version(*verb);
    verb->footer(std::string(kWaitNotes) + kLegacyNotes +
                 "Examples:\n"
                 "  brix jobs run-now 123\n"
                 "  brix jobs run-now --job-id 123 --notebook-params '{\"day\": \"2026-11-21\"}'\n"
                 "  brix jobs run-now 123 --job-parameters '{\"env\": \"dev\"}' --no-wait\n"
                 "  brix jobs run-now --json '{\"job_id\": 123, \"job_parameters\": {\"env\": \"prod\"}}' --timeout 1h");
    verb->callback([&context, options] { run_run_now(context, *options); });
    return verb;
}

CLI::App* add_submit(CLI::App& group, cli::Context& context, const VerbText& text, RunForm form) {
    auto options = std::make_shared<SubmitOptions>();
    options->form = form;
    bool legacy = form == RunForm::Legacy;
    auto* verb = group.add_subcommand(text.name, legacy ? "Run tasks once without creating a job; print the run_id (wait with --wait)"
                                                        : "Run tasks once without creating a job, and wait for the run to end");
    add_json_input(*verb, options->input);
    verb->add_option("--run-name", options->run_name, "Name of the run (sets run_name)");
    verb->add_option("--timeout-seconds", options->timeout_seconds, "Limit the run's duration on the server (sets timeout_seconds)");
    verb->add_option("--idempotency-token", options->idempotency_token, "Reuse this token: a second submit with it returns the first run");
    add_wait_flags(*verb, options->wait, legacy ? WaitByDefault::No : WaitByDefault::Yes);
    add_legacy_api_version(*verb);
    verb->footer(std::string(legacy ? kLegacyNotes : kWaitNotes) + text.footer);
    verb->callback([&context, options] { run_submit(context, *options); });
    return verb;
}

}  // namespace brix::commands::jobs
