#include "cli/completion/live.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "cli/context.hpp"
#include "cli/strings.hpp"

namespace brix::cli::completion {
namespace {

using api::Json;
using api::Method;

// Long enough for a workspace across the world, short enough not to be mistaken for a hang.
constexpr auto kDeadline = std::chrono::seconds(2);
// Pages of jobs (100 each) and runs (25 each) read at most: a TAB is not a report.
constexpr int kJobPages = 5;
constexpr int kRunPages = 4;

std::string id_text(const Json& id) {
    if (id.is_string()) return id.get<std::string>();
    if (id.is_number_integer()) return std::to_string(id.get<std::int64_t>());
    return "";
}

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// "/Shared/x" -> "/Shared/"; "" -> "/".
std::string folder_part(const std::string& word) { return word.empty() ? "/" : word.substr(0, word.rfind('/') + 1); }

// The folder as the list APIs want it: no trailing slash, except the root.
std::string list_path(std::string folder) {
    if (folder.size() > 1 && folder.ends_with('/')) folder.pop_back();
    return folder;
}

void sort_by_value(std::vector<CompletionCandidate>& candidates) {
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.value < b.value; });
}

// Lists every page of a list API until `pages` pages or the end.
template <typename Visit>
void each_page(api::Api& api, const std::string& path, api::Query query, int pages, Visit visit) {
    std::string token;
    for (int page = 0; page < pages; ++page) {
        auto paged = query;
        if (!token.empty()) paged.emplace_back("page_token", token);
        auto answer = api.call(Method::Get, path, paged);
        visit(answer);
        token = answer.value("next_page_token", "");
        if (token.empty() || !answer.value("has_more", false)) return;
    }
}

}  // namespace

std::vector<CompletionCandidate> ask_backend(Context& context, const std::string& profile, const BackendLookup& lookup) {
    if (!profile.empty()) context.options.profile = profile;
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::vector<CompletionCandidate> result;
    std::thread worker([&] {
        std::vector<CompletionCandidate> found;
        try {
            const auto& config = context.config();
            // A local engine that was never used has nothing to offer, and opening it would create it.
            if (config.backend == Backend::Remote || std::filesystem::exists(config.local_root)) found = lookup(context.api());
        } catch (...) {
            found.clear();  // no values: the shell shows nothing, as for an empty folder
        }
        std::lock_guard lock(mutex);
        result = std::move(found);
        done = true;
        finished.notify_one();
    });
    std::unique_lock lock(mutex);
    if (!finished.wait_for(lock, kDeadline, [&done] { return done; })) {
        // The worker may be blocked inside libcurl for long: end the process without unwinding
        // (nothing has been printed yet), rather than keep the user's shell waiting.
        std::fflush(stdout);
        std::_Exit(0);
    }
    lock.unlock();
    worker.join();
    return result;
}

std::vector<CompletionCandidate> workspace_paths(api::Api& api, const std::string& word) {
    if (!word.empty() && !word.starts_with('/')) return {};
    auto folder = folder_part(word);
    auto answer = api.call(Method::Get, "/api/2.0/workspace/list", {{"path", list_path(folder)}});
    std::vector<CompletionCandidate> out;
    for (const auto& object : answer.value("objects", Json::array())) {
        auto type = object.value("object_type", "");
        bool is_folder = type == "DIRECTORY" || type == "REPO";
        auto value = folder + base_name(object.value("path", "")) + (is_folder ? "/" : "");
        auto language = object.value("language", "");
        if (value.starts_with(word)) out.push_back({value, (type == "DIRECTORY" ? std::string("folder") : lower_case(type)) + (language.empty() ? "" : " " + language)});
    }
    sort_by_value(out);
    return out;
}

std::vector<CompletionCandidate> dbfs_paths(api::Api& api, const std::string& word) {
    auto folder = word.substr(0, word.rfind('/') + 1);  // "dbfs:/landing/"
    auto answer = api.call(Method::Get, "/api/2.0/dbfs/list", {{"path", list_path(folder.substr(5))}});
    std::vector<CompletionCandidate> out;
    for (const auto& file : answer.value("files", Json::array())) {
        bool is_folder = file.value("is_dir", false);
        auto value = folder + base_name(file.value("path", "")) + (is_folder ? "/" : "");
        auto description = is_folder ? std::string("folder") : std::to_string(file.value("file_size", std::int64_t{0})) + " bytes";
        if (value.starts_with(word)) out.push_back({value, description});
    }
    sort_by_value(out);
    return out;
}

std::vector<CompletionCandidate> job_ids(api::Api& api, const std::string& word) {
    std::vector<CompletionCandidate> out;
    each_page(api, "/api/2.1/jobs/list", {{"limit", "100"}}, kJobPages, [&](const Json& answer) {
        for (const auto& job : answer.value("jobs", Json::array())) {
            auto id = id_text(job.value("job_id", Json()));
            auto name = job.value("settings", Json::object()).value("name", "");
            if (!id.empty() && id.starts_with(word)) out.push_back({id, name});
        }
    });
    return out;
}

std::vector<CompletionCandidate> run_ids(api::Api& api, const std::string& word, const std::string& job_id) {
    api::Query query{{"limit", "25"}};
    if (!job_id.empty()) query.emplace_back("job_id", job_id);
    std::vector<CompletionCandidate> out;
    each_page(api, "/api/2.1/jobs/runs/list", query, kRunPages, [&](const Json& answer) {
        for (const auto& run : answer.value("runs", Json::array())) {
            auto id = id_text(run.value("run_id", Json()));
            auto state = run.value("state", Json::object());
            auto status = state.value("result_state", state.value("life_cycle_state", ""));
            auto name = run.value("run_name", "");
            if (!id.empty() && id.starts_with(word)) out.push_back({id, name + (name.empty() || status.empty() ? "" : " ") + status});
        }
    });
    return out;
}

std::vector<CompletionCandidate> cluster_ids(api::Api& api, const std::string& word) {
    std::vector<CompletionCandidate> out;
    for (const auto& cluster : api.call(Method::Get, "/api/2.0/clusters/list").value("clusters", Json::array())) {
        auto id = cluster.value("cluster_id", "");
        if (!id.empty() && id.starts_with(word)) out.push_back({id, cluster.value("cluster_name", "") + " " + cluster.value("state", "")});
    }
    return out;
}

std::vector<CompletionCandidate> secret_scopes(api::Api& api, const std::string& word) {
    std::vector<CompletionCandidate> out;
    for (const auto& scope : api.call(Method::Get, "/api/2.0/secrets/scopes/list").value("scopes", Json::array())) {
        auto name = scope.value("name", "");
        if (!name.empty() && name.starts_with(word)) out.push_back({name, scope.value("backend_type", "")});
    }
    return out;
}

}  // namespace brix::cli::completion
