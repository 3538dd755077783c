#pragma once
// The Jobs API 2.2 calls the verbs share, with the paging both Databricks CLIs hide from users.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/api.hpp"

namespace brix::commands::jobs {

std::string jobs_path(std::string_view endpoint);  // "runs/get" -> "/api/2.2/jobs/runs/get"

// A string field, or "" when it is absent or not a string: runs in odd states leave fields out.
std::string text_field(const api::Json& object, const std::string& key);

// jobs/get and runs/get return at most 100 tasks (and clusters, parameters...) per answer; these
// follow next_page_token and merge the arrays, as the SDKs do, so users see the whole object.
api::Json get_job(api::Api& api, std::int64_t job_id);
api::Json get_run(api::Api& api, std::int64_t run_id, api::Query extra = {});

enum class Pages { First, All };

struct ListRequest {
    std::string endpoint;   // "list" or "runs/list"
    std::string items_key;  // "jobs" or "runs"
    api::Query query;       // filters
    std::int64_t largest_page = 0;          // what the server accepts as `limit`
    std::optional<std::int64_t> limit;      // most items wanted, however many pages that takes
    std::optional<std::int64_t> offset;     // legacy start position
    Pages pages = Pages::First;             // without a limit: one page, or every page
};

struct ListResult {
    api::Json items = api::Json::array();
    bool has_more = false;
};

// Pages with next_page_token, or with offset for servers that only say has_more. With `each`,
// every item goes there as its page arrives instead of into ListResult::items, so a listing of
// every run is never held whole.
ListResult list_items(api::Api& api, const ListRequest& request, const std::function<void(api::Json&&)>& each = {});

}  // namespace brix::commands::jobs
