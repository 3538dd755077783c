// for_each_task's pure parts: its settings checked, inputs read, {{input}} substituted.
#include <catch2/catch.hpp>

#include "api/api.hpp"
#include "engine/jobs/for_each.hpp"
#include "engine/jobs/references.hpp"

using namespace brix::engine::jobs;
using brix::api::Json;

namespace {

Json nested_task() {
    return Json{{"task_key", "item"},
                {"depends_on", Json::array({Json{{"task_key", "x"}}})},
                {"spark_python_task", {{"python_file", "/a.py"}, {"parameters", {"{{input}}", "{{input.name}}-{{job.id}}"}}}}};
}

}  // namespace

TEST_CASE("{{input}} and {{input.field}} are replaced; other references stay for later") {
    CHECK(substitute_input("v={{input}} id={{job.id}} {{ input }}", Json(3)) == "v=3 id={{job.id}} 3");
    CHECK(substitute_input("{{input}}", Json("text")) == "text");
    Json object{{"name", "orders"}, {"size", {{"rows", 10}}}};
    CHECK(substitute_input("{{input.name}}/{{input.size.rows}}/{{input.size}}", object) == "orders/10/{\"rows\":10}");
    CHECK(substitute_input("{{input}}", object) == "{\"name\":\"orders\",\"size\":{\"rows\":10}}");
    CHECK(substitute_input("{{tasks.`my task`.values.x}} {{unknown.ns}}", object) == "{{tasks.`my task`.values.x}} {{unknown.ns}}");
    CHECK_THROWS_WITH(substitute_input("{{input.nope}}", object), Catch::Contains("has no field 'nope'"));
    CHECK_THROWS_WITH(substitute_input("{{input.name}}", Json(1)), Catch::StartsWith("Unknown dynamic value reference {{input.name}}"));
}

TEST_CASE("an iteration's task is the nested task with its input, without dependencies") {
    auto task = iteration_task(nested_task(), Json{{"name", "a"}});
    CHECK(task == Json{{"task_key", "item"},
                       {"spark_python_task", {{"python_file", "/a.py"}, {"parameters", {"{\"name\":\"a\"}", "a-{{job.id}}"}}}}});
}

TEST_CASE("inputs are a JSON array once resolved") {
    CHECK(parse_for_each_inputs("[1, \"two\", {\"k\": 3}]").size() == 3);
    CHECK(parse_for_each_inputs("[]").empty());
    CHECK_THROWS_WITH(parse_for_each_inputs("a,b"), "for_each_task inputs must be a JSON array, got: a,b");
    CHECK_THROWS_WITH(parse_for_each_inputs("{\"a\": 1}"), Catch::StartsWith("for_each_task inputs must be a JSON array"));
    CHECK_THROWS_WITH(parse_for_each_inputs("[" + std::string(50 * 1024, ' ') + "]"), Catch::Contains("larger than 48 KB"));
}

TEST_CASE("for_each_task settings: inputs, task, concurrency") {
    Json good{{"inputs", "[1]"}, {"task", nested_task()}, {"concurrency", 100}};
    CHECK_NOTHROW(check_for_each_settings(good, "loop"));
    CHECK(for_each_concurrency(good) == 100);
    CHECK(for_each_concurrency(Json{{"inputs", "[1]"}}) == 1);
    auto with = [&](const char* field, Json value) {
        auto settings = good;
        if (value.is_null()) settings.erase(field);
        else settings[field] = value;
        return settings;
    };
    CHECK_NOTHROW(check_for_each_settings(with("inputs", "{{job.parameters.items}}"), "loop"));
    CHECK_THROWS_WITH(check_for_each_settings(with("inputs", nullptr), "loop"), Catch::StartsWith("Task loop: for_each_task.inputs is required"));
    CHECK_THROWS_WITH(check_for_each_settings(with("inputs", Json::array({1})), "loop"), Catch::Contains("inputs is required"));
    CHECK_THROWS_WITH(check_for_each_settings(with("inputs", "[" + std::string(10000, ' ') + "]"), "loop"),
                      Catch::Contains("longer than 10,000 characters"));
    CHECK_THROWS_WITH(check_for_each_settings(with("task", nullptr), "loop"), Catch::Contains("task is required"));
    CHECK_THROWS_WITH(check_for_each_settings(with("concurrency", 0), "loop"), Catch::Contains("from 1 to 100"));
    CHECK_THROWS_WITH(check_for_each_settings(with("concurrency", "2"), "loop"), Catch::Contains("from 1 to 100"));
    CHECK_THROWS_WITH(check_for_each_settings(with("task", Json{{"task_key", "t"}, {"for_each_task", good}}), "loop"),
                      Catch::Contains("cannot be another for_each_task"));
}
