#include "commands/jobs/run_calls.hpp"

#include <algorithm>
#include <functional>

#include "commands/page_guard.hpp"

namespace brix::commands::jobs {
namespace {

using api::Method;

void append_arrays(api::Json& into, const api::Json& page, std::initializer_list<const char*> keys) {
    if (!page.is_object()) return;
    for (const char* key : keys) {
        auto found = page.find(key);
        if (found == page.end() || !found->is_array() || found->empty()) continue;
        auto& target = into[key];
        if (!target.is_array()) target = api::Json::array();
        target.insert(target.end(), found->begin(), found->end());
    }
}

using Merge = std::function<void(api::Json& whole, const api::Json& page)>;

api::Json get_all_pages(api::Api& api, const std::string& endpoint, const api::Query& query, const Merge& merge) {
    auto whole = api.call(Method::Get, jobs_path(endpoint), query);
    PageGuard guard("GET " + jobs_path(endpoint));
    for (auto token = text_field(whole, "next_page_token"); !token.empty();) {
        auto page_query = query;
        page_query.emplace_back("page_token", guard.next_token(token));
        auto page = api.call(Method::Get, jobs_path(endpoint), page_query);
        merge(whole, page);
        token = text_field(page, "next_page_token");
    }
    if (whole.is_object()) {
        whole.erase("next_page_token");
        if (whole.contains("has_more")) whole["has_more"] = false;
    }
    return whole;
}

}  // namespace

std::string jobs_path(std::string_view endpoint) { return "/api/2.2/jobs/" + std::string(endpoint); }

std::string text_field(const api::Json& object, const std::string& key) {
    if (!object.is_object()) return "";
    auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

api::Json get_job(api::Api& api, std::int64_t job_id) {
    return get_all_pages(api, "get", {{"job_id", std::to_string(job_id)}}, [](api::Json& whole, const api::Json& page) {
        if (!page.contains("settings")) return;
        append_arrays(whole["settings"], page["settings"], {"tasks", "job_clusters", "environments", "parameters"});
    });
}

api::Json get_run(api::Api& api, std::int64_t run_id, api::Query extra) {
    api::Query query{{"run_id", std::to_string(run_id)}};
    query.insert(query.end(), extra.begin(), extra.end());
    return get_all_pages(api, "runs/get", query, [](api::Json& whole, const api::Json& page) {
        append_arrays(whole, page, {"tasks", "job_clusters", "job_parameters", "repair_history", "iterations"});
    });
}

ListResult list_items(api::Api& api, const ListRequest& request, const std::function<void(api::Json&&)>& each) {
    ListResult result;
    auto query = request.query;
    bool sized = request.limit || request.pages == Pages::All;
    if (sized) {
        auto page_size = request.limit ? std::min(*request.limit, request.largest_page) : request.largest_page;
        query.emplace_back("limit", std::to_string(page_size));
    }
    std::int64_t offset = request.offset.value_or(0);
    if (request.offset) query.emplace_back("offset", std::to_string(offset));
    PageGuard guard("GET " + jobs_path(request.endpoint));
    std::int64_t taken = 0;
    for (;;) {
        auto answer = api.call(Method::Get, jobs_path(request.endpoint), query);
        auto page = api::Json::array();
        if (auto found = answer.is_object() ? answer.find(request.items_key) : answer.end(); found != answer.end())
            page = std::move(*found);  // moved, not copied: pages of runs with their settings are large
        auto token = text_field(answer, "next_page_token");
        auto more = answer.is_object() ? answer.find("has_more") : answer.end();
        bool server_has_more = more != answer.end() && more->is_boolean() && more->get<bool>();
        // Offset paging (has_more without a token) must see each page bring something new.
        auto page_text = token.empty() && server_has_more ? page.dump() : std::string();
        bool cut = false;
        for (auto& item : page) {
            cut = request.limit && taken >= *request.limit;
            if (cut) break;
            ++taken;
            if (each) each(std::move(item));
            else result.items.push_back(std::move(item));
        }
        result.has_more = cut || server_has_more;
        bool want_more = request.limit ? taken < *request.limit : request.pages == Pages::All;
        if (!want_more) break;
        std::erase_if(query, [](const auto& entry) { return entry.first == "page_token" || entry.first == "offset"; });
        if (token.empty() && server_has_more) {
            guard.check_progress(page_text, offset);
            offset += static_cast<std::int64_t>(page.size());
            query.emplace_back("offset", std::to_string(offset));
        } else if (!token.empty() && !page.empty()) {
            query.emplace_back("page_token", guard.next_token(token));
        } else {
            break;
        }
    }
    return result;
}

}  // namespace brix::commands::jobs
