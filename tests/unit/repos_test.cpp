// Repos, git_source and clusters: the pure rules (provider detection, URL and path checks, git
// error mapping, what a cluster spec means here) and the engine's repos API on a real bare git
// repository made in a temporary folder.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "commands/repos/repo_arguments.hpp"
#include "engine/clusters/environment.hpp"
#include "engine/local_api.hpp"
#include "engine/repos/git.hpp"
#include "engine/repos/git_source.hpp"
#include "engine/repos/service.hpp"
#include "tests/unit/test_support.hpp"

using namespace brix;
using api::Json;
using api::Method;
namespace fs = std::filesystem;

namespace {

using test::error_of;
using test::TempDir;

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// Runs git for the fixtures; the code under test runs it through engine::git.
void git_ok(const std::vector<std::string>& args, const fs::path& dir) {
    auto result = engine::repos::git::run(args, dir);
    INFO("git " << args.front() << ": " << result.err);
    REQUIRE(result.exit_code == 0);
}

// A bare repository with one commit on main: a notebook, a plain file and an .ipynb notebook.
struct Origin {
    TempDir dir;
    fs::path bare = dir.path / "origin.git";
    fs::path work = dir.path / "work";
    Origin() {
        ::setenv("GIT_AUTHOR_NAME", "brix", 1);
        ::setenv("GIT_AUTHOR_EMAIL", "brix@example.com", 1);
        ::setenv("GIT_COMMITTER_NAME", "brix", 1);
        ::setenv("GIT_COMMITTER_EMAIL", "brix@example.com", 1);
        git_ok({"init", "-q", "--bare", "-b", "main", bare.string()}, dir.path);
        git_ok({"init", "-q", "-b", "main", work.string()}, dir.path);
        write(work / "etl" / "job.py", "# Databricks notebook source\nprint('v1')\n");
        write(work / "etl" / "job", "a file already named like the notebook\n");
        write(work / "lib" / "util.py", "X = 1\n");
        commit("v1");
    }
    void commit(const std::string& message, const std::string& branch = "main") {
        git_ok({"add", "-A"}, work);
        git_ok({"commit", "-q", "-m", message}, work);
        git_ok({"push", "-q", bare.string(), "HEAD:refs/heads/" + branch}, work);
    }
    std::string head(const std::string& ref = "main") { return *engine::repos::git::resolve_commit(bare, ref); }
};

}  // namespace

TEST_CASE("the Git provider is found from the URL host, as both CLIs do") {
    using commands::repos::detect_provider;
    CHECK(detect_provider("https://github.com/acme/etl.git") == "gitHub");
    CHECK(detect_provider("https://user:tok@GitHub.com/acme/etl") == "gitHub");
    CHECK(detect_provider("git@github.com:acme/etl.git") == "gitHub");
    CHECK(detect_provider("ssh://git@gitlab.com:22/acme/etl.git") == "gitLab");
    CHECK(detect_provider("https://bitbucket.org/acme/etl.git") == "bitbucketCloud");
    CHECK(detect_provider("https://acme@dev.azure.com/acme/proj/_git/etl") == "azureDevOpsServices");
    CHECK(detect_provider("https://acme.visualstudio.com/proj/_git/etl") == "azureDevOpsServices");
    CHECK(detect_provider("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/etl") == "awsCodeCommit");
    CHECK_FALSE(detect_provider("https://git.example.com/acme/etl.git"));
    CHECK_FALSE(detect_provider("file:///srv/git/etl.git"));
    CHECK_FALSE(detect_provider("/srv/git/etl.git"));
    CHECK(commands::repos::url_host("https://[::1]:8443/x.git") == "::1");
}

