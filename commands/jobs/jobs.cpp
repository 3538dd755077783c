// `jobs` group: create, get, list, reset, update, delete here; the run verbs (run-now, submit,
// get-run, list-runs, ...) are shared with the `runs` group and live in start_run.cpp and
// run_info.cpp.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"
#include "commands/jobs/request_bodies.hpp"
#include "commands/jobs/run_verbs.hpp"
#include "commands/jobs/single_task.hpp"

namespace brix::commands {
namespace jobs_verbs {  // named for unity builds, which put several groups' add_list in one file

using api::Method;
using namespace jobs;

constexpr std::int64_t kLargestJobsPage = 100;  // jobs/list refuses more per page

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

void add_create(CLI::App& group, cli::Context& context) {
    auto input = std::make_shared<JsonInput>();
    auto* verb = group.add_subcommand("create", "Create a job from JSON or YAML settings");
    add_json_input(*verb, *input);
    add_legacy_api_version(*verb);
    verb->footer("The settings go to the API as given; a Jobs API 2.0 single-task document (new_cluster,\n"
                 "spark_python_task, ... at the top level) becomes the one task of a multi-task job. Prints {\"job_id\": N}.\n"
                 "Examples:\n  brix jobs create --json @job.yml\n  brix jobs create --json-file job.json\n"
                 "  brix jobs create --json '{\"name\": \"nightly\", \"tasks\": [...]}'\n  cat job.json | brix jobs create --json -");
    verb->callback([&context, input] {
        auto settings = to_multi_task(load_json_object(*input), job_create_spec());
        cli::print_json(context.api().call(Method::Post, jobs_path("create"), {}, settings));
    });
}

void add_get(CLI::App& group, cli::Context& context) {
    auto ids = std::make_shared<IdArguments>();
    auto* verb = group.add_subcommand("get", "Show a job's settings (JSON)");
    add_id_arguments(*verb, *ids, IdKind::Job);
    add_legacy_api_version(*verb);
    verb->footer("Examples:\n  brix jobs get 123\n  brix jobs get --job-id 123");
    verb->callback([&context, ids] { cli::print_json(get_job(context.api(), resolve_id(ids->positional, ids->flag, IdKind::Job))); });
}

struct ListOptions {
    std::optional<std::string> name;
    std::optional<std::int64_t> limit, offset;
    bool expand_tasks = false, all = false;
    ListJson shape = ListJson::Items;
};

void run_list(cli::Context& context, const ListOptions& options) {
    if (options.limit && *options.limit < 1) throw cli::UsageError("--limit must be at least 1");
    if (options.offset && *options.offset < 0) throw cli::UsageError("--offset cannot be negative");
    api::Query query;
    if (options.name) query.emplace_back("name", *options.name);
    if (options.expand_tasks) query.emplace_back("expand_tasks", "true");
    // Every page unless a --limit caps the count: what the new CLI does, and what `--all` asked the legacy one.
    ListRequest request{"list", "jobs", query, kLargestJobsPage, options.all ? std::nullopt : options.limit, options.offset, Pages::All};
    auto jobs = list_items(context.api(), request).items;
    if (context.output_mode() == cli::OutputMode::Json)
        return cli::print_json(options.shape == ListJson::Items ? jobs : api::Json{{"jobs", jobs}});
    auto name_of = [](const api::Json& job) { return job.contains("settings") ? text_field(job["settings"], "name") : ""; };
    std::stable_sort(jobs.begin(), jobs.end(),
                     [&](const api::Json& a, const api::Json& b) { return lower(name_of(a)) < lower(name_of(b)); });
    std::vector<cli::Row> rows;
    for (const auto& job : jobs) rows.push_back({id_text(job, "job_id"), name_of(job)});
    cli::print_table(rows);
}

void add_list(CLI::App& group, cli::Context& context) {
    auto options = std::make_shared<ListOptions>();
    auto* verb = group.add_subcommand("list", "List jobs (job_id and name, sorted by name)");
    verb->add_option("--name", options->name, "Only jobs with exactly this name (case-insensitive)");
    verb->add_option("--limit", options->limit, "Show at most this many jobs");
    verb->add_option("--offset", options->offset, "Skip this many jobs first (legacy)");
    verb->add_flag("--expand-tasks", options->expand_tasks, "Include each job's tasks (JSON output)");
    verb->add_flag("--all", options->all, "List every job, ignoring --limit (legacy; listing every job is the default)");
    verb->add_option_function<std::string>("--type", [](const std::string&) {}, "Ignored, as by the legacy CLI")->group("");
    add_legacy_output_flag(*verb, context, options->shape);
    add_legacy_api_version(*verb);
    verb->footer("-o json prints an array of jobs; the legacy --output JSON prints {\"jobs\": [...]}.\n"
                 "Examples:\n  brix jobs list\n  brix jobs list --name nightly -o json\n  brix jobs list --output JSON --limit 5");
    verb->callback([&context, options] { run_list(context, *options); });
}

struct SettingsOptions {
    IdArguments ids;
    JsonInput input;
};

// reset and update share their shape: a job id, a JSON document, and the body built from both.
using SettingsBodyBuilder = api::Json (*)(const api::Json& document, std::optional<std::int64_t> job_id);

void add_settings_verb(CLI::App& group, cli::Context& context, const std::string& name, const std::string& summary,
                       const std::string& footer, SettingsBodyBuilder build_body) {
    auto options = std::make_shared<SettingsOptions>();
    auto* verb = group.add_subcommand(name, summary);
    add_id_arguments(*verb, options->ids, IdKind::Job);
    add_json_input(*verb, options->input);
    add_legacy_api_version(*verb);
    verb->footer(footer);
    verb->callback([&context, options, name, build_body] {
        auto job_id = resolve_optional_id(options->ids.positional, options->ids.flag, IdKind::Job);
        auto body = build_body(load_json_object(options->input), job_id);
        context.api().call(Method::Post, jobs_path(name), {}, body);
    });
}

void add_reset(CLI::App& group, cli::Context& context) {
    add_settings_verb(group, context, "reset", "Replace all of a job's settings",
                      "--json holds the new settings, bare or as {\"job_id\": N, \"new_settings\": {...}};\n"
                      "JOB_ID or --job-id wins over a job_id in the JSON.\n"
                      "Examples:\n  brix jobs reset --job-id 123 --json-file job.json\n  brix jobs reset 123 --json @job.yml\n"
                      "  brix jobs reset --json '{\"job_id\": 123, \"new_settings\": {\"name\": \"nightly\"}}'",
                      build_reset_body);
}

void add_update(CLI::App& group, cli::Context& context) {
    add_settings_verb(group, context, "update", "Change some of a job's settings",
                      "--json holds {\"new_settings\": {...}, \"fields_to_remove\": [...]}, or bare settings.\n"
                      "Top-level fields are replaced whole; tasks and job_clusters merge by key.\n"
                      "Examples:\n  brix jobs update 123 --json '{\"new_settings\": {\"max_concurrent_runs\": 2}}'\n"
                      "  brix jobs update 123 --json '{\"fields_to_remove\": [\"schedule\"]}'",
                      build_update_body);
}

void add_delete(CLI::App& group, cli::Context& context) {
    auto ids = std::make_shared<IdArguments>();
    auto* verb = group.add_subcommand("delete", "Delete a job");
    add_id_arguments(*verb, *ids, IdKind::Job);
    add_legacy_api_version(*verb);
    verb->footer("Examples:\n  brix jobs delete 123\n  brix jobs delete --job-id 123");
    verb->callback([&context, ids] {
        auto job_id = resolve_id(ids->positional, ids->flag, IdKind::Job);
        context.api().call(Method::Post, jobs_path("delete"), {}, {{"job_id", job_id}});
    });
}

void add_run_verbs(CLI::App& group, cli::Context& context) {
    add_run_now(group, context);
    add_submit(group, context, {"submit", "Examples:\n  brix jobs submit --json @run.yml\n  brix jobs submit --json @run.json --no-wait"},
               RunForm::New);
    add_get_run(group, context, {"get-run", "Examples:\n  brix jobs get-run 456\n  brix jobs get-run 456 -o json | jq .state"});
    add_get_run_output(group, context, {"get-run-output", "Example:\n  brix jobs get-run-output 457"});
    add_list_runs(group, context,
                  {"list-runs", "Examples:\n  brix jobs list-runs --job-id 123 --limit 10\n  brix jobs list-runs --active-only -o json"},
                  Pages::All);
    add_cancel_run(group, context,
                   {"cancel-run", "Examples:\n  brix jobs cancel-run 456\n  brix jobs cancel-run 456 --no-wait"},
                   WaitByDefault::Yes);
    add_cancel_all_runs(group, context,
                        {"cancel-all-runs", "Examples:\n  brix jobs cancel-all-runs 123\n  brix jobs cancel-all-runs --all-queued-runs"});
    add_delete_run(group, context, {"delete-run", "Example:\n  brix jobs delete-run 456"});
    add_repair_run(group, context,
                   {"repair-run", "Examples:\n  brix jobs repair-run 456 --rerun-all-failed-tasks\n"
                                  "  brix jobs repair-run 456 --rerun-tasks load,report --rerun-dependent-tasks --no-wait\n"
                                  "  brix jobs repair-run 456 --rerun-all-failed-tasks --latest-repair-id 3\n"
                                  "  brix jobs repair-run --json '{\"run_id\": 456, \"rerun_tasks\": [\"load\"]}'"},
                   RunForm::New);
}

}  // namespace jobs_verbs

void add_jobs_commands(CLI::App& app, cli::Context& context) {
    using namespace jobs_verbs;
    auto* group = app.add_subcommand("jobs", "Create, run and inspect jobs and their runs");
    group->footer("Both syntaxes work: `jobs get 123` and `jobs get --job-id 123`. --json takes inline JSON, @FILE\n"
                  "(JSON or YAML) or - for stdin. run-now and submit wait for the run unless --no-wait.\n"
                  "Examples:\n  brix jobs create --json @job.yml\n  brix jobs run-now 123 --timeout 1h\n  brix jobs list-runs --job-id 123 --limit 5");
    add_create(*group, context);
    add_get(*group, context);
    add_list(*group, context);
    add_reset(*group, context);
    add_update(*group, context);
    add_delete(*group, context);
    add_run_verbs(*group, context);
}

}  // namespace brix::commands
