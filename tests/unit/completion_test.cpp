// Completion: how a partial command line is read against a CLI11 tree (built here, so the
// rules are pinned down apart from brix's own commands), and how the live lookups turn list
// answers into candidates (against a scripted Api).
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <functional>

#include "cli/completion/completion.hpp"
#include "cli/completion/live.hpp"
#include "cli/completion/walk.hpp"
#include "cli/context.hpp"
#include "tests/unit/scripted_api.hpp"

using namespace brix;
using namespace brix::cli;
using api::Json;

namespace {

// root [-p PROFILE] [-o text|json] [-q]
//   workspace (alias ws): import [--file F] [-l LANG] [-r] PATHS{1,2}; import-dir (alias import_dir) SOURCE TARGET
//   jobs: get [JOB_ID] [--job-id ID]
//   hidden (group "")
struct Tree {
    CLI::App root{"test", "brix"};
    std::string profile, output, file, language, source, target, job_positional, job_flag;
    std::vector<std::string> paths;
    bool quiet = false, recursive = false;

    Tree() {
        root.fallthrough();
        root.add_option("-p,--profile", profile, "Profile");
        root.add_option("-o,--output", output, "Output")->check(CLI::IsMember({"text", "json"}));
        root.add_flag("-q,--quiet", quiet, "Quiet");
        auto* workspace = root.add_subcommand("workspace", "Workspace");
        workspace->alias("ws");
        auto* import = workspace->add_subcommand("import", "Import");
        import->add_option("--file", file, "Local file");
        import->add_option("-l,--language", language, "Language")->transform(CLI::IsMember({"PYTHON", "SQL"}, CLI::ignore_case));
        import->add_flag("-r,--recursive", recursive, "Recursive");
        import->add_option("paths", paths, "SOURCE TARGET")->expected(1, 2);
        auto* import_dir = workspace->add_subcommand("import-dir", "Import a folder");
        import_dir->alias("import_dir");
        import_dir->add_option("source", source, "Local");
        import_dir->add_option("target", target, "Workspace");
        auto* jobs = root.add_subcommand("jobs", "Jobs");
        auto* get = jobs->add_subcommand("get", "Get a job");
        get->add_option("JOB_ID", job_positional, "Job");
        get->add_option("--job-id", job_flag, "Job (legacy)");
        root.add_subcommand("hidden", "Not shown")->group("");
    }

