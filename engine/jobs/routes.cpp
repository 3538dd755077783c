// /api/{2.0,2.1,2.2}/jobs/*: jobs, runs, run output.
#include <charconv>

#include "engine/jobs/job_settings.hpp"
#include "engine/jobs/jobs_2_0.hpp"
#include "engine/jobs/launcher.hpp"
#include "engine/jobs/repair.hpp"
#include "engine/jobs/run_parameters.hpp"
#include "engine/jobs/run_store.hpp"
#include "engine/jobs/service.hpp"
#include "engine/params.hpp"
#include "engine/routes.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;
using api::Method;
using api::Request;
using jobs::JobsService;
using jobs::RunStore;

const std::initializer_list<std::string_view> kJobsVersions = {"2.0", "2.1", "2.2"};

// The next_page_token that jobs/list hands out is the offset of the next page.
std::int64_t page_offset(const std::string& token) {
    std::int64_t offset = 0;
    auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), offset);
    if (error != std::errc() || end != token.data() + token.size() || offset < 0)
        throw api::invalid_parameter("Invalid page_token: " + token);
    return offset;
}

std::optional<std::string> idempotency_token(const Params& params) {
    auto token = params.text("idempotency_token");
    if (token && token->size() > 64) throw api::invalid_parameter("idempotency_token is longer than 64 characters");
    return token;
}

// A create, reset or submit document as the engine stores it: 2.0 single-task documents become
// one task; on 2.1 and 2.2 their top-level task fields are refused.
Json multi_task_document(const Request& request, Json document, JobDocument kind, const std::string& where = "") {
    if (document.is_null()) document = Json::object();
    if (is_jobs_2_0(request)) return normalize_settings(std::move(document), kind);
    refuse_single_task_fields(document, kind, where);
    return document;
}

RunView run_view(const Request& request) {
    Params params(request);
    return RunView{is_jobs_2_0(request), params.boolean("include_resolved_values", false), params.boolean("include_history", false)};
}

// Starts the run's executor and hands the run over to it. The run exists by now whatever
// happens here: when the handover cannot be written, the run still names this process, which
// answers for it as an orphan once it is gone; so a failed handover is not the caller's error.
void start_run(RunLauncher& launcher, jobs::RunStore& runs, std::int64_t run_id) {
    auto worker = launcher.launch(run_id);
    if (worker <= 0) return;
    try {
        runs.hand_over(run_id, worker);
    } catch (const api::ApiError&) {
    }
}

}  // namespace

