// The jobs and runs commands' own logic: input parsing and validation, request bodies, paging
// and waiting, against a scripted Api (no engine involved).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "cli/context.hpp"
#include "commands/jobs/job_input.hpp"
#include "commands/jobs/request_bodies.hpp"
#include "commands/jobs/run_calls.hpp"
#include "commands/jobs/run_wait.hpp"
#include "tests/unit/scripted_api.hpp"

using namespace brix;
using namespace brix::commands::jobs;
using api::Json;
using std::chrono::milliseconds;

namespace {

struct JobFilesDir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("brix-jobs-unit-" + std::to_string(std::random_device{}()));
    JobFilesDir() { std::filesystem::create_directories(path); }
    ~JobFilesDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

Json run_in_state(const std::string& life_cycle, const std::string& result = "", const std::string& message = "") {
    Json state{{"life_cycle_state", life_cycle}};
    if (!result.empty()) state["result_state"] = result;
    if (!message.empty()) state["state_message"] = message;
    return {{"run_id", 11}, {"run_name", "nightly"}, {"run_page_url", "http://local/#job/1/run/11"}, {"state", state}};
}

std::string read_all(std::FILE* file) {
    std::rewind(file);
    std::string text;
    char buffer[4096];
    while (auto n = std::fread(buffer, 1, sizeof buffer, file)) text.append(buffer, n);
    return text;
}

// stdout and stderr of `work`, read back from temporary files.
std::pair<std::string, std::string> captured(const std::function<void()>& work) {
    std::fflush(stdout);
    std::fflush(stderr);
    auto* out = std::tmpfile();
    auto* err = std::tmpfile();
    int saved_out = ::dup(STDOUT_FILENO), saved_err = ::dup(STDERR_FILENO);
    ::dup2(::fileno(out), STDOUT_FILENO);
    ::dup2(::fileno(err), STDERR_FILENO);
    work();
    std::fflush(stdout);
    std::fflush(stderr);
    ::dup2(saved_out, STDOUT_FILENO);
    ::dup2(saved_err, STDERR_FILENO);
    ::close(saved_out);
    ::close(saved_err);
    std::pair<std::string, std::string> texts{read_all(out), read_all(err)};
    std::fclose(out);
    std::fclose(err);
    return texts;
}

Json task(const std::string& key, std::int64_t run_id, std::int64_t start, const std::string& result) {
    return {{"task_key", key}, {"run_id", run_id}, {"start_time", start},
            {"state", {{"life_cycle_state", "TERMINATED"}, {"result_state", result}}}};
}

}  // namespace

