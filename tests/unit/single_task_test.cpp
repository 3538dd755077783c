// Jobs API 2.0 single-task documents become multi-task ones before they go to /api/2.2
// (commands/jobs/single_task.hpp), the task's fields found from the API table.
#include <catch2/catch.hpp>

#include "api/schema.hpp"
#include "cli/context.hpp"
#include "commands/jobs/request_bodies.hpp"
#include "commands/jobs/single_task.hpp"

using namespace brix;
using namespace brix::commands::jobs;
using api::Json;

namespace {

// The job of the e2e seeds (tests/e2e/test_jobs.sh), as a 2.0 client writes it.
Json seed_job() {
    return Json::parse(R"({
      "name": "nightly-etl",
      "new_cluster": {"spark_version": "13.3.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2},
      "spark_python_task": {"python_file": "/Shared/etl/etl.py", "parameters": ["--source", "s3://raw/events", "--rows", "42"]}
    })");
}

std::vector<std::string> body_violations(const char* path, const Json& body) {
    const auto* route = api::schema::find_route("POST", path);
    REQUIRE(route != nullptr);
    return api::schema::validate(body, route->body, "body");
}

}  // namespace

TEST_CASE("a 2.0 job becomes one task holding the cluster and the task") {
    auto converted = to_multi_task(seed_job(), job_create_spec());
    CHECK(converted == Json::parse(R"({
      "name": "nightly-etl",
      "tasks": [{"task_key": "nightly-etl",
                 "new_cluster": {"spark_version": "13.3.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2},
                 "spark_python_task": {"python_file": "/Shared/etl/etl.py", "parameters": ["--source", "s3://raw/events", "--rows", "42"]}}]
    })"));
    CHECK(body_violations("/api/2.2/jobs/create", converted).empty());
    CHECK_FALSE(body_violations("/api/2.2/jobs/create", seed_job()).empty());  // what was sent before
}

TEST_CASE("libraries, retries and the timeout go into the task; job fields stay") {
    auto document = Json::parse(R"json({
      "name": "Nightly ETL (prod)", "existing_cluster_id": "0923-164208-meows279",
      "notebook_task": {"notebook_path": "/Shared/nb"}, "libraries": [{"pypi": {"package": "requests"}}],
      "max_retries": 2, "min_retry_interval_millis": 1000, "retry_on_timeout": true, "timeout_seconds": 600,
      "email_notifications": {"on_failure": ["a@b.c"]}, "max_concurrent_runs": 1, "schedule": {"quartz_cron_expression": "0 0 1 * * ?", "timezone_id": "UTC"}
    })json");
    auto converted = to_multi_task(document, job_create_spec());
    auto task = converted["tasks"][0];
    CHECK(task["task_key"] == "Nightly_ETL__prod_");
    for (auto* field : {"existing_cluster_id", "notebook_task", "libraries", "max_retries", "min_retry_interval_millis",
                        "retry_on_timeout", "timeout_seconds"}) {
        INFO(field);
        CHECK(task[field] == document[field]);
        CHECK_FALSE(converted.contains(field));
    }
    for (auto* field : {"name", "email_notifications", "max_concurrent_runs", "schedule"}) {
        INFO(field);
        CHECK(converted[field] == document[field]);
        CHECK_FALSE(task.contains(field));
    }
    CHECK(body_violations("/api/2.2/jobs/create", converted).empty());
}

TEST_CASE("multi-task documents pass unchanged; mixing both formats is refused") {
    auto multi = Json::parse(R"({"name": "n", "timeout_seconds": 60, "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "/a"}}]})");
    CHECK(to_multi_task(multi, job_create_spec()) == multi);
    CHECK(to_multi_task(Json{{"name", "only a name"}}, job_create_spec()) == Json{{"name", "only a name"}});
    auto mixed = multi;
    mixed["new_cluster"] = Json{{"spark_version", "x"}};
    CHECK_THROWS_AS(to_multi_task(mixed, job_create_spec()), cli::UsageError);
    CHECK_THROWS_WITH(to_multi_task(mixed, job_create_spec()), Catch::Contains("(new_cluster)"));
}

TEST_CASE("task keys are the name's slug, Untitled without a name") {
    CHECK(task_key_for("nightly-etl") == "nightly-etl");
    CHECK(task_key_for("a b.c/d") == "a_b_c_d");
    CHECK(task_key_for("") == "Untitled");
    CHECK(task_key_for(std::string(150, 'k')).size() == 100);
    auto unnamed = to_multi_task(Json{{"spark_python_task", {{"python_file", "/a.py"}}}}, job_create_spec());
    CHECK(unnamed["tasks"][0]["task_key"] == "Untitled");
}

TEST_CASE("reset converts new_settings; submit names the task after the run") {
    auto reset = build_reset_body(Json{{"job_id", 4}, {"new_settings", seed_job()}}, std::nullopt);
    CHECK(reset["new_settings"]["tasks"][0]["spark_python_task"]["python_file"] == "/Shared/etl/etl.py");
    CHECK_FALSE(reset["new_settings"].contains("new_cluster"));
    CHECK(body_violations("/api/2.2/jobs/reset", reset).empty());

    auto run = Json::parse(R"({"run_name": "adhoc", "new_cluster": {"spark_version": "13.3.x-scala2.12", "num_workers": 1},
                              "spark_python_task": {"python_file": "/a.py"}, "libraries": [{"whl": "/w.whl"}], "timeout_seconds": 300})");
    auto submit = build_submit_body({run, std::nullopt, 900, std::nullopt});
    CHECK(submit["tasks"][0]["task_key"] == "adhoc");
    CHECK(submit["tasks"][0]["new_cluster"]["num_workers"] == 1);
    CHECK(submit["tasks"][0]["timeout_seconds"] == 300);  // the document's: its task's limit
    CHECK(submit["timeout_seconds"] == 900);              // --timeout-seconds: the run's
    CHECK(submit["tasks"][0]["libraries"] == Json::parse(R"([{"whl": "/w.whl"}])"));
    CHECK(body_violations("/api/2.2/jobs/runs/submit", submit).empty());
    auto renamed = build_submit_body({Json{{"spark_python_task", run["spark_python_task"]}}, "from-flag", std::nullopt, std::nullopt});
    CHECK(renamed["tasks"][0]["task_key"] == "from-flag");
}
