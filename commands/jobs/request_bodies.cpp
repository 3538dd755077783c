#include "commands/jobs/request_bodies.hpp"

#include <algorithm>

#include "cli/context.hpp"
#include "commands/jobs/single_task.hpp"

namespace brix::commands::jobs {
namespace {

constexpr std::size_t kLongestToken = 64;  // the Jobs API refuses longer idempotency tokens

// One ID for the job (or run), from the command line or the body; two different ones is a mistake.
std::int64_t id_for(const api::Json& document, std::optional<std::int64_t> given, bool given_wins, IdKind kind) {
    bool job = kind == IdKind::Job;
    std::string key = job ? "job_id" : "run_id", what = job ? "job" : "run";
    auto in_body = id_in_body(document, key, kind);
    if (given && in_body && *given != *in_body && !given_wins)
        throw cli::UsageError("the " + what + " ID is given twice and differs: " + std::to_string(*given) +
                              " on the command line, " + std::to_string(*in_body) + " as \"" + key + "\" in the JSON");
    if (given) return *given;
    if (in_body) return *in_body;
    throw cli::UsageError("missing " + what + " ID: pass " + (job ? "JOB_ID, --job-id" : "RUN_ID, --run-id") + ", or \"" + key +
                          "\" in the JSON");
}

std::int64_t job_id_for(const api::Json& document, std::optional<std::int64_t> given, bool given_wins) {
    return id_for(document, given, given_wins, IdKind::Job);
}

api::Json without_job_id(const api::Json& document) {
    auto copy = document;
    copy.erase("job_id");
    return copy;
}

api::Json settings_object(const api::Json& value, const char* what) {
    if (!value.is_object()) throw cli::UsageError(std::string(what) + " must be a JSON object");
    return value;
}

// A field set both by a flag and in the JSON: agreeing is fine, disagreeing is refused rather
// than silently resolved.
void set_field(api::Json& body, const std::string& key, const api::Json& value, const std::string& flag) {
    if (auto found = body.find(key); found != body.end() && *found != value)
        throw cli::UsageError(flag + " and \"" + key + "\" in the JSON both set " + key + ": give one");
    body[key] = value;
}

std::string checked_token(const std::string& token) {
    if (token.empty() || token.size() > kLongestToken)
        throw cli::UsageError("--idempotency-token must be 1 to 64 characters");
    return token;
}

void add_idempotency_token(api::Json& body, const std::optional<std::string>& flag) {
    if (flag) return set_field(body, "idempotency_token", checked_token(*flag), "--idempotency-token");
    if (auto found = body.find("idempotency_token"); found != body.end()) {
        if (!found->is_string()) throw cli::UsageError("\"idempotency_token\" in the JSON must be a string");
        checked_token(found->get<std::string>());
        return;
    }
    body["idempotency_token"] = new_idempotency_token();
}

// The --json document's fields but its ID (parameter fields checked), then the parameter flags.
void add_document_and_params(api::Json& body, const api::Json& document, const std::string& id_key, const ParamValues& params) {
    for (const auto& [key, value] : document.items()) {
        if (key == id_key) continue;
        for (const auto& param : kRunNowParams)
            if (key == param.key) check_param_shape("\"" + key + "\" in --json", value, param.shape);
        body[key] = value;
    }
    for (std::size_t i = 0; i < kRunNowParams.size(); ++i) {
        const auto& param = kRunNowParams[i];
        if (params[i]) set_field(body, param.key, parse_param_flag(param.flag, *params[i], param.shape), param.flag);
    }
}

}  // namespace

api::Json build_reset_body(const api::Json& document, std::optional<std::int64_t> job_id) {
    auto id = job_id_for(document, job_id, true);
    bool api_shape = document.contains("new_settings");
    auto settings = api_shape ? settings_object(document["new_settings"], "new_settings") : without_job_id(document);
    return {{"job_id", id}, {"new_settings", to_multi_task(settings, job_settings_spec())}};
}

api::Json build_update_body(const api::Json& document, std::optional<std::int64_t> job_id) {
    api::Json body{{"job_id", job_id_for(document, job_id, true)}};
    if (!document.contains("new_settings") && !document.contains("fields_to_remove")) {
        auto settings = without_job_id(document);
        if (settings.empty()) throw cli::UsageError("nothing to update: give new_settings and/or fields_to_remove in --json");
        body["new_settings"] = settings;
        return body;
    }
    if (auto found = document.find("new_settings"); found != document.end())
        body["new_settings"] = settings_object(*found, "new_settings");
    if (auto found = document.find("fields_to_remove"); found != document.end()) {
        auto is_string = [](const api::Json& field) { return field.is_string(); };
        if (!found->is_array() || !std::all_of(found->begin(), found->end(), is_string))
            throw cli::UsageError("fields_to_remove must be a JSON array of field names, e.g. [\"schedule\", \"tasks/old_task\"]");
        body["fields_to_remove"] = *found;
    }
    return body;
}

api::Json build_run_now_body(const RunNowRequest& request) {
    auto document = request.document.value_or(api::Json::object());
    api::Json body{{"job_id", job_id_for(document, request.job_id, false)}};
    add_document_and_params(body, document, "job_id", request.params);
    if (request.performance_target) set_field(body, "performance_target", *request.performance_target, "--performance-target");
    add_idempotency_token(body, request.idempotency_token);
    return body;
}

api::Json build_repair_body(const RepairRunRequest& request) {
    auto document = request.document.value_or(api::Json::object());
    api::Json body{{"run_id", id_for(document, request.run_id, false, IdKind::Run)}};
    add_document_and_params(body, document, "run_id", request.params);
    if (!request.rerun_tasks.empty()) set_field(body, "rerun_tasks", request.rerun_tasks, "--rerun-tasks");
    if (request.rerun_all_failed_tasks) set_field(body, "rerun_all_failed_tasks", true, "--rerun-all-failed-tasks");
    if (request.rerun_dependent_tasks) set_field(body, "rerun_dependent_tasks", true, "--rerun-dependent-tasks");
    if (request.latest_repair_id) set_field(body, "latest_repair_id", *request.latest_repair_id, "--latest-repair-id");
    if (request.performance_target) set_field(body, "performance_target", *request.performance_target, "--performance-target");
    auto all_failed = body.find("rerun_all_failed_tasks");
    if (!body.contains("rerun_tasks") && (all_failed == body.end() || *all_failed != true))
        throw cli::UsageError("say which tasks to repair: --rerun-tasks KEY,... or --rerun-all-failed-tasks "
                              "(or \"rerun_tasks\" / \"rerun_all_failed_tasks\" in --json)");
    return body;
}

api::Json build_submit_body(const SubmitRequest& request) {
    auto body = request.document;
    if (request.run_name) set_field(body, "run_name", *request.run_name, "--run-name");
    // After --run-name (the task of a 2.0 document is named after the run), before
    // --timeout-seconds (the run's limit, where a 2.0 document's own is its task's).
    body = to_multi_task(body, run_submit_spec());
    if (request.timeout_seconds) set_field(body, "timeout_seconds", *request.timeout_seconds, "--timeout-seconds");
    add_idempotency_token(body, request.idempotency_token);
    return body;
}

}  // namespace brix::commands::jobs
