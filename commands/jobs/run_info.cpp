// The run verbs that look at or stop runs: get, get-output, list, cancel, cancel-all, delete.
#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/jobs/run_verbs.hpp"
#include "commands/jobs/run_wait.hpp"

namespace brix::commands::jobs {
namespace {

using api::Method;

constexpr std::int64_t kLargestRunsPage = 25;  // runs/list refuses more per page

std::string id_list(const api::Json& run) {
    std::string text;
    for (const auto& task : tasks_by_start(run))
        text += (text.empty() ? "" : ", ") + text_field(task, "task_key") + "=" + id_text(task, "run_id");
    return text;
}

// On Jobs 2.1+ get-output works on a task's run only; saying which IDs to use beats the bare 400.
api::Json get_output(api::Api& api, std::int64_t run_id) {
    try {
        return api.call(Method::Get, jobs_path("runs/get-output"), {{"run_id", std::to_string(run_id)}});
    } catch (const api::ApiError& error) {
        if (error.http_status() != 400) throw;
        api::Json run;
        try {
            run = api.call(Method::Get, jobs_path("runs/get"), {{"run_id", std::to_string(run_id)}});
        } catch (const api::ApiError&) {
            throw error;
        }
        auto tasks = id_list(run);
        if (tasks.empty()) throw;
        throw api::ApiError(error.http_status(), error.error_code(),
                            error.message() + " Pass a task's run ID instead: " + tasks + ".");
    }
}

struct ListRunsOptions {
    std::optional<std::string> job_id;
    bool active_only = false, completed_only = false, expand_tasks = false, all = false;
    std::optional<std::string> run_type;
    std::optional<std::int64_t> start_time_from, start_time_to, limit, offset;
    ListJson shape = ListJson::Items;
};

api::Query list_runs_query(const ListRunsOptions& options) {
    if (options.active_only && options.completed_only) throw cli::UsageError("--active-only and --completed-only cannot be combined");
    if (options.limit && *options.limit < 1) throw cli::UsageError("--limit must be at least 1");
    if (options.offset && *options.offset < 0) throw cli::UsageError("--offset cannot be negative");
    api::Query query;
    if (options.job_id) query.emplace_back("job_id", std::to_string(parse_id(*options.job_id, IdKind::Job)));
    if (options.active_only) query.emplace_back("active_only", "true");
    if (options.completed_only) query.emplace_back("completed_only", "true");
    if (options.run_type) query.emplace_back("run_type", *options.run_type);
    if (options.start_time_from) query.emplace_back("start_time_from", std::to_string(*options.start_time_from));
    if (options.start_time_to) query.emplace_back("start_time_to", std::to_string(*options.start_time_to));
    if (options.expand_tasks) query.emplace_back("expand_tasks", "true");
    return query;
}

void run_list_runs(cli::Context& context, const ListRunsOptions& options, Pages pages) {
    ListRequest request{"runs/list", "runs", list_runs_query(options), kLargestRunsPage, options.limit, options.offset,
                        options.all ? Pages::All : pages};
    if (context.output_mode() == cli::OutputMode::Json) {
        auto result = list_items(context.api(), request);
        if (options.shape == ListJson::Items) return cli::print_json(result.items);
        return cli::print_json({{"runs", result.items}, {"has_more", result.has_more}});
    }
    // Each run becomes its table row as its page arrives: the rows are a tenth of the runs' JSON.
    std::vector<cli::Row> rows;
    list_items(context.api(), request, [&rows](api::Json&& run) {
        auto result_text = result_state(run);
        rows.push_back({id_text(run, "run_id"), text_field(run, "run_name"), life_cycle_state(run),
                        result_text.empty() ? "n/a" : cli::state_text(result_text), text_field(run, "run_page_url")});
    });
    cli::print_table(rows);
}

struct CancelOptions {
    IdArguments ids;
    WaitFlags wait;
};

void run_cancel(cli::Context& context, const CancelOptions& options, WaitByDefault by_default) {
    auto run_id = resolve_id(options.ids.positional, options.ids.flag, IdKind::Run);
    bool wait = should_wait(options.wait, by_default);
    auto timeout = parse_timeout_flag(options.wait.timeout);
    auto answer = context.api().call(Method::Post, jobs_path("runs/cancel"), {}, {{"run_id", run_id}});
    if (!wait) {
        if (by_default == WaitByDefault::No) cli::print_json(answer);  // the legacy CLI prints {}
        return;
    }
    // Cancelling is asynchronous: the run may still be RUNNING when runs/cancel answers.
    auto run = wait_for_run(context.api(), run_id, wait_options(context, timeout));
    if (!run) return report_timeout(context, run_id, timeout);
    cli::print_json(*run);
}

}  // namespace

std::string id_text(const api::Json& object, const std::string& key) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) return "";
    return found->is_string() ? found->get<std::string>() : found->dump();
}

