// The job half of a deploy, and the deploy as a whole: lock, state, files, jobs, state, report.
#include <functional>
#include <map>
#include <set>

#include "api/schema.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/bundle/bundle_files.hpp"
#include "commands/bundle/deploy.hpp"
#include "commands/bundle/interpolation.hpp"
#include "commands/jobs/run_calls.hpp"
#include "commands/jobs/single_task.hpp"

namespace brix::commands::bundle {
namespace {

using api::Method;

const std::string kJobIdPrefix = "resources.jobs.";

// The jobs a job's settings refer to with ${resources.jobs.<key>.id}.
std::set<std::string> referenced_jobs(const api::Json& value) {
    std::set<std::string> keys;
    if (value.is_string()) {
        for (const auto& reference : references_in(value.get_ref<const std::string&>()))
            if (reference.starts_with(kJobIdPrefix) && reference.ends_with(".id"))
                keys.insert(reference.substr(kJobIdPrefix.size(), reference.size() - kJobIdPrefix.size() - 3));
    } else if (value.is_structured()) {
        for (const auto& item : value) keys.merge(referenced_jobs(item));
    }
    return keys;
}

// Jobs in an order where each comes after the jobs whose IDs it needs.
std::vector<std::string> creation_order(const api::Json& jobs) {
    std::vector<std::string> order;
    std::map<std::string, int> mark;  // 1 visiting, 2 done
    std::function<void(const std::string&, std::vector<std::string>&)> visit = [&](const std::string& key, std::vector<std::string>& path) {
        if (mark[key] == 2) return;
        path.push_back(key);
        if (mark[key] == 1) {
            std::string cycle;
            for (const auto& step : path) cycle += (cycle.empty() ? "" : " -> ") + step;
            throw std::runtime_error("the jobs refer to each other's IDs in a circle: " + cycle);
        }
        mark[key] = 1;
        for (const auto& needed : referenced_jobs(jobs[key]))
            if (jobs.contains(needed) && needed != key) visit(needed, path);
        mark[key] = 2;
        path.pop_back();
        order.push_back(key);
    };
    for (const auto& [key, unused] : jobs.items()) {
        std::vector<std::string> path;
        visit(key, path);
    }
    return order;
}

// The settings as the Jobs API takes them: other jobs' IDs filled in, and every value of the
// type the API gives it (api/schema), as the Go CLI does: YAML numbers in string maps (tags,
// spark_conf, custom_tags) become strings, `--var workers=3` an integer num_workers.
api::Json settings_with_ids(const api::Json& job, const DeploymentState& state) {
    auto settings = job;
    std::map<std::string, api::Json> ids;
    for (const auto& [key, deployed] : state.jobs) ids[kJobIdPrefix + key + ".id"] = deployed.job_id;
    substitute_values(settings, [&ids](const std::string& reference) -> const api::Json* {
        auto found = ids.find(reference);
        return found == ids.end() ? nullptr : &found->second;
    });
    return api::schema::coerce(settings, jobs::job_create_spec());
}

bool job_exists(api::Api& api, std::int64_t job_id) {
    try {
        api.call(Method::Get, jobs::jobs_path("get"), {{"job_id", std::to_string(job_id)}});
        return true;
    } catch (const api::ApiError& error) {
        if (is_missing(error)) return false;
        throw;
    }
}

std::int64_t create_job(api::Api& api, const api::Json& settings) {
    auto answer = api.call(Method::Post, jobs::jobs_path("create"), {}, settings);
    if (!answer.is_object() || !answer.contains("job_id") || !answer["job_id"].is_number_integer())
        throw std::runtime_error("the Jobs API answered create without a job_id: " + answer.dump());
    return answer["job_id"].get<std::int64_t>();
}

std::string job_label(const std::string& key, std::int64_t id) { return "jobs." + key + " (job " + std::to_string(id) + ")"; }

void delete_removed_jobs(api::Api& api, const Bundle& bundle, DeploymentState& state, JobChanges& changes, const Progress& progress) {
    for (auto it = state.jobs.begin(); it != state.jobs.end();) {
        if (bundle.jobs().contains(it->first)) {
            ++it;
            continue;
        }
        try {
            api.call(Method::Post, jobs::jobs_path("delete"), {}, {{"job_id", it->second.job_id}});
        } catch (const api::ApiError& error) {
            if (!is_missing(error)) throw;
        }
        progress.line("  deleted " + job_label(it->first, it->second.job_id));
        changes.deleted.push_back(it->first);
        it = state.jobs.erase(it);
    }
}

std::string summary_line(const FileChanges& files, const JobChanges& jobs) {
    auto changed = files.uploaded.size() + files.deleted.size() + jobs.created.size() + jobs.updated.size() + jobs.deleted.size();
    auto n = [](std::size_t count) { return std::to_string(count); };
    return "Deploy complete: " + n(changed) + " changed (jobs: " + n(jobs.created.size()) + " created, " + n(jobs.updated.size()) +
           " updated, " + n(jobs.deleted.size()) + " deleted, " + n(jobs.unchanged.size()) + " unchanged; files: " +
           n(files.uploaded.size()) + " uploaded, " + n(files.deleted.size()) + " deleted, " + n(files.unchanged) + " unchanged)";
}

api::Json summary_json(const FileChanges& files, const JobChanges& jobs, const DeploymentState& state) {
    auto changed = files.uploaded.size() + files.deleted.size() + jobs.created.size() + jobs.updated.size() + jobs.deleted.size();
    api::Json ids = api::Json::object();
    for (const auto& [key, job] : state.jobs) ids[key] = job.job_id;
    return {{"changed", changed},
            {"jobs", {{"created", jobs.created}, {"updated", jobs.updated}, {"deleted", jobs.deleted}, {"unchanged", jobs.unchanged}}},
            {"files", {{"uploaded", files.uploaded}, {"deleted", files.deleted}, {"unchanged", files.unchanged}}},
            {"job_ids", ids}};
}

}  // namespace

JobChanges deploy_jobs(api::Api& api, const Bundle& bundle, DeploymentState& state, const Progress& progress) {
    JobChanges changes;
    progress.line("Deploying resources...");
    for (const auto& key : creation_order(bundle.jobs())) {
        auto settings = settings_with_ids(bundle.jobs()[key], state);
        auto fingerprint = text_fingerprint(settings.dump());
        auto known = state.jobs.find(key);
        bool exists = known != state.jobs.end() && job_exists(api, known->second.job_id);
        if (exists && known->second.settings_fingerprint == fingerprint) {
            changes.unchanged.push_back(key);
            continue;
        }
        std::int64_t job_id = 0;
        if (exists) {
            job_id = known->second.job_id;
            api.call(Method::Post, jobs::jobs_path("reset"), {}, {{"job_id", job_id}, {"new_settings", settings}});
            progress.line("  updated " + job_label(key, job_id));
            changes.updated.push_back(key);
        } else {
            job_id = create_job(api, settings);
            auto note = known == state.jobs.end() ? "" : ", replacing job " + std::to_string(known->second.job_id) + ", which no longer exists";
            progress.line("  created " + job_label(key, job_id) + note);
            changes.created.push_back(key);
        }
        state.jobs[key] = {job_id, settings.value("name", key), fingerprint};
    }
    delete_removed_jobs(api, bundle, state, changes, progress);
    return changes;
}

void deploy_bundle(cli::Context& context, const Bundle& bundle, LockMode lock_mode) {
    auto& api = context.api();
    Progress progress{context.options.quiet ? nullptr : stderr};
    DeployLock lock(api, bundle, lock_mode);
    auto state = read_state(api, bundle);
    FileChanges files;
    JobChanges jobs;
    try {
        files = sync_files(api, bundle, state, progress);
        jobs = deploy_jobs(api, bundle, state, progress);
    } catch (...) {
        // What was done stays recorded, so the next deploy updates instead of duplicating.
        try {
            write_state(api, bundle, state);
        } catch (const std::exception& error) {
            cli::print_warning("could not record the partial deploy: " + std::string(error.what()));
        }
        throw;
    }
    write_state(api, bundle, state);
    if (context.output_mode() == cli::OutputMode::Json) return cli::print_json(summary_json(files, jobs, state));
    cli::print_line(summary_line(files, jobs));
}

}  // namespace brix::commands::bundle
