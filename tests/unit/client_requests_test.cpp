// What the remote client puts on the wire besides the request itself: the User-Agent, and whether
// a request whose answer was lost may be sent again (client/user_agent.hpp, client/resend_policy.hpp).
#include <catch2/catch.hpp>

#include <map>

#include "client/http_api.hpp"
#include "client/resend_policy.hpp"
#include "client/user_agent.hpp"

using namespace brix;
using api::Json;
using api::Method;
using client::Delivery;

namespace {

client::EnvironmentLookup fake_environment(std::map<std::string, std::string> variables) {
    return [variables](const std::string& name) -> std::optional<std::string> {
        auto found = variables.find(name);
        return found == variables.end() ? std::nullopt : std::optional(found->second);
    };
}

client::HttpConfig pat_config(const std::string& command) {
    client::HttpConfig config;
    config.token = "dapi-x";
    config.command = command;
    return config;
}

api::Request post(const std::string& path, Json body = Json::object()) { return {Method::Post, path, {}, std::move(body)}; }

}  // namespace

TEST_CASE("the User-Agent has the SDKs' key/value parts: product, os, auth, command") {
    auto none = fake_environment({});
    CHECK(client::user_agent("0.1.0", "Linux", pat_config("jobs_create"), none) == "brix/0.1.0 os/linux auth/pat cmd/jobs_create");

    client::HttpConfig m2m;
    m2m.client_id = "sp";
    m2m.client_secret = "s";
    m2m.command = "fs_cp";
    CHECK(client::user_agent("0.1.0", "Linux", m2m, none) == "brix/0.1.0 os/linux auth/oauth-m2m cmd/fs_cp");

    client::HttpConfig basic;
    basic.username = "u";
    basic.password = "p";
    CHECK(client::user_agent("0.1.0", "Linux", basic, none) == "brix/0.1.0 os/linux auth/basic");
    CHECK(client::user_agent("0.1.0", "Linux", client::HttpConfig{}, none) == "brix/0.1.0 os/linux");
}

TEST_CASE("the User-Agent names the upstream tool and the CI system, in token characters only") {
    auto github = fake_environment({{"GITHUB_ACTIONS", "true"}, {"DATABRICKS_SDK_UPSTREAM", "my tool"},
                                    {"DATABRICKS_SDK_UPSTREAM_VERSION", "1.2"}});
    CHECK(client::user_agent("0.1.0", "Linux", pat_config("secrets_list-scopes"), github) ==
          "brix/0.1.0 os/linux auth/pat cmd/secrets_list-scopes upstream/my-tool upstream-version/1.2 cicd/github");
    CHECK(client::cicd_provider(fake_environment({{"GITHUB_ACTIONS", "false"}})).empty());
    CHECK(client::cicd_provider(fake_environment({{"TF_BUILD", "True"}})) == "azure-devops");
    CHECK(client::cicd_provider(fake_environment({{"JENKINS_URL", "http://ci"}})) == "jenkins");
    // google-cloud-build needs all four of its variables
    CHECK(client::cicd_provider(fake_environment({{"PROJECT_ID", "p"}, {"BUILD_ID", "b"}})).empty());
    CHECK(client::user_agent("0.1.0", "Linux", pat_config("a b/c"), fake_environment({})) == "brix/0.1.0 os/linux auth/pat cmd/a-b-c");
}

TEST_CASE("requests that never reached the server, or that it turned away, are always resent") {
    for (auto delivery : {Delivery::NotSent, Delivery::TurnedAway}) {
        CHECK(client::may_resend(post("/api/2.2/jobs/create", {{"name", "x"}}), delivery));
        CHECK(client::may_resend(post("/api/2.0/token/create"), delivery));
        CHECK(client::may_resend({Method::Delete, "/api/2.0/repos/4", {}, nullptr}, delivery));
    }
}