TEST_CASE("repos create bodies: local paths made absolute, provider detected or required") {
    using commands::repos::create_body;
    auto body = create_body("https://github.com/acme/etl.git", std::nullopt, std::string("/Repos/me/etl"));
    CHECK(body == Json{{"url", "https://github.com/acme/etl.git"}, {"provider", "gitHub"}, {"path", "/Repos/me/etl"}});
    CHECK(create_body("https://git.example.com/x.git", std::string("gitLabEnterpriseEdition"), std::nullopt)["provider"] ==
          "gitLabEnterpriseEdition");
    CHECK_THROWS_WITH(create_body("https://git.example.com/x.git", std::string("  "), std::nullopt),
                      Catch::Contains("could not detect the Git provider"));
    auto local = create_body("some/repo.git/", std::string("gitHub"), std::nullopt);
    CHECK(local["url"] == (fs::current_path() / "some/repo.git").string());
    // a local repository has no provider to detect, and Databricks requires one
    CHECK_THROWS_WITH(create_body("file:///srv/x.git", std::nullopt, std::nullopt), Catch::Contains("could not detect the Git provider"));
    CHECK(commands::repos::parse_repo_id("1000000123") == 1000000123);
    CHECK_FALSE(commands::repos::parse_repo_id("/Repos/me/etl"));
    CHECK_FALSE(commands::repos::parse_repo_id("12a"));
}

TEST_CASE("git URLs, names and errors") {
    namespace git = engine::repos::git;
    CHECK(git::is_local_url("/srv/git/x.git"));
    CHECK(git::is_local_url("file:///srv/git/x.git"));
    CHECK(git::is_local_url("./x:y"));
    CHECK_FALSE(git::is_local_url("git@github.com:acme/x.git"));
    CHECK_FALSE(git::is_local_url("https://github.com/acme/x.git"));
    CHECK(git::repo_name_from_url("https://github.com/acme/my-repo.git") == "my-repo");
    CHECK(git::repo_name_from_url("git@github.com:acme/tools") == "tools");
    CHECK(git::repo_name_from_url("/srv/git/etl/") == "etl");
    CHECK(git::redact_url("https://me:secret@github.com/a/b.git") == "https://me:***@github.com/a/b.git");
    CHECK(git::redact_url("https://github.com/a/b@c") == "https://github.com/a/b@c");
    CHECK(error_of([] { git::check_url("ext::sh -c touch% /tmp/pwned"); }).error_code() == "GIT_URL_NOT_ON_ALLOW_LIST");
    CHECK(error_of([] { git::check_url("--upload-pack=evil"); }).error_code() == "INVALID_PARAMETER_VALUE");
    CHECK_NOTHROW(git::check_url("https://github.com/acme/x.git"));

    git::Result unknown{128, "", "fatal: Remote branch nope not found in upstream origin\n"};
    auto error = git::error_from("Cannot clone x", unknown);
    CHECK(error.error_code() == "GIT_UNKNOWN_REF");
    CHECK(error.message() == "Cannot clone x: Remote branch nope not found in upstream origin");
    git::Result auth{128, "", "fatal: could not read Username for 'https://github.com': terminal prompts disabled\n"};
    CHECK(git::error_from("Cannot fetch", auth).message().find("credential helper") != std::string::npos);
    git::Result other{1, "", "hint: try this\nfatal: something odd\n"};
    CHECK(git::error_from("Cannot fetch", other).error_code() == "GIT_REMOTE_ERROR");
    CHECK(git::error_from("Cannot fetch", other).message() == "Cannot fetch: something odd");
}

TEST_CASE("repo paths, providers and git_source settings are checked") {
    CHECK(engine::repos::checked_repo_path("/Workspace/Repos/me/etl/") == "/Repos/me/etl");
    CHECK(error_of([] { engine::repos::checked_repo_path("/Shared/etl"); }).message().find("/Repos/{folder}/{repo}") != std::string::npos);
    CHECK_THROWS(engine::repos::checked_repo_path("/Repos/me"));
    CHECK_THROWS(engine::repos::checked_repo_path("/Repos/me/etl/sub"));
    CHECK(engine::repos::canonical_provider("GITHUB") == "gitHub");
    CHECK_FALSE(engine::repos::canonical_provider("svn"));

    using engine::repos::check_git_source;
    CHECK_NOTHROW(check_git_source(Json{{"git_url", "https://github.com/a/b"}, {"git_provider", "github"}, {"git_tag", "v1"}}));
    CHECK_THROWS_WITH(check_git_source(Json{{"git_url", "https://github.com/a/b"}}), Catch::Contains("git_provider is required"));
    CHECK_THROWS_WITH(check_git_source(Json{{"git_url", "u"}, {"git_provider", "gitHub"}, {"git_branch", "a"}, {"git_commit", "abc1"}}),
                      Catch::Contains("only one of"));
    CHECK_THROWS_WITH(check_git_source(Json{{"git_url", "u"}, {"git_provider", "gitHub"}, {"git_commit", "main"}}),
                      Catch::Contains("commit hash"));
    CHECK(engine::repos::join_git_path("notebooks/etl.py", "./helper") == "notebooks/helper");
    CHECK(engine::repos::join_git_path("notebooks/etl.py", "../lib/x") == "lib/x");
    CHECK_THROWS(engine::repos::join_git_path("etl.py", "../../outside"));
}