CLI::App* add_get_run(CLI::App& group, cli::Context& context, const VerbText& text) {
    struct Options {
        IdArguments ids;
        bool include_history = false, include_resolved_values = false;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand(text.name, "Show a run: state, tasks, timings, parameters (JSON)");
    add_id_arguments(*verb, options->ids, IdKind::Run);
    verb->add_flag("--include-history", options->include_history, "Include the repair history");
    verb->add_flag("--include-resolved-values", options->include_resolved_values, "Include resolved parameter values");
    add_legacy_api_version(*verb);
    verb->footer("On the local engine, tasks that ran also carry brix_metrics (duration, CPU time, peak memory).\n" + text.footer);
    verb->callback([&context, options] {
        auto run_id = resolve_id(options->ids.positional, options->ids.flag, IdKind::Run);
        api::Query extra;
        if (options->include_history) extra.emplace_back("include_history", "true");
        if (options->include_resolved_values) extra.emplace_back("include_resolved_values", "true");
        cli::print_json(get_run(context.api(), run_id, extra));
    });
    return verb;
}

CLI::App* add_get_run_output(CLI::App& group, cli::Context& context, const VerbText& text) {
    auto ids = std::make_shared<IdArguments>();
    auto* verb = group.add_subcommand(text.name, "Show what a task run returned or printed, and its error (JSON)");
    add_id_arguments(*verb, *ids, IdKind::Run);
    add_legacy_api_version(*verb);
    verb->footer("Give a task's run ID (tasks[].run_id in the run); for a job run, the error lists them.\n" + text.footer);
    verb->callback([&context, ids] {
        cli::print_json(get_output(context.api(), resolve_id(ids->positional, ids->flag, IdKind::Run)));
    });
    return verb;
}

CLI::App* add_list_runs(CLI::App& group, cli::Context& context, const VerbText& text, Pages pages) {
    auto options = std::make_shared<ListRunsOptions>();
    auto* verb = group.add_subcommand(text.name, "List runs, newest first");
    verb->add_option("--job-id", options->job_id, "Only the runs of this job");
    verb->add_flag("--active-only", options->active_only, "Only queued, pending, running or terminating runs");
    verb->add_flag("--completed-only", options->completed_only, "Only finished runs");
    verb->add_option("--run-type", options->run_type, "JOB_RUN, WORKFLOW_RUN or SUBMIT_RUN");
    verb->add_option("--start-time-from", options->start_time_from, "Runs started at or after this time (epoch ms)");
    verb->add_option("--start-time-to", options->start_time_to, "Runs started at or before this time (epoch ms)");
    verb->add_flag("--expand-tasks", options->expand_tasks, "Include each run's tasks (JSON output)");
    verb->add_option("--limit", options->limit, "Show at most this many runs (pages as needed)");
    verb->add_option("--offset", options->offset, "Skip this many runs first (legacy)");
    verb->add_flag("--all", options->all, "List every run, page after page");
    add_legacy_output_flag(*verb, context, options->shape);
    add_legacy_api_version(*verb);
    verb->footer("Text: run_id, run_name, life_cycle_state, result_state (n/a while running), run_page_url.\n"
                 "-o json prints an array of runs; the legacy --output JSON prints {\"runs\": [...], \"has_more\": ...}.\n" +
                 text.footer);
    verb->callback([&context, options, pages] { run_list_runs(context, *options, pages); });
    return verb;
}

CLI::App* add_cancel_run(CLI::App& group, cli::Context& context, const VerbText& text, WaitByDefault wait) {
    auto options = std::make_shared<CancelOptions>();
    auto summary = wait == WaitByDefault::Yes ? "Cancel a run and wait until it has stopped"
                                              : "Cancel a run (returns at once; --wait to wait until it has stopped)";
    auto* verb = group.add_subcommand(text.name, summary);
    add_id_arguments(*verb, options->ids, IdKind::Run);
    add_wait_flags(*verb, options->wait, wait);
    add_legacy_api_version(*verb);
    verb->footer(text.footer);
    verb->callback([&context, options, wait] { run_cancel(context, *options, wait); });
    return verb;
}

CLI::App* add_cancel_all_runs(CLI::App& group, cli::Context& context, const VerbText& text) {
    struct Options {
        IdArguments ids;
        bool all_queued_runs = false;
    };
    auto options = std::make_shared<Options>();
    auto* verb = group.add_subcommand(text.name, "Cancel every active run of a job, or every queued run");
    add_id_arguments(*verb, options->ids, IdKind::Job);
    verb->add_flag("--all-queued-runs", options->all_queued_runs, "Also cancel queued runs (without a job: all queued runs)");
    add_legacy_api_version(*verb);
    verb->footer("Cancelling is asynchronous: runs stop shortly after this returns.\n" + text.footer);
    verb->callback([&context, options] {
        auto job_id = resolve_optional_id(options->ids.positional, options->ids.flag, IdKind::Job);
        if (!job_id && !options->all_queued_runs)
            throw cli::UsageError("say which runs: give JOB_ID (or --job-id), or --all-queued-runs");
        api::Json body = api::Json::object();
        if (job_id) body["job_id"] = *job_id;
        if (options->all_queued_runs) body["all_queued_runs"] = true;
        context.api().call(Method::Post, jobs_path("runs/cancel-all"), {}, body);
    });
    return verb;
}

CLI::App* add_delete_run(CLI::App& group, cli::Context& context, const VerbText& text) {
    auto ids = std::make_shared<IdArguments>();
    auto* verb = group.add_subcommand(text.name, "Delete a finished run");
    add_id_arguments(*verb, *ids, IdKind::Run);
    add_legacy_api_version(*verb);
    verb->footer(text.footer);
    verb->callback([&context, ids] {
        auto run_id = resolve_id(ids->positional, ids->flag, IdKind::Run);
        context.api().call(Method::Post, jobs_path("runs/delete"), {}, {{"run_id", run_id}});
    });
    return verb;
}

}  // namespace brix::commands::jobs
