// bundle deploy sends each job setting with the type the Jobs API gives it (api/schema), as the
// Go CLI does: YAML numbers and booleans in string maps become strings, numeric text from
// --var in integer fields becomes an integer.
#include <catch2/catch.hpp>

#include <functional>

#include "commands/bundle/deploy.hpp"
#include "tests/unit/scripted_api.hpp"

using namespace brix;
using api::Json;

TEST_CASE("deploy coerces job settings to the API's types") {
    commands::bundle::Bundle bundle;
    bundle.config = Json::parse(R"({"resources": {"jobs": {"typed": {
        "name": "typed", "max_concurrent_runs": "3", "tags": {"cost_center": 1234, "critical": true},
        "job_clusters": [{"job_cluster_key": "main", "new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": "3",
                          "spark_conf": {"spark.sql.shuffle.partitions": 8}, "custom_tags": {"tier": 2.5}}}],
        "tasks": [{"task_key": "run", "job_cluster_key": "main", "max_retries": "2", "spark_python_task": {"python_file": "/a.py", "parameters": ["--rows", "7"]}}]
    }}}})");
    testing::ScriptedApi api;
    api.handler = [](const api::Request& request) {
        return request.path == "/api/2.2/jobs/create" ? Json{{"job_id", 77}} : Json::object();
    };
    commands::bundle::DeploymentState state;
    commands::bundle::deploy_jobs(api, bundle, state, commands::bundle::Progress{nullptr});
    REQUIRE(api.requests.size() == 1);
    const auto& sent = api.requests[0].body;
    CHECK(sent["max_concurrent_runs"] == 3);
    CHECK(sent["tags"] == Json{{"cost_center", "1234"}, {"critical", "true"}});
    const auto& cluster = sent["job_clusters"][0]["new_cluster"];
    CHECK(cluster["num_workers"] == 3);
    CHECK(cluster["spark_conf"] == Json{{"spark.sql.shuffle.partitions", "8"}});
    CHECK(cluster["custom_tags"] == Json{{"tier", "2.5"}});
    CHECK(sent["tasks"][0]["max_retries"] == 2);
    CHECK(sent["tasks"][0]["spark_python_task"]["parameters"] == Json::array({"--rows", "7"}));  // strings stay strings
    CHECK(state.jobs.at("typed").job_id == 77);
}
