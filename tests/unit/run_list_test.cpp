// runs/list on the local engine: which runs, in which order, and paging as Databricks pages
// (next_page_token / prev_page_token / has_more, and the legacy offset).
#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <algorithm>
#include <vector>

#include "engine/jobs/run_store.hpp"
#include "engine/store/engine_root.hpp"

using namespace brix;
using api::Json;
using engine::jobs::NewRun;
using engine::jobs::RunStore;

namespace {

// Runs made by the store itself (no executor starts them): each job run has two task runs, which
// must never be listed.
struct Store {
    test::TempDir dir;
    engine::store::EngineRoot root{dir.path};
    RunStore runs{root};

    std::int64_t create(std::int64_t job_id) {
        auto name = "job " + std::to_string(job_id);
        Json settings{{"name", name}, {"max_concurrent_runs", 1000},
                      {"tasks", Json::array({Json{{"task_key", "a"}}, Json{{"task_key", "b"}}})}};
        return runs.create(NewRun{job_id, "JOB_RUN", name, settings, Json::object(), std::nullopt}).run_id;
    }

    void finish(std::int64_t run_id, std::int64_t start_time) {
        auto run = runs.require(run_id);
        run.life_cycle_state = "TERMINATED";
        run.result_state = "SUCCESS";
        run.start_time = start_time;
        run.end_time = start_time + 10;
        runs.save(run);
    }

    Json list(api::Query query) {
        return runs.list_json(api::Request{api::Method::Get, "/api/2.2/jobs/runs/list", std::move(query), nullptr}, {});
    }
};

std::vector<std::int64_t> ids_of(const Json& page) {
    std::vector<std::int64_t> ids;
    for (const auto& run : page.value("runs", Json::array())) ids.push_back(run["run_id"].get<std::int64_t>());
    return ids;
}

std::vector<std::int64_t> newest_first(std::vector<std::int64_t> ids) {
    std::sort(ids.rbegin(), ids.rend());
    return ids;
}

}  // namespace

TEST_CASE("runs/list pages through every job run, newest first, with next and prev tokens") {
    Store store;
    std::vector<std::int64_t> created;
    for (int i = 0; i < 45; ++i) created.push_back(store.create(7));
    auto expected = newest_first(created);

    auto first = store.list({});
    CHECK(ids_of(first) == std::vector<std::int64_t>(expected.begin(), expected.begin() + 20));  // default page: 20
    CHECK(first["has_more"] == true);
    CHECK_FALSE(first.contains("prev_page_token"));

    std::vector<std::int64_t> seen;
    Json page = store.list({{"limit", "10"}});
    std::vector<Json> pages{page};
    for (;;) {
        auto ids = ids_of(page);
        seen.insert(seen.end(), ids.begin(), ids.end());
        if (!page.contains("next_page_token")) break;
        page = store.list({{"limit", "10"}, {"page_token", page["next_page_token"].get<std::string>()}});
        pages.push_back(page);
    }
    CHECK(seen == expected);  // every job run once, no task run
    REQUIRE(pages.size() == 5);
    CHECK(pages.back()["has_more"] == false);
    CHECK(ids_of(pages.back()).size() == 5);

    // prev_page_token goes back to exactly the page before.
    auto back = store.list({{"limit", "10"}, {"page_token", pages[2]["prev_page_token"].get<std::string>()}});
    CHECK(ids_of(back) == ids_of(pages[1]));
    CHECK(back["has_more"] == true);
    CHECK(back["next_page_token"] == pages[1]["next_page_token"]);
    auto to_start = store.list({{"limit", "10"}, {"page_token", back["prev_page_token"].get<std::string>()}});
    CHECK(ids_of(to_start) == ids_of(pages[0]));
    CHECK_FALSE(to_start.contains("prev_page_token"));
}