TEST_CASE("Go durations parse as the Databricks CLI reads --timeout") {
    CHECK(parse_go_duration("20m") == milliseconds{1'200'000});
    CHECK(parse_go_duration("90s") == milliseconds{90'000});
    CHECK(parse_go_duration("1h30m") == milliseconds{5'400'000});
    CHECK(parse_go_duration("1.5h") == milliseconds{5'400'000});
    CHECK(parse_go_duration("300ms") == milliseconds{300});
    CHECK(parse_go_duration(".5s") == milliseconds{500});
    CHECK(parse_go_duration("+2m") == milliseconds{120'000});
    CHECK(parse_go_duration("1500us") == milliseconds{2});
    CHECK(parse_go_duration("0") == milliseconds{0});
    for (const char* bad : {"", "20", "m", "5 m", "1d", "-1s", "1..5s", "s5", "20minutes", "1e3s"}) {
        INFO(bad);
        CHECK_FALSE(parse_go_duration(bad));
    }
    CHECK_THROWS_AS(parse_timeout_flag("soon"), cli::UsageError);
    CHECK_THROWS_WITH(parse_timeout_flag("soon"), Catch::Contains("20m, 90s or 1h30m"));
}

TEST_CASE("durations print the way Go prints them") {
    CHECK(format_go_duration(milliseconds{1'200'000}) == "20m0s");
    CHECK(format_go_duration(milliseconds{90'000}) == "1m30s");
    CHECK(format_go_duration(milliseconds{5'400'000}) == "1h30m0s");
    CHECK(format_go_duration(milliseconds{1'500}) == "1.5s");
    CHECK(format_go_duration(milliseconds{250}) == "250ms");
    CHECK(format_go_duration(milliseconds{0}) == "0s");
}

TEST_CASE("--json takes inline JSON and refuses anything else with exit 2") {
    CHECK(load_json_object({R"({"name": "a", "max_retries": 2})", std::nullopt})["max_retries"] == 2);
    CHECK_THROWS_WITH(load_json_object({"{name: a}", std::nullopt}), Catch::StartsWith("invalid JSON in --json: "));
    CHECK_THROWS_AS(load_json_object({"{name: a}", std::nullopt}), cli::UsageError);
    CHECK_THROWS_WITH(load_json_object({"[1]", std::nullopt}), "--json must be a JSON object, not a JSON array");
    CHECK_THROWS_AS(load_json_object({"", std::nullopt}), cli::UsageError);
    CHECK_THROWS_WITH(load_json_object({"{}", "job.json"}), "give --json or --json-file, not both");
    CHECK_THROWS_WITH(load_json_object({}), "either --json or --json-file is required");
}

TEST_CASE("@file, --json-file and - read JSON or YAML") {
    JobFilesDir dir;
    auto json = dir.write("job.json", R"({"name": "nightly", "tasks": [{"task_key": "a"}]})");
    CHECK(load_json_object({"@" + json, std::nullopt})["tasks"][0]["task_key"] == "a");
    CHECK(load_json_object({std::nullopt, json})["name"] == "nightly");

    auto yaml = dir.write("job.yml",
                          "name: nightly\n"
                          "max_concurrent_runs: 2\n"
                          "tags: {team: '42', cost: 7}\n"
                          "defaults: &task\n  timeout_seconds: 600\n  retry_on_timeout: true\n"
                          "tasks:\n"
                          "  - task_key: ingest\n    <<: *task\n    timeout_seconds: 60\n"
                          "    notebook_task: {notebook_path: /Shared/ingest, base_parameters: {day: \"2026-11-21\"}}\n"
                          "  - task_key: report\n    description:\n    depends_on: [{task_key: ingest}]\n");
    auto job = load_json_object({"@" + yaml, std::nullopt});
    CHECK(job["max_concurrent_runs"] == 2);
    CHECK((job["tags"]["team"] == "42" && job["tags"]["cost"] == 7));
    CHECK(job["tasks"][0]["timeout_seconds"] == 60);  // written out beats merged
    CHECK(job["tasks"][0]["retry_on_timeout"] == true);
    CHECK(job["tasks"][0]["notebook_task"]["base_parameters"]["day"] == "2026-11-21");
    CHECK(job["tasks"][1]["description"].is_null());
    CHECK(job["tasks"][1]["depends_on"][0]["task_key"] == "ingest");
    // Key order is kept: the API stores job settings verbatim.
    CHECK(job.begin().key() == "name");

    auto unnamed = dir.write("job", "name: plain\n");
    CHECK(load_json_object({std::nullopt, unnamed})["name"] == "plain");
    CHECK(load_json_object({"-", std::nullopt}, [] { return std::string("name: piped"); })["name"] == "piped");
    CHECK(load_json_object({std::nullopt, "-"}, [] { return std::string(R"({"name": "piped"})"); })["name"] == "piped");
}

TEST_CASE("bad files fail with the file's name and the parser's reason") {
    JobFilesDir dir;
    auto broken = dir.write("broken.json", R"({"name": "x",})");
    CHECK_THROWS_WITH(load_json_object({"@" + broken, std::nullopt}), Catch::StartsWith("invalid JSON in " + broken + ": "));
    auto broken_yaml = dir.write("broken.yaml", "tasks: [a, b\n");
    CHECK_THROWS_WITH(load_json_object({"@" + broken_yaml, std::nullopt}), Catch::StartsWith("invalid JSON or YAML in " + broken_yaml));
    auto list = dir.write("list.yml", "- a\n- b\n");
    CHECK_THROWS_WITH(load_json_object({std::nullopt, list}), Catch::Contains("must hold a JSON object (or a YAML mapping)"));
    CHECK_THROWS_WITH(load_json_object({"@" + (dir.path / "missing.json").string(), std::nullopt}), Catch::Contains("does not exist"));
    // A file name without @ is a common slip: the message says how to read it.
    CHECK_THROWS_WITH(load_json_object({broken, std::nullopt}), Catch::Contains("write --json @" + broken));
}

TEST_CASE("YAML scalars follow the YAML 1.2 core schema") {
    auto doc = yaml_to_json("a: 007\nb: 0x1F\nc: 1.5e3\nd: yes\ne: 'true'\nf: ~\ng: !!str 12\nh: 2026-11-21\ni: -3\nj: .inf\n");
    CHECK(doc["a"] == 7);
    CHECK(doc["b"] == 31);
    CHECK(doc["c"] == 1500.0);
    CHECK(doc["d"] == "yes");
    CHECK(doc["e"] == "true");
    CHECK(doc["f"].is_null());
    CHECK(doc["g"] == "12");
    CHECK(doc["h"] == "2026-11-21");
    CHECK(doc["i"] == -3);
    CHECK(doc["j"] == ".inf");
    CHECK_THROWS(yaml_to_json("a: 1\n---\nb: 2\n"));
}

TEST_CASE("parameter flags must have the shape Databricks accepts") {
    CHECK(parse_param_flag("--notebook-params", R"({"day": "2026-11-21"})", ParamShape::StringMap)["day"] == "2026-11-21");
    CHECK(parse_param_flag("--python-params", R"(["--day", "1"])", ParamShape::StringList).size() == 2);
    CHECK_THROWS_WITH(parse_param_flag("--notebook-params", R"(["a"])", ParamShape::StringMap),
                      Catch::StartsWith("--notebook-params must be a JSON object of strings"));
    CHECK_THROWS_WITH(parse_param_flag("--notebook-params", R"({"n": 5})", ParamShape::StringMap),
                      "--notebook-params: the value of \"n\" is 5 (a number), but widget values must be strings: write \"5\"");
    CHECK_THROWS_WITH(parse_param_flag("--job-parameters", R"({"on": true})", ParamShape::StringMap),
                      Catch::Contains("parameter values must be strings: write \"true\""));
    CHECK_THROWS_WITH(parse_param_flag("--python-params", R"({"a": "b"})", ParamShape::StringList),
                      Catch::StartsWith("--python-params must be a JSON array of strings"));
    CHECK_THROWS_WITH(parse_param_flag("--python-params", R"(["a", 2])", ParamShape::StringList),
                      Catch::Contains("element 2 is 2 (a number)"));
    CHECK_THROWS_WITH(parse_param_flag("--jar-params", "[a]", ParamShape::StringList), Catch::StartsWith("invalid JSON in --jar-params: "));
    CHECK_THROWS_AS(parse_param_flag("--jar-params", "[a]", ParamShape::StringList), cli::UsageError);
}

TEST_CASE("IDs come as a positional or a flag, once, and are numbers") {
    CHECK(resolve_id(std::string("12"), std::nullopt, IdKind::Job) == 12);
    CHECK(resolve_id(std::nullopt, std::string("13"), IdKind::Run) == 13);
    CHECK_THROWS_WITH(resolve_id(std::string("1"), std::string("1"), IdKind::Job), Catch::Contains("not both"));
    CHECK_THROWS_WITH(resolve_id(std::nullopt, std::nullopt, IdKind::Run), "missing run ID: pass RUN_ID or --run-id");
    CHECK_THROWS_WITH(parse_id("12a", IdKind::Job), "invalid job ID \"12a\": expected a number");
    CHECK_FALSE(resolve_optional_id(std::nullopt, std::nullopt, IdKind::Job));
    CHECK(id_in_body(Json{{"job_id", "7"}}, "job_id", IdKind::Job) == 7);  // legacy scripts send strings
    CHECK_THROWS_AS(id_in_body(Json{{"job_id", true}}, "job_id", IdKind::Job), cli::UsageError);
}

TEST_CASE("reset and update take bare settings or the API shape") {
    Json bare{{"name", "n"}, {"job_id", 3}};
    CHECK(build_reset_body(bare, std::nullopt) == Json{{"job_id", 3}, {"new_settings", {{"name", "n"}}}});
    CHECK(build_reset_body(bare, 4)["job_id"] == 4);  // the command line wins, as in the legacy CLI
    Json shaped{{"job_id", "5"}, {"new_settings", {{"name", "m"}}}};
    CHECK(build_reset_body(shaped, std::nullopt) == Json{{"job_id", 5}, {"new_settings", {{"name", "m"}}}});
    CHECK_THROWS_WITH(build_reset_body(Json{{"name", "n"}}, std::nullopt), Catch::StartsWith("missing job ID"));

    Json update{{"new_settings", {{"max_concurrent_runs", 2}}}, {"fields_to_remove", {"schedule"}}};
    CHECK(build_update_body(update, 9) ==
          Json{{"job_id", 9}, {"new_settings", {{"max_concurrent_runs", 2}}}, {"fields_to_remove", {"schedule"}}});
    CHECK(build_update_body(Json{{"name", "x"}}, 9) == Json{{"job_id", 9}, {"new_settings", {{"name", "x"}}}});
    CHECK_THROWS_AS(build_update_body(Json{{"fields_to_remove", "schedule"}}, 9), cli::UsageError);
    CHECK_THROWS_AS(build_update_body(Json::object(), 9), cli::UsageError);
}

TEST_CASE("run-now bodies merge --json and flags and always carry a token") {
    RunNowRequest request;
    request.job_id = 7;
    request.params[0] = R"({"day": "2026-11-21"})";  // --notebook-params
    auto body = build_run_now_body(request);
    CHECK((body.begin().key() == "job_id" && body["job_id"] == 7));
    CHECK(body["notebook_params"]["day"] == "2026-11-21");
    auto token = body["idempotency_token"].get<std::string>();
    CHECK((token.rfind("brix-", 0) == 0 && token.size() <= 64));
    CHECK(build_run_now_body(request)["idempotency_token"] != token);

    RunNowRequest from_json;
    from_json.document = Json{{"job_id", 8}, {"job_parameters", {{"env", "dev"}}}, {"idempotency_token", "mine"}};
    body = build_run_now_body(from_json);
    CHECK(body == Json{{"job_id", 8}, {"job_parameters", {{"env", "dev"}}}, {"idempotency_token", "mine"}});

    from_json.job_id = 9;
    CHECK_THROWS_WITH(build_run_now_body(from_json), Catch::Contains("given twice"));
    from_json.job_id = std::nullopt;
    from_json.params[5] = R"({"env": "prod"})";  // --job-parameters
    CHECK_THROWS_WITH(build_run_now_body(from_json), "--job-parameters and \"job_parameters\" in the JSON both set job_parameters: give one");

    RunNowRequest numbers;
    numbers.document = Json{{"job_id", 1}, {"notebook_params", {{"n", 5}}}};
    CHECK_THROWS_WITH(build_run_now_body(numbers), Catch::Contains("widget values must be strings"));
    RunNowRequest long_token;
    long_token.job_id = 1;
    long_token.idempotency_token = std::string(65, 'x');
    CHECK_THROWS_AS(build_run_now_body(long_token), cli::UsageError);
    CHECK_THROWS_WITH(build_run_now_body(RunNowRequest{}), Catch::StartsWith("missing job ID"));
}

TEST_CASE("submit bodies keep the document and add the flags") {
    auto body = build_submit_body({Json{{"tasks", Json::array()}}, "adhoc", 600, std::nullopt});
    CHECK((body["run_name"] == "adhoc" && body["timeout_seconds"] == 600));
    CHECK(body.contains("idempotency_token"));
    CHECK_THROWS_AS(build_submit_body({Json{{"run_name", "a"}}, "b", std::nullopt, std::nullopt}), cli::UsageError);
}

TEST_CASE("repair bodies take the run from RUN_ID or the JSON and say which tasks") {
    RepairRunRequest request;
    request.run_id = 5;
    request.rerun_tasks = {"load", "report"};
    request.rerun_dependent_tasks = true;
    request.latest_repair_id = 3;
    request.params[5] = R"({"env": "prod"})";  // --job-parameters
    CHECK(build_repair_body(request) == Json{{"run_id", 5},
                                             {"job_parameters", {{"env", "prod"}}},
                                             {"rerun_tasks", {"load", "report"}},
                                             {"rerun_dependent_tasks", true},
                                             {"latest_repair_id", 3}});

    RepairRunRequest from_json;
    from_json.document = Json{{"run_id", "6"}, {"rerun_all_failed_tasks", true}};
    CHECK(build_repair_body(from_json) == Json{{"run_id", 6}, {"rerun_all_failed_tasks", true}});
    from_json.run_id = 6;
    CHECK(build_repair_body(from_json)["run_id"] == 6);
    from_json.run_id = 7;
    CHECK_THROWS_WITH(build_repair_body(from_json), Catch::StartsWith("the run ID is given twice and differs"));
    from_json.run_id = std::nullopt;
    from_json.rerun_all_failed_tasks = true;  // the flag agrees with the JSON
    CHECK(build_repair_body(from_json)["rerun_all_failed_tasks"] == true);
    from_json.latest_repair_id = 2;
    from_json.document->emplace("latest_repair_id", 1);
    CHECK_THROWS_WITH(build_repair_body(from_json), Catch::Contains("--latest-repair-id and \"latest_repair_id\" in the JSON"));

    RepairRunRequest nothing_named;
    nothing_named.run_id = 5;
    CHECK_THROWS_WITH(build_repair_body(nothing_named), Catch::StartsWith("say which tasks to repair"));
    RepairRunRequest no_run;
    no_run.rerun_all_failed_tasks = true;
    CHECK_THROWS_WITH(build_repair_body(no_run), Catch::StartsWith("missing run ID"));
}

TEST_CASE("lists page with next_page_token or offset, up to --limit") {
    testing::ScriptedApi api;
    api.handler = [](const api::Request& request) {
        auto token = request.param("page_token").value_or("");
        if (token.empty()) return Json{{"jobs", {{{"job_id", 1}}, {{"job_id", 2}}}}, {"has_more", true}, {"next_page_token", "p2"}};
        return Json{{"jobs", {{{"job_id", 3}}}}, {"has_more", false}};
    };
    auto all = list_items(api, {"list", "jobs", {}, 100, std::nullopt, std::nullopt, Pages::All});
    CHECK(all.items.size() == 3);
    CHECK(api.requests[0].path == "/api/2.2/jobs/list");
    CHECK(api.requests[1].param("page_token") == "p2");
    api.requests.clear();
    auto capped = list_items(api, {"list", "jobs", {}, 100, 2, std::nullopt, Pages::All});
    CHECK(capped.items.size() == 2);
    CHECK(api.requests.size() == 1);
    CHECK(api.requests[0].param("limit") == "2");

    testing::ScriptedApi legacy;  // a server that only says has_more
    legacy.handler = [](const api::Request& request) {
        auto offset = std::stoi(request.param("offset").value_or("0"));
        return offset == 0 ? Json{{"runs", {{{"run_id", 1}}, {{"run_id", 2}}}}, {"has_more", true}}
                           : Json{{"runs", {{{"run_id", 3}}}}, {"has_more", false}};
    };
    CHECK(list_items(legacy, {"runs/list", "runs", {}, 25, std::nullopt, std::nullopt, Pages::First}).items.size() == 2);
    CHECK(list_items(legacy, {"runs/list", "runs", {}, 25, std::nullopt, std::nullopt, Pages::All}).items.size() == 3);
    CHECK(legacy.requests.back().param("offset") == "2");
}

TEST_CASE("get_run follows next_page_token and merges tasks") {
    testing::ScriptedApi api;
    api.handler = [](const api::Request& request) {
        return request.param("page_token") ? Json{{"run_id", 1}, {"tasks", {{{"task_key", "b"}}}}}
                                           : Json{{"run_id", 1}, {"tasks", {{{"task_key", "a"}}}}, {"next_page_token", "t"}};
    };
    auto run = get_run(api, 1);
    CHECK((run["tasks"].size() == 2 && !run.contains("next_page_token")));
}

TEST_CASE("waiting prints the URL once and a line per state change") {
    testing::ScriptedApi api;
    std::vector<Json> states{run_in_state("PENDING"), run_in_state("RUNNING"), run_in_state("RUNNING"),
                             run_in_state("TERMINATED", "SUCCESS", "done")};
    std::size_t next = 0;
    api.handler = [&](const api::Request&) { return states[std::min(next++, states.size() - 1)]; };
    auto* progress = std::tmpfile();
    WaitOptions options;
    options.first_poll = milliseconds{1};
    options.longest_poll = milliseconds{2};
    options.progress = progress;
    auto run = wait_for_run(api, 11, options);
    REQUIRE(run);
    CHECK(result_state(*run) == "SUCCESS");
    CHECK(api.requests[0].path == "/api/2.2/jobs/runs/get");
    CHECK(api.requests[0].param("run_id") == "11");
    auto text = read_all(progress);
    std::fclose(progress);
    CHECK(text.rfind("Run URL: http://local/#job/1/run/11\n", 0) == 0);
    CHECK(text.find("\"nightly\" PENDING\n") != std::string::npos);
    CHECK(text.find("\"nightly\" RUNNING\n") == text.rfind("\"nightly\" RUNNING\n"));
    CHECK(text.find("\"nightly\" TERMINATED SUCCESS done\n") != std::string::npos);
}

TEST_CASE("waiting gives up at the timeout") {
    testing::ScriptedApi api;
    api.handler = [](const api::Request&) { return run_in_state("RUNNING"); };
    WaitOptions options;
    options.timeout = milliseconds{30};
    options.first_poll = milliseconds{5};
    options.progress = nullptr;
    auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(wait_for_run(api, 11, options));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds{2});
}

TEST_CASE("the waits between polls grow to their longest and stay above the poll's own cost") {
    WaitOptions options;
    options.first_poll = milliseconds{2};
    options.longest_poll = milliseconds{50};
    options.growth_percent = 120;
    options.cost_multiple = 10;
    CHECK(next_planned_wait(milliseconds{2}, options) == milliseconds{3});  // at least 1 ms more each time
    CHECK(next_planned_wait(milliseconds{20}, options) == milliseconds{24});
    CHECK(next_planned_wait(milliseconds{48}, options) == milliseconds{50});
    CHECK(next_planned_wait(milliseconds{50}, options) == milliseconds{50});
    CHECK(poll_wait(milliseconds{5}, std::chrono::microseconds{200}, options) == milliseconds{5});
    CHECK(poll_wait(milliseconds{5}, std::chrono::microseconds{3000}, options) == milliseconds{30});
    options.cost_multiple = 0;  // the remote default: the plan alone
    CHECK(poll_wait(milliseconds{5}, std::chrono::microseconds{3000}, options) == milliseconds{5});
    WaitOptions remote;
    CHECK(next_planned_wait(milliseconds{100}, remote) == milliseconds{150});
    CHECK(next_planned_wait(milliseconds{900}, remote) == milliseconds{1000});
}

TEST_CASE("servers on this machine are told from workspaces") {
    CHECK(is_loopback_url("http://127.0.0.1:8080"));
    CHECK(is_loopback_url("http://localhost/api"));
    CHECK(is_loopback_url("http://[::1]:9000"));
    CHECK_FALSE(is_loopback_url("https://adb-123.azuredatabricks.net"));
    CHECK_FALSE(is_loopback_url("https://localhost.example.com"));
    CHECK_FALSE(is_loopback_url("127.0.0.1"));
}

TEST_CASE("finished runs are reported from their tasks") {
    auto line = state_line(run_in_state("INTERNAL_ERROR", "FAILED", "Task a failed"), 0);
    CHECK(line.size() == 19 + std::string(" \"nightly\" INTERNAL_ERROR FAILED Task a failed").size());
    CHECK((is_terminal(run_in_state("SKIPPED")) && !is_terminal(run_in_state("TERMINATING"))));
    CHECK(run_failure_message(run_in_state("TERMINATED", "CANCELED", "by user")) == "run CANCELED: by user");
    CHECK(run_failure_message(run_in_state("INTERNAL_ERROR")) == "run INTERNAL_ERROR");

    CHECK(task_output_text(Json{{"notebook_output", {{"result", "42"}}}, {"logs", "x"}}) == "42");
    CHECK(task_output_text(Json{{"notebook_output", {{"result", ""}}}, {"logs", "printed\n"}}) == "printed\n");
    CHECK(task_output_text(Json::object()).empty());

    Json run{{"tasks", {{{"task_key", "late"}, {"start_time", 30}}, {{"task_key", "never"}}, {{"task_key", "early"}, {"start_time", 10}}}}};
    auto tasks = tasks_by_start(run);
    CHECK((tasks[0]["task_key"] == "early" && tasks[1]["task_key"] == "late" && tasks[2]["task_key"] == "never"));

    Json failed{{"task_key", "a"}, {"state", {{"life_cycle_state", "TERMINATED"}, {"result_state", "FAILED"}}}};
    CHECK(task_failed(failed));
    CHECK_FALSE(task_failed(Json{{"state", {{"result_state", "UPSTREAM_FAILED"}}}}));
    CHECK(task_failure_text("a", Json{{"error", "ZeroDivisionError: division by zero"}, {"error_trace", "Traceback ..."}}, failed) ==
          "Task a FAILED: ZeroDivisionError: division by zero\nTraceback ...\n");
    CHECK(task_failure_text("a", Json::object(), failed) == "Task a FAILED: FAILED\n");
}

TEST_CASE("a finished run prints task output on stdout and failures on stderr") {
    testing::ScriptedApi api;
    api.handler = [](const api::Request& request) {
        CHECK(request.path == "/api/2.2/jobs/runs/get-output");
        auto id = request.param("run_id").value_or("");
        if (id == "21") return Json{{"notebook_output", {{"result", "42"}}}};
        if (id == "22") return Json{{"logs", "about to fail\n"}, {"error", "ZeroDivisionError: division by zero"}, {"error_trace", "Traceback"}};
        throw api::ApiError(404, "RESOURCE_DOES_NOT_EXIST", "no such run");
    };
    auto single = run_in_state("TERMINATED", "SUCCESS");
    single["tasks"] = Json::array({task("only", 21, 5, "SUCCESS")});
    cli::ExitCode code{};
    auto [out, err] = captured([&] { code = report_finished_run(api, single, RunStdout::TaskOutput); });
    CHECK(code == cli::ExitCode::Success);
    CHECK(out == "42\n");
    CHECK(err.empty());

    auto failed = run_in_state("INTERNAL_ERROR", "FAILED", "Task b failed with message: Workload failed");
    failed["tasks"] = Json::array({task("b", 22, 20, "FAILED"), task("a", 21, 10, "SUCCESS")});
    std::tie(out, err) = captured([&] { code = report_finished_run(api, failed, RunStdout::TaskOutput); });
    CHECK(code == cli::ExitCode::RunFailed);
    CHECK(out == "Task a:\n42\n\nTask b:\nabout to fail\n");
    CHECK(err == "Task b FAILED: ZeroDivisionError: division by zero\nTraceback\n"
                 "Error: run FAILED: Task b failed with message: Workload failed\n");

    std::tie(out, err) = captured([&] { code = report_finished_run(api, failed, RunStdout::RunObject); });
    CHECK(Json::parse(out)["run_id"] == 11);
    CHECK(err.find("Task b FAILED") != std::string::npos);

    // the legacy form's stdout is the API's answer alone: the verdict still goes to stderr
    std::tie(out, err) = captured([&] { code = report_finished_run(api, failed, RunStdout::Nothing); });
    CHECK(code == cli::ExitCode::RunFailed);
    CHECK(out.empty());
    CHECK(err == "Task b FAILED: ZeroDivisionError: division by zero\nTraceback\n"
                 "Error: run FAILED: Task b failed with message: Workload failed\n");
}