TEST_CASE("after a lost answer only requests that do no harm twice are resent") {
    auto lost = Delivery::MaybeProcessed;
    // creations: a second job, token, cluster, scope or repo
    for (auto* path : {"/api/2.2/jobs/create", "/api/2.1/jobs/create", "/api/2.0/token/create", "/api/2.1/clusters/create",
                       "/api/2.0/secrets/scopes/create", "/api/2.0/repos", "/api/2.0/dbfs/create", "/api/2.0/dbfs/add-block"})
        CHECK_FALSE(client::may_resend(post(path), lost));
    // a second delete or import would report a false failure
    CHECK_FALSE(client::may_resend(post("/api/2.2/jobs/delete", {{"job_id", 3}}), lost));
    CHECK_FALSE(client::may_resend({Method::Delete, "/api/2.0/repos/4", {}, nullptr}, lost));
    CHECK_FALSE(client::may_resend(post("/api/2.0/workspace/import", {{"path", "/a"}}), lost));
    CHECK(client::may_resend(post("/api/2.0/workspace/import", {{"path", "/a"}, {"overwrite", true}}), lost));
    // reads, state-setting writes, and runs carrying their idempotency token
    CHECK(client::may_resend({Method::Get, "/api/2.0/workspace/list", {{"path", "/"}}, nullptr}, lost));
    CHECK(client::may_resend({Method::Head, "/api/2.0/fs/files/Volumes/a/b/c/f", {}, nullptr}, lost));
    CHECK(client::may_resend({Method::Put, "/api/2.0/fs/directories/Volumes/a/b/c/d", {}, nullptr}, lost));
    CHECK(client::may_resend({Method::Patch, "/api/2.0/repos/4", {}, {{"branch", "main"}}}, lost));
    for (auto* path : {"/api/2.0/workspace/mkdirs", "/api/2.2/jobs/reset", "/api/2.1/clusters/edit", "/api/2.0/secrets/put"})
        CHECK(client::may_resend(post(path), lost));
    CHECK(client::may_resend(post("/api/2.2/jobs/run-now", {{"job_id", 1}, {"idempotency_token", "t"}}), lost));
    CHECK(client::may_resend(post("/api/2.2/jobs/runs/submit", {{"tasks", Json::array()}, {"idempotency_token", "t"}}), lost));
    CHECK_FALSE(client::may_resend(post("/api/2.2/jobs/run-now", {{"job_id", 1}}), lost));
}

TEST_CASE("a lost answer names the command that shows whether the request took effect") {
    const std::string lost = "the connection was lost after the request was sent; it may have been applied — check with ";
    CHECK(client::lost_answer_message(post("/api/2.2/jobs/create", {{"name", "nightly-etl"}})) == lost + "brix jobs list --name nightly-etl");
    CHECK(client::lost_answer_message(post("/api/2.2/jobs/create", {{"name", "it's late"}})) ==
          lost + "brix jobs list --name 'it'\\''s late'");
    CHECK(client::lost_answer_message(post("/api/2.0/token/create", {{"comment", "ci"}})) == lost + "brix tokens list");
    CHECK(client::lost_answer_message(post("/api/2.1/clusters/create")) == lost + "brix clusters list");
    CHECK(client::lost_answer_message(post("/api/2.0/secrets/scopes/create", {{"scope", "s"}})) == lost + "brix secrets list-scopes");
    CHECK(client::lost_answer_message(post("/api/2.0/repos", {{"url", "u"}})) == lost + "brix repos list");
    CHECK(client::lost_answer_message({Method::Delete, "/api/2.0/repos/42", {}, nullptr}) == lost + "brix repos get 42");
    CHECK(client::lost_answer_message(post("/api/2.2/jobs/delete", {{"job_id", 5}})) == lost + "brix jobs get 5");
    CHECK(client::lost_answer_message(post("/api/2.0/workspace/import", {{"path", "/Shared/a.py"}})) ==
          lost + "brix workspace get-status /Shared/a.py");
    CHECK(client::lost_answer_message(post("/api/2.0/dbfs/create", {{"path", "/tmp/x"}})) == lost + "brix fs ls dbfs:/tmp/x");
    CHECK(client::lost_answer_message(post("/api/2.0/unknown/thing")) == lost + "the matching get or list command");
}