void add_routes(Router& router, store::EngineRoot& root, RunLauncher& launcher) {
    auto jobs = std::make_shared<JobsService>(root);
    auto runs = std::make_shared<RunStore>(root);

    router.json(Method::Post, kJobsVersions, "/jobs/create", [jobs](const Request& request, const std::string&) {
        auto settings = multi_task_document(request, request.body, JobDocument::Settings);
        settings.erase("access_control_list");
        return Json{{"job_id", jobs->create(std::move(settings))}};
    });
    router.json(Method::Get, kJobsVersions, "/jobs/get", [jobs](const Request& request, const std::string&) {
        return jobs->get(Params(request).required_integer("job_id"), is_jobs_2_0(request));
    });
    router.json(Method::Get, kJobsVersions, "/jobs/list", [jobs](const Request& request, const std::string&) {
        Params params(request);
        auto offset = params.integer("offset").value_or(0);
        if (auto token = params.text("page_token"); token && !token->empty()) offset = page_offset(*token);
        if (offset < 0) throw api::invalid_parameter("offset cannot be negative");
        return jobs->list(params.text("name"), params.integer("limit").value_or(20), offset, params.boolean("expand_tasks", false),
                          is_jobs_2_0(request));
    });
    router.json(Method::Post, kJobsVersions, "/jobs/reset", [jobs](const Request& request, const std::string&) {
        Params params(request);
        if (!request.body.contains("new_settings")) throw api::invalid_parameter("Missing required field: new_settings");
        jobs->reset(params.required_integer("job_id"),
                    multi_task_document(request, request.body["new_settings"], JobDocument::Settings, "new_settings."));
        return Json::object();
    });
    router.json(Method::Post, kJobsVersions, "/jobs/update", [jobs](const Request& request, const std::string&) {
        Params params(request);
        jobs->update(params.required_integer("job_id"), request.body.value("new_settings", Json()),
                     request.body.value("fields_to_remove", Json::array()), is_jobs_2_0(request));
        return Json::object();
    });
    router.json(Method::Post, kJobsVersions, "/jobs/delete", [jobs](const Request& request, const std::string&) {
        jobs->remove(Params(request).required_integer("job_id"));
        return Json::object();
    });

    router.json(Method::Post, kJobsVersions, "/jobs/run-now", [jobs, runs, &launcher](const Request& request, const std::string&) {
        Params params(request);
        auto job_id = params.required_integer("job_id");
        auto settings = jobs->find_settings(job_id);
        if (!settings) throw jobs::job_not_found(job_id);
        if (settings->value("tasks", Json::array()).empty())
            throw api::invalid_parameter("Job " + std::to_string(job_id) + " has no tasks to run");
        auto created = runs->create(jobs::NewRun{job_id, "JOB_RUN", settings->value("name", "Untitled"), *settings,
                                                 overriding_parameters(request.body, *settings), idempotency_token(params)});
        if (!created.already_existed) start_run(launcher, *runs, created.run_id);
        return Json{{"run_id", created.run_id}, {"number_in_job", created.run_id}};
    });
    router.json(Method::Post, kJobsVersions, "/jobs/runs/submit", [&root, runs, &launcher](const Request& request, const std::string&) {
        Params params(request);
        auto settings = multi_task_document(request, request.body, JobDocument::SubmitRun);
        if (settings.contains("job_clusters"))
            throw api::invalid_parameter("runs/submit takes no job_clusters: each task of a one-time run names its "
                                         "new_cluster or existing_cluster_id (job clusters belong to jobs: jobs create)");
        jobs::validate_settings(root, settings);
        if (settings.value("tasks", Json::array()).empty()) throw api::invalid_parameter("A run needs at least one task");
        auto name = settings.value("run_name", "Untitled");
        auto token = idempotency_token(params);
        settings.erase("idempotency_token");
        auto created = runs->create(jobs::NewRun{0, "SUBMIT_RUN", name, settings, Json::object(), token});
        if (!created.already_existed) start_run(launcher, *runs, created.run_id);
        return Json{{"run_id", created.run_id}};
    });
    router.json(Method::Get, kJobsVersions, "/jobs/runs/get", [runs](const Request& request, const std::string&) {
        return runs->run_json(Params(request).required_integer("run_id"), run_view(request));
    });
    router.json(Method::Get, kJobsVersions, "/jobs/runs/list", [runs](const Request& request, const std::string&) {
        return runs->list_json(request, run_view(request));
    });
    router.json(Method::Get, kJobsVersions, "/jobs/runs/get-output", [runs](const Request& request, const std::string&) {
        return runs->output_json(Params(request).required_integer("run_id"), run_view(request));
    });
    router.json(Method::Post, kJobsVersions, "/jobs/runs/cancel", [runs](const Request& request, const std::string&) {
        runs->request_cancel(Params(request).required_integer("run_id"));
        return Json::object();
    });
    router.json(Method::Post, kJobsVersions, "/jobs/runs/cancel-all", [runs](const Request& request, const std::string&) {
        Params params(request);
        auto job_id = params.integer("job_id");
        if (!job_id && !params.boolean("all_queued_runs", false))
            throw api::invalid_parameter("Give job_id, or all_queued_runs to cancel every queued run");
        runs->cancel_all(job_id);
        return Json::object();
    });
    router.json(Method::Post, kJobsVersions, "/jobs/runs/delete", [runs](const Request& request, const std::string&) {
        runs->remove(Params(request).required_integer("run_id"));
        return Json::object();
    });
    router.json(Method::Post, kJobsVersions, "/jobs/runs/repair", [jobs, runs, &launcher](const Request& request, const std::string&) {
        Params params(request);
        jobs::RepairRequest repair;
        repair.run_id = params.required_integer("run_id");
        repair.latest_repair_id = params.integer("latest_repair_id");
        repair.rerun_all_failed_tasks = params.boolean("rerun_all_failed_tasks", false);
        repair.rerun_dependent_tasks = params.boolean("rerun_dependent_tasks", false);
        if (request.body.contains("rerun_tasks") && !request.body["rerun_tasks"].is_null()) {
            const auto& keys = request.body["rerun_tasks"];
            if (!keys.is_array()) throw api::invalid_parameter("rerun_tasks must be a list of task keys");
            repair.rerun_tasks.emplace();
            for (const auto& key : keys) {
                if (!key.is_string()) throw api::invalid_parameter("rerun_tasks must be a list of task keys");
                repair.rerun_tasks->push_back(key.get<std::string>());
            }
        }
        repair.body = request.body.is_object() ? request.body : Json::object();
        auto repair_id = jobs::prepare_repair(*jobs, *runs, repair);
        start_run(launcher, *runs, repair.run_id);
        return Json{{"repair_id", repair_id}};
    });
    router.json(Method::Get, kJobsVersions, "/jobs/runs/export", [](const Request&, const std::string&) -> Json {
        throw api::not_implemented("jobs/runs/export is not supported by the brix local engine yet");
    });
}

}  // namespace brix::engine::jobs
