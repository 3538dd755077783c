// Paging loops stop with an error on a server that would keep them going forever
// (commands/page_guard.hpp), and still read every page of a server that behaves.
#include <catch2/catch.hpp>

#include <functional>

#include "commands/jobs/run_calls.hpp"
#include "commands/page_guard.hpp"
#include "tests/unit/scripted_api.hpp"

using namespace brix;
using namespace brix::commands::jobs;
using api::Json;

namespace {

// A pager that never stops fails its test after 50 requests instead of hanging.
testing::ScriptedApi paging_api() {
    testing::ScriptedApi api;
    api.most_requests = 50;
    return api;
}

}  // namespace

TEST_CASE("a page token seen before stops the listing") {
    commands::PageGuard guard("GET /api/2.0/repos");
    CHECK(guard.next_token("a") == "a");
    CHECK(guard.next_token("b") == "b");
    CHECK_THROWS_WITH(guard.next_token("a"), "the server sent the page token \"a\" twice while listing GET /api/2.0/repos: "
                                             "stopping rather than reading the same pages forever");
}

TEST_CASE("offset paging must bring something new on every page") {
    commands::PageGuard guard("GET /api/2.2/jobs/list");
    guard.check_progress(R"([{"job_id":1}])", 0);
    guard.check_progress(R"([{"job_id":2}])", 1);
    CHECK_THROWS_WITH(guard.check_progress(R"([{"job_id":2}])", 2), Catch::Contains("brought nothing new"));
    commands::PageGuard empty("GET /api/2.2/jobs/list");
    CHECK_THROWS_WITH(empty.check_progress("[]", 5), Catch::Contains("has more after offset 5"));
}

TEST_CASE("jobs list: has_more without a token on a server ignoring the offset ends in an error") {
    auto api = paging_api();
    api.handler = [](const api::Request&) { return Json{{"jobs", {{{"job_id", 1}}, {{"job_id", 2}}}}, {"has_more", true}}; };
    CHECK_THROWS_WITH(list_items(api, {"list", "jobs", {}, 100, std::nullopt, std::nullopt, Pages::All}),
                      Catch::Contains("GET /api/2.2/jobs/list has more after offset 2"));
    CHECK(api.requests.size() == 2);
}

TEST_CASE("jobs list: has_more with an empty page ends in an error, a repeated token too") {
    auto empty = paging_api();
    empty.handler = [](const api::Request& request) {
        return request.param("offset") ? Json{{"jobs", Json::array()}, {"has_more", true}}
                                       : Json{{"jobs", {{{"job_id", 1}}}}, {"has_more", true}};
    };
    CHECK_THROWS_WITH(list_items(empty, {"list", "jobs", {}, 100, std::nullopt, std::nullopt, Pages::All}),
                      Catch::Contains("brought nothing new"));

    auto repeating = paging_api();
    int page = 0;
    repeating.handler = [&page](const api::Request&) {
        ++page;
        return Json{{"jobs", {{{"job_id", page}}}}, {"has_more", true}, {"next_page_token", "same"}};
    };
    CHECK_THROWS_WITH(list_items(repeating, {"list", "jobs", {}, 100, std::nullopt, std::nullopt, Pages::All}),
                      Catch::Contains("page token \"same\" twice"));
    CHECK(repeating.requests.size() == 2);
}

TEST_CASE("offset paging over distinct pages still reads them all") {
    auto api = paging_api();
    api.handler = [](const api::Request& request) {
        auto offset = std::stoi(request.param("offset").value_or("0"));
        return Json{{"runs", {{{"run_id", offset + 1}}}}, {"has_more", offset < 3}};
    };
    auto runs = list_items(api, {"runs/list", "runs", {}, 25, std::nullopt, std::nullopt, Pages::All});
    CHECK(runs.items.size() == 4);
}

TEST_CASE("jobs get and runs get stop on a repeated next_page_token") {
    auto api = paging_api();
    api.handler = [](const api::Request&) {
        return Json{{"job_id", 1}, {"settings", {{"tasks", {{{"task_key", "a"}}}}}}, {"next_page_token", "again"}};
    };
    CHECK_THROWS_WITH(get_job(api, 1), Catch::Contains("GET /api/2.2/jobs/get"));
    CHECK(api.requests.size() == 2);
}
