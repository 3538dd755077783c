#include <catch2/catch.hpp>

#include "engine/jobs/task_launch.hpp"
#include "engine/jobs/task_namespace.hpp"

using brix::api::Json;
using brix::engine::jobs::Bind;
using brix::engine::jobs::environment_spec;
using brix::engine::jobs::path_in_task;
using brix::engine::jobs::paths_in_task;

TEST_CASE("host paths under the engine's folders are given as the task sees them", "[jobs]") {
    std::vector<Bind> binds = {{"/r/dbfs", "/dbfs"}, {"/r/workspace", "/Workspace"}, {"/r/dbfs/Volumes", "/Volumes"}};
    CHECK(path_in_task(binds, "/r/workspace/Shared/etl/job.py") == "/Workspace/Shared/etl/job.py");
    CHECK(path_in_task(binds, "/r/workspace") == "/Workspace");
    CHECK(path_in_task(binds, "/r/dbfs/Volumes/main/s/v/x") == "/Volumes/main/s/v/x");  // the longest source wins
    CHECK(path_in_task(binds, "/r/dbfs/code/x.py") == "/dbfs/code/x.py");
    CHECK(path_in_task(binds, "/r/dbfsx/y") == "/r/dbfsx/y");  // a neighbour, not a child
    CHECK(path_in_task(binds, "/r/runs/1/2/notebook.json") == "/r/runs/1/2/notebook.json");
    CHECK(path_in_task(binds, "--flag") == "--flag");
    CHECK(paths_in_task(binds, "/r/runtime/v1:/r/workspace/Repos/me/proj::/opt/x") == "/r/runtime/v1:/Workspace/Repos/me/proj::/opt/x");
}

TEST_CASE("a task's Python environment spec: libraries and environment_key", "[jobs]") {
    std::string problem;
    CHECK(environment_spec(Json::object(), Json{{"task_key", "t"}}, problem).is_null());
    CHECK(problem.empty());

    auto task = Json::parse(R"({"task_key": "t", "environment_key": "default", "libraries": [
        {"whl": "/Workspace/lib/a.whl"}, {"jar": "dbfs:/x.jar"}, {"pypi": {"package": "b==1", "repo": "http://127.0.0.1:1/simple"}},
        {"requirements": "/Workspace/req.txt"}]})");
    auto settings = Json::parse(R"({"environments": [{"environment_key": "other", "spec": {"dependencies": ["nope"]}},
        {"environment_key": "default", "spec": {"client": "1", "dependencies": ["c>=2", "/Volumes/m/s/v/d.whl"]}}]})");
    auto spec = environment_spec(settings, task, problem);
    CHECK(problem.empty());
    CHECK(spec == Json::parse(R"({"libraries": [{"whl": "/Workspace/lib/a.whl"}, {"pypi": {"package": "b==1", "repo": "http://127.0.0.1:1/simple"}},
        {"requirements": "/Workspace/req.txt"}], "dependencies": ["c>=2", "/Volumes/m/s/v/d.whl"]})"));

    // jar libraries alone need no Python environment (they go to spark.jars)
    CHECK(environment_spec(Json::object(), Json::parse(R"({"libraries": [{"jar": "dbfs:/x.jar"}]})"), problem).is_null());
    CHECK(problem.empty());
}

TEST_CASE("what cannot be installed here is named", "[jobs]") {
    auto problem_of = [](const std::string& task, const std::string& settings = "{}") {
        std::string problem;
        environment_spec(Json::parse(settings), Json::parse(task), problem);
        return problem;
    };
    CHECK(problem_of(R"({"libraries": [{"maven": {"coordinates": "a:b:1"}}]})") ==
          "Library installation failed: a maven library cannot be installed by the brix local engine (it installs whl, pypi, "
          "requirements and jar libraries)");
    CHECK(problem_of(R"({"libraries": [{"cran": {"package": "x"}}]})").find("a cran library cannot be installed") != std::string::npos);
    CHECK(problem_of(R"({"libraries": [{"egg": "dbfs:/x.egg"}]})").find("egg libraries are not supported") != std::string::npos);
    CHECK(problem_of(R"({"libraries": [{"pypi": {"repo": "http://x"}}]})") == "libraries: pypi needs a package");
    CHECK(problem_of(R"({"libraries": [{"whl": 3}]})") == "libraries: whl must be a path");
    CHECK(problem_of(R"({"libraries": [{"what": 1}]})") == "libraries: each library needs one of whl, pypi, requirements, jar, egg, maven or cran");
    CHECK(problem_of(R"({"environment_key": "x"})") == "environment_key x is not defined in the job's environments");
    CHECK(problem_of(R"({"environment_key": "x"})", R"({"environments": [{"environment_key": "x", "spec": {"dependencies": [1]}}]})") ==
          "environments: x: dependencies must be strings");
}
