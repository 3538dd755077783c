// `bundle run KEY` (run-now on the deployed job, waiting as `jobs run-now` does) and
// `bundle destroy` (the jobs, the workspace folder and the state go).
#include <CLI/CLI.hpp>

#include <unistd.h>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/bundle/bundle_verbs.hpp"
#include "commands/bundle/deploy.hpp"
#include "commands/bundle/deploy_state.hpp"
#include "commands/configure/terminal_input.hpp"
#include "commands/jobs/run_calls.hpp"
#include "commands/jobs/run_verbs.hpp"

namespace brix::commands::bundle {
namespace {

using api::Method;

struct RunOptions {
    std::optional<std::string> key;
    std::vector<std::string> params, notebook_params, python_params;
    jobs::WaitFlags wait;
};

// "a=1,b=2" (the Databricks CLI's form) or repeated flags. A piece without '=' continues the
// value before it, so "query=a,b" keeps its comma.
api::Json key_values(const std::vector<std::string>& flags, const std::string& flag) {
    api::Json values = api::Json::object();
    std::string last;
    for (const auto& text : flags) {
        std::size_t start = 0;
        while (start <= text.size()) {
            auto comma = text.find(',', start);
            auto piece = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            auto equals = piece.find('=');
            if (equals != std::string::npos && equals > 0) {
                last = piece.substr(0, equals);
                values[last] = piece.substr(equals + 1);
            } else if (!last.empty()) {
                values[last] = values[last].get<std::string>() + "," + piece;
            } else {
                throw cli::UsageError(flag + " takes key=value pairs separated by commas, not " + text);
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return values;
}

api::Json list_values(const std::vector<std::string>& flags) {
    api::Json values = api::Json::array();
    for (const auto& text : flags) {
        std::size_t start = 0;
        for (auto comma = text.find(','); ; comma = text.find(',', start)) {
            values.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return values;
}

std::string job_keys(const Bundle& bundle) {
    std::string keys;
    for (const auto& [key, unused] : bundle.jobs().items()) keys += (keys.empty() ? "" : ", ") + key;
    return keys.empty() ? "none" : keys;
}

void run_bundle_job(cli::Context& context, const LoadOptions& load, const RunOptions& options) {
    // A waiting run executes in this process, as with `jobs run-now`; the Api is built while loading.
    if (jobs::should_wait(options.wait, jobs::WaitByDefault::Yes)) context.run_execution = cli::RunExecution::ThisProcess;
    auto bundle = load_checked_bundle(context, load);
    std::string key;
    if (options.key) key = *options.key;
    else if (bundle.jobs().size() == 1) key = bundle.jobs().begin().key();
    else throw cli::UsageError("name the job to run (jobs: " + job_keys(bundle) + ")");
    if (!bundle.jobs().contains(key)) throw cli::UsageError("no job " + key + " in the bundle (jobs: " + job_keys(bundle) + ")");
    auto state = read_state(context.api(), bundle);
    auto deployed = state.jobs.find(key);
    if (deployed == state.jobs.end())
        throw api::not_found("jobs." + key + " is not deployed to target " + bundle.target + ": run brix bundle deploy first");

    api::Json body{{"job_id", deployed->second.job_id}};
    if (!options.params.empty()) body["job_parameters"] = key_values(options.params, "--params");
    if (!options.notebook_params.empty()) body["notebook_params"] = key_values(options.notebook_params, "--notebook-params");
    if (!options.python_params.empty()) body["python_params"] = list_values(options.python_params);
    body["idempotency_token"] = jobs::new_idempotency_token();
    jobs::start_run(context, "run-now", body, options.wait);
}

void confirm_destroy(const Bundle& bundle, const DeploymentState& state) {
    if (!stdin_is_terminal())
        throw std::runtime_error("bundle destroy deletes jobs and files: pass --auto-approve (stdin is not a terminal to ask on)");
    auto answer = prompt_line("Delete " + std::to_string(state.jobs.size()) + " job(s) and " + bundle.root_path + "? [y/N] ", Echo::Visible);
    if (answer != "y" && answer != "Y" && answer != "yes") throw std::runtime_error("destroy cancelled: nothing was deleted");
}

void destroy_bundle(cli::Context& context, const LoadOptions& load, bool auto_approve, LockMode lock_mode) {
    auto bundle = load_checked_bundle(context, load);
    auto& api = context.api();
    auto state = read_state(api, bundle);
    if (!auto_approve) confirm_destroy(bundle, state);
    Progress progress{context.options.quiet ? nullptr : stderr};
    bool folder_exists = true;
    try {
        api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", bundle.root_path}});
    } catch (const api::ApiError& error) {
        if (!is_missing(error)) throw;
        folder_exists = false;
    }
    std::size_t deleted = 0;
    {
        std::optional<DeployLock> lock;
        if (folder_exists) lock.emplace(api, bundle, lock_mode);
        for (const auto& [key, job] : state.jobs) {
            try {
                api.call(Method::Post, jobs::jobs_path("delete"), {}, {{"job_id", job.job_id}});
                ++deleted;
                progress.line("  deleted jobs." + key + " (job " + std::to_string(job.job_id) + ")");
            } catch (const api::ApiError& error) {
                if (!is_missing(error)) throw;
            }
        }
        if (folder_exists) {
            api.call(Method::Post, "/api/2.0/workspace/delete", {}, {{"path", bundle.root_path}, {"recursive", true}});
            progress.line("  deleted " + bundle.root_path);
        }
    }
    remove_local_state(bundle);
    cli::print_line("Destroy complete: " + std::to_string(deleted) + (deleted == 1 ? " job" : " jobs") + " deleted, " +
                    (folder_exists ? bundle.root_path + " deleted" : bundle.root_path + " was not there"));
}

}  // namespace

void add_bundle_run(CLI::App& group, cli::Context& context, const std::shared_ptr<LoadOptions>& load) {
    auto options = std::make_shared<RunOptions>();
    auto* verb = group.add_subcommand("run", "Run a deployed job of the bundle and wait for it to end");
    verb->add_option("KEY", options->key, "The job's key under resources.jobs (optional when the bundle has one job)");
    verb->add_option("--params", options->params, "Job parameters: k=v,k2=v2 (repeatable)")->allow_extra_args(false);
    verb->add_option("--notebook-params", options->notebook_params, "Notebook parameters: k=v,k2=v2 (repeatable)")->allow_extra_args(false);
    verb->add_option("--python-params", options->python_params, "Python script arguments: a,b,c (repeatable)")->allow_extra_args(false);
    jobs::add_wait_flags(*verb, options->wait, jobs::WaitByDefault::Yes);
    verb->footer("Starts the job deployed for the target (brix bundle deploy first) with run-now and follows it as\n"
                 "`brix jobs run-now` does: the run URL and each state change on stderr, the task output on stdout.\n"
                 "Exit codes: 0 the run succeeded, 5 it ended otherwise, 124 --timeout passed, 3 the job is not deployed.\n"
                 "Example:\n  brix bundle run etl\n  brix bundle run report --params day=2026-11-21 --no-wait");
    verb->callback([&context, load, options] { run_bundle_job(context, *load, *options); });
}

void add_bundle_destroy(CLI::App& group, cli::Context& context, const std::shared_ptr<LoadOptions>& load) {
    auto auto_approve = std::make_shared<bool>(false);
    auto force_lock = std::make_shared<bool>(false);
    auto* verb = group.add_subcommand("destroy", "Delete the bundle's deployed jobs, its workspace folder and its state");
    verb->add_flag("--auto-approve", *auto_approve, "Do not ask for confirmation (required when stdin is not a terminal)");
    verb->add_flag("--force-lock", *force_lock, "Take the deploy lock even if another deploy holds it");
    verb->footer("Deletes the jobs recorded in the target's deployment state, then workspace.root_path with everything\n"
                 "in it, then .databricks/bundle/<target>/. Asks first on a terminal; elsewhere needs --auto-approve.\n"
                 "Example:\n  brix bundle destroy --auto-approve\n  brix bundle destroy -t prod");
    verb->callback([&context, load, auto_approve, force_lock] {
        destroy_bundle(context, *load, *auto_approve, *force_lock ? LockMode::Force : LockMode::Normal);
    });
}

}  // namespace brix::commands::bundle
