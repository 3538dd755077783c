// The bundle loader's pure parts: globs, ${...} references, merging targets, variables, file
// classification. The e2e suite (test_bundle.sh) covers the verbs against both backends.
#include <catch2/catch.hpp>

#include <fstream>

#include "commands/bundle/bundle_files.hpp"
#include "commands/bundle/config_files.hpp"
#include "commands/bundle/glob.hpp"
#include "commands/bundle/interpolation.hpp"
#include "commands/bundle/targets.hpp"
#include "commands/bundle/task_paths.hpp"
#include "commands/bundle/variables.hpp"
#include "test_support.hpp"

using namespace brix;
using namespace brix::commands::bundle;
using api::Json;

TEST_CASE("glob_match: *, ?, ** and classes", "[bundle]") {
    CHECK(glob_match("resources/*.yml", "resources/jobs.yml"));
    CHECK_FALSE(glob_match("resources/*.yml", "resources/sub/jobs.yml"));
    CHECK(glob_match("resources/**/*.yml", "resources/jobs.yml"));
    CHECK(glob_match("resources/**/*.yml", "resources/a/b/jobs.yml"));
    CHECK(glob_match("**", "a/b/c"));
    CHECK(glob_match("job?.yml", "job1.yml"));
    CHECK_FALSE(glob_match("job?.yml", "job12.yml"));
    CHECK(glob_match("job[0-9].yml", "job7.yml"));
    CHECK_FALSE(glob_match("job[!0-9].yml", "job7.yml"));
    CHECK(glob_match("a[.yml", "a[.yml"));  // an unclosed bracket is a plain character
    CHECK_FALSE(glob_match("*.yml", "x.yaml"));
}

TEST_CASE("sync patterns read like .gitignore lines", "[bundle]") {
    CHECK(sync_pattern_matches("*.csv", "data/big/file.csv"));
    CHECK(sync_pattern_matches("tests", "tests/test_a.py"));
    CHECK(sync_pattern_matches("tests/", "tests/test_a.py"));
    CHECK_FALSE(sync_pattern_matches("tests/", "tests"));  // a file named tests is not a folder
    CHECK(sync_pattern_matches("tests/", "tests", PathKind::Folder));
    CHECK(sync_pattern_matches("/build", "build/x.o"));
    CHECK_FALSE(sync_pattern_matches("/build", "src/build/x.o"));
    CHECK(sync_pattern_matches("src/*.py", "src/a.py"));
    CHECK_FALSE(sync_pattern_matches("src/*.py", "lib/src/a.py"));
    CHECK(sync_pattern_matches("**/fixtures/**", "a/fixtures/b/c.json"));
}

TEST_CASE("bundle files: ignored folders are skipped, sync.include brings files back", "[bundle]") {
    test::TempDir dir;
    auto write = [&](const std::string& name, const std::string& text) {
        std::filesystem::create_directories((dir.path / name).parent_path());
        std::ofstream(dir.path / name) << text;
    };
    write("databricks.yml", "bundle: {name: x}\n");
    write(".gitignore", "*.log\nout/\n!out/keep.txt\n");
    write("src/a.py", "print(1)\n");
    write("src/nb.py", "# Databricks notebook source\nprint(1)\n");
    write("run.log", "x");
    write("out/keep.txt", "x");
    write("dist/pkg.whl", "x");
    write("node_modules/m/index.js", "x");
    write(".git/HEAD", "x");
    write("tests/t.py", "x");
    auto paths = [](const std::vector<BundleFile>& files) {
        std::vector<std::string> names;
        for (const auto& file : files) names.push_back(file.path);
        return names;
    };
    Diagnostics diagnostics;
    auto files = collect_bundle_files(dir.path, {}, diagnostics);
    CHECK(paths(files) == std::vector<std::string>{".gitignore", "databricks.yml", "src/a.py", "src/nb.py", "tests/t.py"});
    CHECK(find_file(files, "src/nb.py")->workspace_name == "src/nb");
    files = collect_bundle_files(dir.path, {{"dist/*.whl", "*.log"}, {"tests/"}}, diagnostics);
    CHECK(paths(files) == std::vector<std::string>{".gitignore", "databricks.yml", "dist/pkg.whl", "run.log", "src/a.py", "src/nb.py"});
    CHECK(diagnostics.errors.empty());
}

