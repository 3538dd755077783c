#include <catch2/catch.hpp>

#include <algorithm>

#include "api/schema.hpp"

namespace schema = brix::api::schema;
using brix::api::Json;

namespace {

bool has_problem(const std::vector<std::string>& problems, const std::string& wanted) {
    return std::find(problems.begin(), problems.end(), wanted) != problems.end();
}

}  // namespace

TEST_CASE("the embedded table has the workspace routes and no account routes") {
    CHECK(schema::routes().size() > 1000);
    for (const auto& route : schema::routes()) {
        INFO(route.method << " " << route.path);
        CHECK(route.path.find("/accounts/") == std::string::npos);
        CHECK(route.query.contains("fields"));
    }
}

TEST_CASE("find_route finds jobs/create with its body and response") {
    const auto* route = schema::find_route("POST", "/api/2.2/jobs/create");
    REQUIRE(route != nullptr);
    CHECK(route->call == "JobsAPI.create");
    CHECK(route->cli == "jobs create");
    CHECK(route->response == "jobs.CreateResponse");
    CHECK(route->body.at("fields").at("tasks").at("type") == Json::array({"list", "jobs.Task"}));
    CHECK(schema::find_route("GET", "/api/2.2/jobs/create") == nullptr);
    CHECK(schema::find_route("POST", "/api/2.2/jobs/create/x") == nullptr);
    CHECK(schema::find_route("POST", "/api/2.2/jobs/creat") == nullptr);
}

TEST_CASE("find_route binds path parameters") {
    schema::PathParams params;
    const auto* route = schema::find_route("PATCH", "/api/2.0/repos/42", &params);
    REQUIRE(route != nullptr);
    CHECK(route->path == "/api/2.0/repos/{repo_id}");
    CHECK(route->call == "ReposAPI.update");
    CHECK(params == schema::PathParams{{"repo_id", "42"}});
    CHECK(schema::find_route("GET", "/api/2.0/repos/42")->response == "workspace.GetRepoResponse");
    CHECK(schema::find_route("GET", "/api/2.0/repos/")== nullptr);
    CHECK(schema::find_route("GET", "/api/2.0/repos/42/x") == nullptr);

    // {name*} takes the rest of the path, slashes included.
    route = schema::find_route("PUT", "/api/2.0/fs/files/Volumes/main/default/v/a.txt", &params);
    REQUIRE(route != nullptr);
    CHECK(route->content == "raw");
    CHECK(params == schema::PathParams{{"file_path", "/Volumes/main/default/v/a.txt"}});

    // A parameter may share its segment with literal text.
    route = schema::find_route("POST", "/api/2.0/ai-search/idx:sync", &params);
    REQUIRE(route != nullptr);
    CHECK(params == schema::PathParams{{"name", "idx"}});
}

TEST_CASE("the most literal template wins") {
    schema::PathParams params;
    const auto* route = schema::find_route("GET", "/api/2.0/permissions/jobs/7", &params);
    REQUIRE(route != nullptr);
    CHECK(route->call == "JobsAPI.get_permissions");
    CHECK(params == schema::PathParams{{"job_id", "7"}});
    route = schema::find_route("GET", "/api/2.0/permissions/notebooks/7", &params);
    REQUIRE(route != nullptr);
    CHECK(route->path.find("{") == std::string("/api/2.0/permissions/").size());
}

TEST_CASE("clusters/edit: body fields, required fields, Go CLI name") {
    const auto* route = schema::find_route("POST", "/api/2.1/clusters/edit");
    REQUIRE(route != nullptr);
    CHECK(route->cli == "clusters edit");
    CHECK(route->required == std::vector<std::string>{"cluster_id", "spark_version"});
    const auto& fields = route->body.at("fields");
    CHECK(fields.at("cluster_id").value("required", false));
    CHECK_FALSE(fields.at("num_workers").value("required", false));
    CHECK(fields.at("custom_tags").at("type") == Json::array({"map", "string"}));
    CHECK(schema::is_known_field(*route, "spark_conf"));
    CHECK_FALSE(schema::is_known_field(*route, "spark_confs"));
    CHECK(schema::is_known_field(*schema::find_route("GET", "/api/2.0/repos/1"), "repo_id"));

    auto problems = schema::validate(Json{{"cluster_id", "c1"}}, route->body, "body");
    CHECK(problems == std::vector<std::string>{"body.spark_version: missing required field"});
}

TEST_CASE("Go CLI names: settings sub-groups, no group for DBFS") {
    CHECK(schema::find_route("GET", "/api/2.0/settings/types/default_namespace_ws/names/default")->cli ==
          "settings default-namespace get");
    CHECK(schema::find_route("POST", "/api/2.0/workspace/mkdirs")->cli == "workspace mkdirs");
    CHECK(schema::find_route("GET", "/api/2.1/clusters/list-node-types")->cli == "clusters list-node-types");
    CHECK(schema::find_route("POST", "/api/2.0/dbfs/put")->cli.empty());
}

TEST_CASE("type() looks up named types") {
    const Json* task = schema::type("jobs.Task");
    REQUIRE(task != nullptr);
    CHECK(task->at("fields").at("task_key").value("required", false));
    CHECK(schema::type("jobs.NoSuchThing") == nullptr);
    CHECK(schema::type("compute.State")->at("enum").size() > 5);
    CHECK(schema::is_known_field(Json("jobs.Task"), "notebook_task"));
    CHECK_FALSE(schema::is_known_field(Json("jobs.Task"), "notebook"));
    CHECK(schema::is_known_field(Json::array({"map", "string"}), "anything"));
    CHECK_FALSE(schema::is_known_field(Json("string"), "x"));
}