TEST_CASE("runs/list tokens keep their place when new runs start") {
    Store store;
    for (int i = 0; i < 6; ++i) store.create(7);
    auto first = store.list({{"limit", "3"}});
    auto newer = store.create(7);
    auto second = store.list({{"limit", "3"}, {"page_token", first["next_page_token"].get<std::string>()}});
    auto first_ids = ids_of(first), second_ids = ids_of(second);
    CHECK(second_ids.size() == 3);
    CHECK(second_ids.front() < first_ids.back());  // no run repeated from the first page
    CHECK(ids_of(store.list({{"limit", "1"}})) == std::vector<std::int64_t>{newer});
}

TEST_CASE("runs/list filters: job, active or completed, start time; legacy offset") {
    Store store;
    std::vector<std::int64_t> job7, job8;
    for (int i = 0; i < 30; ++i) (i % 3 == 0 ? job8 : job7).push_back(store.create(i % 3 == 0 ? 8 : 7));
    for (std::size_t i = 0; i < job7.size(); i += 2) store.finish(job7[i], 1000 + static_cast<std::int64_t>(i));

    auto of_job8 = store.list({{"job_id", "8"}, {"limit", "25"}});
    CHECK(ids_of(of_job8) == newest_first(job8));
    CHECK(of_job8["has_more"] == false);

    std::vector<std::int64_t> done, active;
    for (std::size_t i = 0; i < job7.size(); ++i) (i % 2 == 0 ? done : active).push_back(job7[i]);
    CHECK(ids_of(store.list({{"job_id", "7"}, {"completed_only", "true"}, {"limit", "25"}})) == newest_first(done));
    CHECK(ids_of(store.list({{"job_id", "7"}, {"active_only", "true"}, {"limit", "25"}})) == newest_first(active));
    auto active_all = store.list({{"active_only", "true"}, {"limit", "5"}});
    CHECK(ids_of(active_all).size() == 5);
    CHECK(active_all["has_more"] == true);
    auto active_rest = store.list({{"active_only", "true"}, {"limit", "25"}, {"page_token", active_all["next_page_token"].get<std::string>()}});
    CHECK(ids_of(active_rest).size() == active.size() + job8.size() - 5);

    // Started at 1000 + i for the i-th run of job 7 (every other one): from 1004 to 1010, inclusive.
    auto window = store.list({{"start_time_from", "1004"}, {"start_time_to", "1010"}, {"limit", "25"}});
    CHECK(ids_of(window) == newest_first({job7[4], job7[6], job7[8], job7[10]}));

    auto all = newest_first([&] {
        auto ids = job7;
        ids.insert(ids.end(), job8.begin(), job8.end());
        return ids;
    }());
    auto offset = store.list({{"offset", "5"}, {"limit", "3"}});
    CHECK(ids_of(offset) == std::vector<std::int64_t>(all.begin() + 5, all.begin() + 8));
    CHECK(offset.contains("prev_page_token"));
    auto after_offset = store.list({{"limit", "3"}, {"page_token", offset["next_page_token"].get<std::string>()}});
    CHECK(ids_of(after_offset) == std::vector<std::int64_t>(all.begin() + 8, all.begin() + 11));

    CHECK_FALSE(store.list({{"job_id", "99"}}).contains("runs"));
    CHECK(store.list({{"job_id", "99"}})["has_more"] == false);
}

TEST_CASE("runs/list refuses bad parameters with INVALID_PARAMETER_VALUE") {
    Store store;
    store.create(7);
    for (api::Query query : {api::Query{{"page_token", "25"}}, api::Query{{"page_token", "older.x"}},
                             api::Query{{"limit", "1001"}}, api::Query{{"limit", "ten"}}, api::Query{{"offset", "-1"}},
                             api::Query{{"active_only", "true"}, {"completed_only", "true"}}}) {
        auto error = test::error_of([&] { store.list(query); });
        CHECK(error.http_status() == 400);
        CHECK(error.error_code() == "INVALID_PARAMETER_VALUE");
    }
}