TEST_CASE("references resolve from the document, typed when they are the whole value", "[bundle]") {
    auto document = Json::parse(R"({
        "bundle": {"name": "etl", "target": "dev"},
        "variables": {"rows": {"default": 5, "value": 5}, "env": {"value": "${bundle.target}"}},
        "workspace": {"root_path": "/Workspace/x/${bundle.name}/${var.env}", "file_path": "${workspace.root_path}/files"},
        "resources": {"jobs": {"a": {"name": "${bundle.name}-a", "max": "${var.rows}", "other": "${resources.jobs.b.id}",
                                     "dynamic": "{{job.parameters.day}}"},
                               "b": {"name": "rows=${var.rows}"}}}
    })");
    auto deferred = [](const std::string& reference) { return reference == "resources.jobs.b.id"; };
    auto unresolved = substitute_references(document, deferred);
    CHECK(unresolved.empty());
    CHECK(document["workspace"]["file_path"] == "/Workspace/x/etl/dev/files");
    CHECK(document["resources"]["jobs"]["a"]["name"] == "etl-a");
    CHECK(document["resources"]["jobs"]["a"]["max"] == 5);
    CHECK(document["resources"]["jobs"]["b"]["name"] == "rows=5");
    CHECK(document["resources"]["jobs"]["a"]["other"] == "${resources.jobs.b.id}");
    CHECK(document["resources"]["jobs"]["a"]["dynamic"] == "{{job.parameters.day}}");
}

TEST_CASE("unknown and circular references are reported with where they are", "[bundle]") {
    auto document = Json::parse(R"({"variables": {"a": {"value": "${var.b}"}, "b": {"value": "${var.a}"}},
                                    "resources": {"jobs": {"x": {"tasks": [{"name": "${var.nope}"}]}}}})");
    auto unresolved = substitute_references(document, nullptr);
    REQUIRE(unresolved.size() == 3);
    CHECK(unresolved[0].problem == "is part of a circular reference");
    CHECK(unresolved[2].reference == "var.nope");
    CHECK(unresolved[2].where == "resources.jobs.x.tasks[0].name");
    CHECK(unresolved[2].problem == "does not exist");
}

TEST_CASE("a target merges tasks by task_key and replaces plain lists", "[bundle]") {
    auto document = Json::parse(R"({
        "resources": {"jobs": {"etl": {"name": "etl", "tasks": [
            {"task_key": "load", "spark_python_task": {"python_file": "a.py", "parameters": ["--x", "1"]}},
            {"task_key": "report", "notebook_task": {"notebook_path": "n"}}]}}},
        "targets": {"dev": {"default": true, "mode": "development"},
                    "prod": {"variables": {"rows": 9}, "resources": {"jobs": {"etl": {"tasks": [
                        {"task_key": "load", "spark_python_task": {"parameters": ["--y"]}},
                        {"task_key": "extra", "notebook_task": {"notebook_path": "m"}}]}}}}}
    })");
    CHECK(select_target(document, std::nullopt) == "dev");
    CHECK_THROWS_WITH(select_target(document, std::string("qa")), Catch::Contains("no target qa"));
    Diagnostics diagnostics;
    auto settings = apply_target(document, "prod", diagnostics);
    CHECK(diagnostics.errors.empty());
    CHECK(settings.variables["rows"] == 9);
    CHECK_FALSE(document.contains("targets"));
    const auto& tasks = document["resources"]["jobs"]["etl"]["tasks"];
    REQUIRE(tasks.size() == 3);
    CHECK(tasks[0]["spark_python_task"]["python_file"] == "a.py");
    CHECK(tasks[0]["spark_python_task"]["parameters"] == Json::array({"--y"}));
    CHECK(tasks[2]["task_key"] == "extra");
}