TEST_CASE("coerce turns values into what the schema says") {
    const Json settings_type = "jobs.JobSettings";
    Json settings = {
        {"name", 12},
        {"tags", {{"team", 7}, {"on", true}, {"kept", "x"}}},
        {"max_concurrent_runs", "3"},
        {"timeout_seconds", 60.0},
        {"tasks", {{{"task_key", "t"}, {"new_cluster", {{"num_workers", "2"}, {"spark_conf", {{"spark.x", 1}}}}},
                    {"max_retries", "abc"}, {"retry_on_timeout", "true"}, {"not_a_field", "5"}}}},
    };
    auto coerced = schema::coerce(settings, settings_type);
    CHECK(coerced.at("name") == "12");
    CHECK(coerced.at("tags") == Json{{"team", "7"}, {"on", "true"}, {"kept", "x"}});
    CHECK(coerced.at("max_concurrent_runs") == 3);
    CHECK(coerced.at("max_concurrent_runs").is_number_integer());
    CHECK(coerced.at("timeout_seconds").is_number_integer());
    const auto& task = coerced.at("tasks").at(0);
    CHECK(task.at("new_cluster").at("num_workers") == 2);
    CHECK(task.at("new_cluster").at("spark_conf") == Json{{"spark.x", "1"}});
    CHECK(task.at("max_retries") == "abc");
    CHECK(task.at("retry_on_timeout") == true);
    CHECK(task.at("not_a_field") == "5");
    CHECK(schema::validate(coerced, settings_type, "body") ==
          std::vector<std::string>{"body.tasks[0].max_retries: expected integer, got string \"abc\"",
                                   "body.tasks[0].not_a_field: unknown field"});

    CHECK(schema::coerce("1.5", "number") == 1.5);
    CHECK(schema::coerce("inf", "number") == "inf");
    CHECK(schema::coerce(2.5, "integer") == 2.5);
    CHECK(schema::coerce("9223372036854775807", "integer") == INT64_MAX);
    CHECK(schema::coerce("False", "boolean") == false);
    CHECK(schema::coerce("yes", "boolean") == "yes");
    CHECK(schema::coerce(nullptr, "string").is_null());
}

TEST_CASE("validate reports unknown fields, wrong types, missing required fields and bad enums") {
    const auto* route = schema::find_route("POST", "/api/2.2/jobs/create");
    REQUIRE(route != nullptr);
    Json body = {
        {"name", "ok"},
        {"max_concurrent_runs", "1"},
        {"tasks", {{{"notebook_task", {{"source", "WORKSPACE"}}}, {"run_if", "SOMETIMES"}}}},
        {"tags", {{"a", 1}}},
        {"schedule", {{"quartz_cron_expression", "0 0 * * * ?"}, {"timezone_id", "UTC"}, {"pause_status", "PAUSED"}}},
        {"existing_cluster_id", "c"},
    };
    auto problems = schema::validate(body, route->body, "body");
    CAPTURE(problems);
    CHECK(has_problem(problems, "body.max_concurrent_runs: expected integer, got string \"1\""));
    CHECK(has_problem(problems, "body.tasks[0].task_key: missing required field"));
    CHECK(has_problem(problems, "body.tasks[0].notebook_task.notebook_path: missing required field"));
    CHECK(has_problem(problems, "body.tasks[0].run_if: \"SOMETIMES\" is not one of ALL_DONE, ALL_FAILED, ALL_SUCCESS, "
                                "AT_LEAST_ONE_FAILED, AT_LEAST_ONE_SUCCESS, NONE_FAILED"));
    CHECK(has_problem(problems, "body.tags.a: expected string, got integer 1"));
    CHECK(has_problem(problems, "body.existing_cluster_id: unknown field"));
    CHECK(problems.size() == 6);

    CHECK(schema::validate(Json{{"name", "x"}, {"description", nullptr}}, route->body, "body").empty());
    CHECK(schema::validate(Json::array(), route->body, "body") == std::vector<std::string>{"body: expected object, got array"});
    CHECK(schema::validate(Json(18446744073709551615ull), "integer", "id") ==
          std::vector<std::string>{"id: 18446744073709551615 is out of the int64 range"});
    CHECK(schema::validate(Json(1.0), "integer", "") == std::vector<std::string>{"value: expected integer, got number 1.0"});
    CHECK(schema::validate(Json{{"anything", {1, 2}}}, "object", "x").empty());
    CHECK(schema::validate(Json(true), "any", "x").empty());
}

TEST_CASE("answers validate against the response type, including the types added from rest-api.md") {
    const auto* list = schema::find_route("GET", "/api/2.2/jobs/list");
    REQUIRE(list != nullptr);
    CHECK(list->response == "jobs.ListJobsResponse");
    Json answer = {{"jobs", {{{"job_id", 1}, {"settings", {{"name", "a"}}}, {"created_time", 1700000000000}}}}, {"has_more", false}};
    CHECK(schema::validate(answer, list->response, "response").empty());
    answer["jobs"][0]["job_id"] = "1";
    answer["total"] = 3;
    CHECK(schema::validate(answer, list->response, "response") ==
          std::vector<std::string>{"response.jobs[0].job_id: expected integer, got string \"1\"", "response.total: unknown field"});
}