TEST_CASE("a cluster spec is an environment: interpreter, variables, local[N], spark_conf") {
    using engine::clusters::environment_of;
    Json spec{{"spark_version", "15.4.x-scala2.12"},
              {"num_workers", 3},
              {"spark_env_vars", {{"GREETING", "hi"}, {"PYSPARK_PYTHON", "/databricks/python3/bin/python3"}}},
              {"spark_conf", {{"spark.sql.shuffle.partitions", "7"}, {"spark.x", "it's"}}}};
    auto environment = environment_of(spec, "0101-000000-abcdefgh", "sh", 8);
    CHECK(environment.problem.empty());
    CHECK(environment.python == "sh");  // the Databricks runtime's interpreter is ignored
    CHECK(environment.parallelism == 3);
    CHECK(environment.env.at("GREETING") == "hi");
    CHECK_FALSE(environment.env.count("PYSPARK_PYTHON"));
    CHECK(environment.env.at("BRIX_CLUSTER_ID") == "0101-000000-abcdefgh");
    CHECK(environment.env.at("PYSPARK_SUBMIT_ARGS").find("--conf 'spark.x=it'\"'\"'s'") != std::string::npos);
    CHECK(environment.spark_submit_conf.at(1) == "spark.sql.shuffle.partitions=7");

    CHECK(environment_of(Json{{"spark_version", "x"}, {"num_workers", 0}}, "", "sh", 8).parallelism == 8);
    CHECK(environment_of(Json{{"spark_version", "x"}, {"autoscale", {{"min_workers", 1}, {"max_workers", 6}}}}, "", "sh", 8).parallelism == 6);
    auto missing = environment_of(Json{{"spark_env_vars", {{"PYSPARK_PYTHON", "/nowhere/python"}}}}, "", "sh", 1);
    CHECK(missing.problem.find("not an executable") != std::string::npos);
}