TEST_CASE("refused and unknown target keys", "[bundle]") {
    auto document = Json::parse(R"({"targets": {"prod": {"run_as": {"user_name": "x"}, "colour": "red", "mode": "fast"}}})");
    Diagnostics diagnostics;
    apply_target(document, "prod", diagnostics);
    REQUIRE(diagnostics.errors.size() == 2);
    CHECK_THAT(diagnostics.errors[0], Catch::Contains("targets.prod.run_as is not supported"));
    CHECK_THAT(diagnostics.errors[1], Catch::Contains("mode must be development or production"));
    REQUIRE(diagnostics.warnings.size() == 1);
    CHECK_THAT(diagnostics.warnings[0], Catch::Contains("targets.prod.colour"));
}

TEST_CASE("variables: --var wins over the target, the target over the default", "[bundle]") {
    auto document = Json::parse(R"({"variables": {"a": {"default": "d"}, "b": {"default": "d"}, "c": {"default": "d"},
                                                   "needed": {"description": "no default"}}})");
    Diagnostics diagnostics;
    resolve_variables(document, {Json{{"b", "target"}, {"c", Json{{"default", "target"}}}}, {"a=flag"}, "dev"}, diagnostics);
    CHECK(document["variables"]["a"]["value"] == "flag");
    CHECK(document["variables"]["b"]["value"] == "target");
    CHECK(document["variables"]["c"]["value"] == "target");
    REQUIRE(diagnostics.errors.size() == 1);
    CHECK_THAT(diagnostics.errors[0], Catch::Contains("no value for variable needed"));

    Diagnostics unknown;
    resolve_variables(document, {Json::object(), {"zzz=1"}, "dev"}, unknown);
    CHECK_THAT(unknown.errors.at(0), Catch::Contains("--var zzz"));
}

TEST_CASE("task paths: anchored at their file, local ones recognised", "[bundle]") {
    CHECK(is_local_path("./src/a.py"));
    CHECK(is_local_path("src/a.py"));
    CHECK_FALSE(is_local_path("/Workspace/a.py"));
    CHECK_FALSE(is_local_path("dbfs:/a.py"));
    CHECK_FALSE(is_local_path("${workspace.file_path}/a.py"));
    auto document = Json::parse(R"({"resources": {"jobs": {"j": {"tasks": [
        {"task_key": "a", "spark_python_task": {"python_file": "../src/a.py"}},
        {"task_key": "b", "notebook_task": {"notebook_path": "/Shared/n"}},
        {"task_key": "c", "notebook_task": {"notebook_path": "./n.py", "source": "GIT"}}]}}}})");
    anchor_task_paths(document, "resources");
    const auto& tasks = document["resources"]["jobs"]["j"]["tasks"];
    CHECK(tasks[0]["spark_python_task"]["python_file"] == "src/a.py");
    CHECK(tasks[1]["notebook_task"]["notebook_path"] == "/Shared/n");
    CHECK(tasks[2]["notebook_task"]["notebook_path"] == "./n.py");
}

TEST_CASE("notebooks are told from files by their header", "[bundle]") {
    test::TempDir dir;
    std::filesystem::create_directories(dir.path);
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir.path / name) << text;
        return dir.path / name;
    };
    CHECK(classify_file(write("nb.py", "# Databricks notebook source\nprint(1)\n")) == FileKind::Notebook);
    CHECK(classify_file(write("script.py", "print(1)\n")) == FileKind::File);
    CHECK(classify_file(write("q.sql", "-- Databricks notebook source\nSELECT 1\n")) == FileKind::Notebook);
    CHECK(classify_file(write("x.ipynb", "{}")) == FileKind::Notebook);
    CHECK(workspace_name_for("src/nb.py", FileKind::Notebook) == "src/nb");
    CHECK(workspace_name_for("src/script.py", FileKind::File) == "src/script.py");
    CHECK(text_fingerprint("a") != text_fingerprint("b"));
}