    std::vector<std::string> values(const std::vector<std::string>& words) {
        Context context;
        std::vector<std::string> out;
        for (const auto& candidate : completion::complete_command_line(root, context, words)) out.push_back(candidate.value);
        return out;
    }
};

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("completion: command names, aliases only where they add something, hidden commands never") {
    Tree tree;
    CHECK(tree.values({""}) == Strings{"workspace", "jobs", "ws"});
    CHECK(tree.values({}) == Strings{"workspace", "jobs", "ws"});
    CHECK(tree.values({"w"}) == Strings{"workspace", "ws"});
    CHECK(tree.values({"workspace", "im"}) == Strings{"import", "import-dir"});
    CHECK(tree.values({"workspace", "import_"}) == Strings{"import_dir"});
    CHECK(tree.values({"ws", "import-"}) == Strings{"import-dir"});
    CHECK(tree.values({"h"}).empty());
}

TEST_CASE("completion: flags of the command and the global ones, short names once asked for") {
    Tree tree;
    CHECK(tree.values({"workspace", "import", "--"}) == Strings{"--help", "--file", "--language", "--recursive", "--profile", "--output", "--quiet"});
    CHECK(tree.values({"workspace", "import", "-"}) ==
          Strings{"--help", "-h", "--file", "--language", "-l", "--recursive", "-r", "--profile", "-p", "--output", "-o", "--quiet", "-q"});
    CHECK(tree.values({"workspace", "import", "-r", "--r"}).empty());  // given already
    CHECK(tree.values({"-q", "jobs", "get", "--q"}).empty());
    CHECK(tree.values({"jobs", "get", "--pro"}) == Strings{"--profile"});
}

TEST_CASE("completion: option values, separate, attached with '=' or to a short name") {
    Tree tree;
    CHECK(tree.values({"-o", ""}) == Strings{"text", "json"});
    CHECK(tree.values({"--output=j"}) == Strings{"--output=json"});
    CHECK(tree.values({"--output", "t"}) == Strings{"text"});
    CHECK(tree.values({"workspace", "import", "-l", "py"}) == Strings{"PYTHON"});  // choices ignore case
    CHECK(tree.values({"workspace", "import", "-rl", ""}) == Strings{"PYTHON", "SQL"});
    // `-o json` reaches __complete as `--output=json`: both spellings, the scripts pick one.
    CHECK(tree.values({"workspace", "--output=json"}) == Strings{"json", "--output=json"});
}

TEST_CASE("completion: where the cursor is") {
    Tree tree;
    SECTION("values of the option read last, then the words after it") {
        auto point = completion::locate_completion(tree.root, {"-p", "dev", "jobs", "get", "--job-id", ""});
        REQUIRE(point.option);
        CHECK(point.option->get_single_name() == "job-id");
        CHECK(point.command_path == Strings{"jobs", "get"});
        CHECK(point.given_value("--profile") == "dev");
        CHECK_FALSE(point.flags);
    }
    SECTION("positionals fill in order; a positional that takes two values counts them") {
        auto first = completion::locate_completion(tree.root, {"workspace", "import", "-l", "SQL", ""});
        REQUIRE(first.option);
        CHECK(first.option->get_single_name() == "paths");
        CHECK(first.value_index == 0);
        auto second = completion::locate_completion(tree.root, {"workspace", "import", "a.sql", "-r", "/Shared/"});
        REQUIRE(second.option);
        CHECK(second.value_index == 1);
        CHECK(second.word == "/Shared/");
        auto target = completion::locate_completion(tree.root, {"workspace", "import_dir", "./src", ""});
        REQUIRE(target.option);
        CHECK(target.option->get_single_name() == "target");
        CHECK(target.command_path == Strings{"workspace", "import-dir"});
    }
    SECTION("after --, everything is a positional") {
        auto point = completion::locate_completion(tree.root, {"jobs", "get", "--", "-"});
        REQUIRE(point.option);
        CHECK(point.option->get_single_name() == "JOB_ID");
        CHECK_FALSE(point.flags);
        CHECK_FALSE(point.subcommands);
    }
    SECTION("a verb with nothing left to fill offers its flags") {
        auto point = completion::locate_completion(tree.root, {"workspace", "import-dir", "a", "b", ""});
        CHECK_FALSE(point.option);
        CHECK(point.flags);
    }
    SECTION("an unknown flag is skipped, not fatal") {
        auto point = completion::locate_completion(tree.root, {"jobs", "--nope", "g"});
        CHECK(point.subcommands);
        CHECK(tree.values({"jobs", "--nope", "g"}) == Strings{"get"});
    }
}

TEST_CASE("completion: workspace and DBFS paths from list answers") {
    testing::ScriptedApi api;
    api.handler = [](const api::Request& request) -> Json {
        if (request.path == "/api/2.0/workspace/list")
            return {{"objects",
                     {{{"path", "/Shared/demo"}, {"object_type", "DIRECTORY"}},
                      {{"path", "/Shared/etl"}, {"object_type", "NOTEBOOK"}, {"language", "PYTHON"}},
                      {{"path", "/Shared/data.csv"}, {"object_type", "FILE"}}}}};
        return {{"files", {{{"path", "/landing/2026"}, {"is_dir", true}}, {{"path", "/landing/a.csv"}, {"is_dir", false}, {"file_size", 6}}}}};
    };
    auto paths = completion::workspace_paths(api, "/Workspace/Shared/d");
    REQUIRE(paths.size() == 2);
    CHECK(paths[0].value == "/Workspace/Shared/data.csv");  // the prefix as typed, the names as listed
    CHECK(paths[1].value == "/Workspace/Shared/demo/");
    CHECK(paths[1].description == "folder");
    CHECK(api.requests.back().param("path") == "/Workspace/Shared");
    CHECK(completion::workspace_paths(api, "relative").empty());
    completion::workspace_paths(api, "");
    CHECK(api.requests.back().param("path") == "/");

    auto files = completion::dbfs_paths(api, "dbfs:/landing/");
    REQUIRE(files.size() == 2);
    CHECK(files[0].value == "dbfs:/landing/2026/");
    CHECK(files[1].value == "dbfs:/landing/a.csv");
    CHECK(files[1].description == "6 bytes");
    CHECK(api.requests.back().param("path") == "/landing");
}

TEST_CASE("completion: job and run ids with their names, a few pages at most") {
    testing::ScriptedApi api;
    int pages = 0;
    api.handler = [&pages](const api::Request& request) -> Json {
        ++pages;
        if (request.path == "/api/2.1/jobs/list")
            return {{"jobs", {{{"job_id", 100 + pages}, {"settings", {{"name", "job " + std::to_string(pages)}}}}}},
                    {"has_more", true},
                    {"next_page_token", "p" + std::to_string(pages)}};
        return {{"runs", {{{"run_id", 7}, {"run_name", "nightly"}, {"state", {{"life_cycle_state", "RUNNING"}}}}}}};
    };
    auto jobs = completion::job_ids(api, "10");
    CHECK(jobs.size() == 5);  // a workspace with thousands of jobs still answers a TAB quickly
    CHECK(jobs[0].value == "101");
    CHECK(jobs[0].description == "job 1");
    CHECK(api.requests[1].param("page_token") == "p1");
    CHECK(completion::job_ids(api, "9").empty());

    auto runs = completion::run_ids(api, "", "101");
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].value == "7");
    CHECK(runs[0].description == "nightly RUNNING");
    CHECK(api.requests.back().param("job_id") == "101");
}