TEST_CASE("repos on the local engine: a real clone mirrored into the workspace, updated by branch and tag") {
    Origin origin;
    TempDir root;
    engine::LocalApi api(root.path / "root");

    auto created = api.call(Method::Post, "/api/2.0/repos", {},
                            {{"url", "file://" + origin.bare.string()}, {"provider", "GitHub"}, {"path", "/Repos/me/etl"}});
    CHECK(created["provider"] == "gitHub");
    CHECK(created["branch"] == "main");
    CHECK(created["head_commit_id"] == origin.head());
    auto id = created["id"].get<std::int64_t>();

    // The notebook loses its extension unless a file already has that name; plain files stay files.
    auto status = api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me/etl/etl/job.py"}});
    CHECK(status["object_type"] == "FILE");
    CHECK(api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me/etl/etl/job"}})["object_type"] == "FILE");
    CHECK(api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me/etl"}})["object_id"] == id);
    // The repo's folder is a REPO object, in get-status and in its parent's listing; /Repos/me stays a folder.
    CHECK(api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me/etl"}})["object_type"] == "REPO");
    CHECK(api.call(Method::Get, "/api/2.0/workspace/list", {{"path", "/Repos/me"}})["objects"] ==
          Json::array({{{"object_type", "REPO"}, {"path", "/Repos/me/etl"}, {"object_id", id}, {"resource_id", std::to_string(id)}}}));
    CHECK(api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me"}})["object_type"] == "DIRECTORY");
    CHECK(api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me/etl/lib/util.py"}})["object_type"] == "FILE");

    fs::remove(origin.work / "etl" / "job");
    write(origin.work / "nb" / "main.py", "# Databricks notebook source\nprint('v2')\n");
    origin.commit("v2", "dev");
    api.call(Method::Patch, "/api/2.0/repos/" + std::to_string(id), {}, {{"branch", "dev"}});
    auto updated = api.call(Method::Get, "/api/2.0/repos/" + std::to_string(id));
    CHECK(updated["branch"] == "dev");
    CHECK(updated["head_commit_id"] == origin.head("dev"));
    CHECK(api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me/etl/etl/job"}})["object_type"] == "NOTEBOOK");
    CHECK(api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me/etl/nb/main"}})["language"] == "PYTHON");

    auto unknown = error_of([&] { api.call(Method::Patch, "/api/2.0/repos/" + std::to_string(id), {}, {{"tag", "v9"}}); });
    CHECK(unknown.error_code() == "GIT_UNKNOWN_REF");
    CHECK(error_of([&] { api.call(Method::Patch, "/api/2.0/repos/" + std::to_string(id), {}, {{"branch", "a"}, {"tag", "b"}}); })
              .error_code() == "INVALID_PARAMETER_VALUE");
    CHECK(error_of([&] { api.call(Method::Patch, "/api/2.0/repos/" + std::to_string(id), {}, {{"branch", "-f"}}); })
              .error_code() == "INVALID_PARAMETER_VALUE");

    auto listed = api.call(Method::Get, "/api/2.0/repos", {{"path_prefix", "/Workspace/Repos/me"}});
    REQUIRE(listed["repos"].size() == 1);
    CHECK(api.call(Method::Get, "/api/2.0/repos", {{"path_prefix", "/Repos/you"}}) == Json::object());
    engine::store::EngineRoot view(root.path / "root");
    CHECK(engine::repos::is_repo_folder(view, "/Repos/me/etl", id));
    CHECK_FALSE(engine::repos::is_repo_folder(view, "/Repos/me", id));
    CHECK(engine::repos::repo_root_on_disk(view, "/Repos/me/etl/nb/main") == root.path / "root" / "workspace" / "Repos/me/etl");
    CHECK_FALSE(engine::repos::repo_root_on_disk(view, "/Shared/x"));

    api.call(Method::Delete, "/api/2.0/repos/" + std::to_string(id), {}, Json::object());
    CHECK(error_of([&] { api.call(Method::Get, "/api/2.0/repos/" + std::to_string(id)); }).http_status() == 404);
    CHECK(error_of([&] { api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Repos/me/etl"}}); }).http_status() == 404);
    CHECK_FALSE(fs::exists(root.path / "root" / "repos" / std::to_string(id)));
}

TEST_CASE("git_source: the mirror serves a pinned tag while the branch moves on") {
    Origin origin;
    git_ok({"tag", "v1"}, origin.work);
    git_ok({"push", "-q", origin.bare.string(), "v1"}, origin.work);
    auto tagged = origin.head();
    write(origin.work / "etl" / "job.py", "# Databricks notebook source\nprint('v2')\n");
    origin.commit("v2");

    TempDir root;
    engine::store::EngineRoot engine_root(root.path / "root");
    Json source{{"git_url", origin.bare.string()}, {"git_provider", "gitHub"}, {"git_tag", "v1"}};
    auto checkout = engine::repos::checkout_git_source(engine_root, source, root.path / "run1", 1001);
    CHECK(checkout.commit == tagged);
    CHECK(engine::repos::used_commit(engine_root, 1001) == tagged);
    auto notebook = engine::repos::find_git_code(checkout, "etl/job", engine::repos::CodeKind::Notebook);
    REQUIRE(notebook);
    CHECK(notebook->relative_path == "etl/job.py");
    CHECK(notebook->source.find("v1") != std::string::npos);
    CHECK_FALSE(engine::repos::find_git_code(checkout, "etl/none", engine::repos::CodeKind::File));
    CHECK_THROWS(engine::repos::find_git_code(checkout, "/etl/job.py", engine::repos::CodeKind::File));

    source.erase("git_tag");
    source["git_branch"] = "main";
    auto latest = engine::repos::checkout_git_source(engine_root, source, root.path / "run2", 1002);
    CHECK(latest.commit == origin.head());
    source["git_branch"] = "nope";
    CHECK(error_of([&] { engine::repos::checkout_git_source(engine_root, source, root.path / "run3", 1003); }).error_code() ==
          "GIT_UNKNOWN_REF");
}
