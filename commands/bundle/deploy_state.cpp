#include "commands/bundle/deploy_state.hpp"

#include <chrono>
#include <unistd.h>

#include "api/streams.hpp"
#include "cli/output.hpp"
#include "commands/jobs/job_input.hpp"
#include "commands/local_files.hpp"
#include "commands/workspace/workspace_calls.hpp"

#ifndef BRIX_VERSION
#define BRIX_VERSION "0.0.0"
#endif

namespace brix::commands::bundle {
namespace fs = std::filesystem;
namespace {

constexpr int kStateVersion = 1;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string machine_name() {
    char name[256] = {};
    return gethostname(name, sizeof name - 1) == 0 ? name : "unknown";
}

// The bytes of a workspace file, or nullopt when there is none.
std::optional<std::string> read_workspace_file(api::Api& api, const std::string& path) {
    try {
        api::StringSink sink;
        workspace::export_to(api, path, "SOURCE", sink);
        return std::move(sink.bytes());
    } catch (const api::ApiError& error) {
        if (is_missing(error)) return std::nullopt;
        throw;
    }
}

void write_workspace_file(api::Api& api, const std::string& path, const std::string& bytes, bool overwrite) {
    api::StringSource source(bytes);
    workspace::import_file(api, path, source, overwrite);
}

api::Json to_json(const Bundle& bundle, const DeploymentState& state) {
    api::Json files = api::Json::object();
    for (const auto& [path, file] : state.files) files[path] = {{"fingerprint", file.fingerprint}, {"workspace_path", file.workspace_path}};
    api::Json jobs = api::Json::object();
    for (const auto& [key, job] : state.jobs)
        jobs[key] = {{"job_id", job.job_id}, {"name", job.name}, {"settings_fingerprint", job.settings_fingerprint}};
    return {{"version", kStateVersion},  {"serial", state.serial},      {"bundle", bundle.name},
            {"target", bundle.target},   {"host", bundle.host},         {"root_path", bundle.root_path},
            {"deployed_by", bundle.user}, {"deployed_at", cli::iso_time(now_ms())}, {"cli_version", "brix " BRIX_VERSION},
            {"files", files},            {"jobs", jobs}};
}

DeploymentState from_json(const api::Json& json, const std::string& where) {
    if (!json.is_object() || json.value("version", 0) != kStateVersion)
        throw std::runtime_error("the deployment state " + where + " is not one brix can read (version " +
                                 (json.is_object() ? json.value("version", api::Json()).dump() : "?") + ")");
    DeploymentState state;
    state.serial = json.value("serial", std::int64_t{0});
    // Named copies: items() of a temporary would outlive it in the loop.
    const auto files = json.value("files", api::Json::object());
    for (const auto& [path, file] : files.items())
        if (file.is_object()) state.files[path] = {file.value("fingerprint", ""), file.value("workspace_path", "")};
    const auto jobs = json.value("jobs", api::Json::object());
    for (const auto& [key, job] : jobs.items())
        if (job.is_object())
            state.jobs[key] = {job.value("job_id", std::int64_t{0}), job.value("name", ""), job.value("settings_fingerprint", "")};
    return state;
}

api::Json parse_state(const std::string& text, const std::string& where) {
    try {
        return api::Json::parse(text);
    } catch (const api::Json::parse_error& error) {
        throw std::runtime_error("the deployment state " + where + " is damaged (" + error.what() +
                                 "); delete it to deploy from scratch");
    }
}

}  // namespace

bool is_missing(const api::ApiError& error) {
    if (error.http_status() == 404 || error.error_code() == "RESOURCE_DOES_NOT_EXIST" || error.error_code() == "NOT_FOUND") return true;
    return error.http_status() == 400 && error.message().find("does not exist") != std::string::npos;
}

std::string state_file_path(const Bundle& bundle) { return bundle.state_path + "/deployment.json"; }

DeploymentState read_state(api::Api& api, const Bundle& bundle) {
    if (auto remote = read_workspace_file(api, state_file_path(bundle))) {
        auto state = from_json(parse_state(*remote, "in the workspace at " + state_file_path(bundle)), state_file_path(bundle));
        state.source = StateSource::Workspace;
        return state;
    }
    auto local_file = bundle.local_state_dir() / "deployment.json";
    std::error_code error;
    if (!fs::is_regular_file(local_file, error)) return {};
    auto json = parse_state(read_local_file(local_file.string()), local_file.string());
    // A local copy made for another workspace or folder says nothing about this one.
    if (json.value("host", "") != bundle.host || json.value("root_path", "") != bundle.root_path) return {};
    auto state = from_json(json, local_file.string());
    state.files.clear();
    state.source = StateSource::Local;
    return state;
}

void write_state(api::Api& api, const Bundle& bundle, DeploymentState& state) {
    ++state.serial;
    auto text = to_json(bundle, state).dump(2) + "\n";
    workspace::mkdirs(api, bundle.state_path);
    write_workspace_file(api, state_file_path(bundle), text, true);
    LocalFileWriter writer(bundle.local_state_dir() / "deployment.json");
    writer.sink().write(text.data(), text.size());
    writer.commit(LocalOverwrite::Allowed);
}

void remove_local_state(const Bundle& bundle) {
    std::error_code error;
    fs::remove_all(bundle.local_state_dir(), error);
}

DeployLock::DeployLock(api::Api& api, const Bundle& bundle, LockMode mode)
    : api_(api), path_(bundle.state_path + "/deploy.lock"), id_(jobs::new_idempotency_token()) {
    api::Json holder{{"id", id_},
                     {"user", bundle.user},
                     {"machine", machine_name()},
                     {"pid", static_cast<std::int64_t>(getpid())},
                     {"acquired_at", cli::iso_time(now_ms())}};
    workspace::mkdirs(api_, bundle.state_path);
    try {
        write_workspace_file(api_, path_, holder.dump() + "\n", mode == LockMode::Force);
    } catch (const api::ApiError& error) {
        if (!workspace::is_already_exists(error)) throw;
        auto current = read_workspace_file(api_, path_);
        api::Json other = current ? api::Json::parse(*current, nullptr, false) : api::Json();
        auto who = other.is_object() ? other.value("user", "?") + " on " + other.value("machine", "?") + " since " +
                                           other.value("acquired_at", "?")
                                     : std::string("someone");
        throw std::runtime_error("target " + bundle.target + " is locked by " + who + " (" + path_ +
                                 "): another deploy or destroy is running. If it was interrupted, pass --force-lock");
    }
}

DeployLock::~DeployLock() {
    // Only our own lock goes: after --force-lock elsewhere, the file is someone else's.
    try {
        auto current = read_workspace_file(api_, path_);
        if (!current) return;
        auto holder = api::Json::parse(*current, nullptr, false);
        if (holder.is_object() && holder.value("id", "") == id_)
            api_.call(api::Method::Post, "/api/2.0/workspace/delete", {}, {{"path", path_}, {"recursive", false}});
    } catch (const std::exception& error) {
        cli::print_warning("could not release the deploy lock " + path_ + ": " + error.what());
    }
}

}  // namespace brix::commands::bundle
