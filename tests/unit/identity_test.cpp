// SCIM principals (Users, Groups, ServicePrincipals, Me), object permissions and cluster libraries
// on the local engine, through the REST routes.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <cstdlib>

#include "engine/local_api.hpp"

using namespace brix;
using api::Json;
using api::Method;
using test::error_of;

namespace {

const std::string kScim = "/api/2.0/preview/scim/v2";

std::string me(engine::LocalApi& api) { return api.call(Method::Get, kScim + "/Me")["userName"]; }

}  // namespace

TEST_CASE("SCIM users: Me is a user, create, filter, patch, delete") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    auto self = api.call(Method::Get, kScim + "/Me");
    CHECK(self["schemas"][0] == "urn:ietf:params:scim:schemas:core:2.0:User");
    auto user = self["userName"].get<std::string>();
    // Me is the same user the Users list has, in the admins group
    auto listed = api.call(Method::Get, kScim + "/Users", {{"filter", "userName eq \"" + user + "\""}});
    CHECK(listed["totalResults"] == 1);
    CHECK(listed["Resources"][0]["id"] == self["id"]);
    CHECK(self["groups"][0]["display"] == "admins");

    auto ana = api.call(Method::Post, kScim + "/Users", {}, {{"userName", "ana@example.com"}, {"displayName", "Ana"}});
    CHECK(ana["active"] == true);
    auto dup = error_of([&] { api.call(Method::Post, kScim + "/Users", {}, {{"userName", "ANA@example.com"}}); });
    CHECK(dup.http_status() == 409);
    auto found = api.call(Method::Get, kScim + "/Users", {{"filter", "userName eq 'ana@example.com'"}, {"attributes", "userName"}});
    REQUIRE(found["totalResults"] == 1);
    CHECK(found["Resources"][0] == Json{{"id", ana["id"]}, {"userName", "ana@example.com"}});
    CHECK(api.call(Method::Get, kScim + "/Users", {{"filter", "displayName co \"an\" and active eq \"true\""}})["totalResults"] == 1);
    CHECK(error_of([&] { api.call(Method::Get, kScim + "/Users", {{"filter", "userName gt \"a\""}}); }).error_code() ==
          "INVALID_PARAMETER_VALUE");
    auto paged = api.call(Method::Get, kScim + "/Users", {{"startIndex", "2"}, {"count", "1"}});
    CHECK(paged["totalResults"] == 2);
    CHECK(paged["itemsPerPage"] == 1);

    auto id = ana["id"].get<std::string>();
    api.call(Method::Patch, kScim + "/Users/" + id, {},
             {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
              {"Operations", {{{"op", "Replace"}, {"path", "active"}, {"value", false}}}}});
    CHECK(api.call(Method::Get, kScim + "/Users/" + id)["active"] == false);
    api.call(Method::Delete, kScim + "/Users/" + id);
    CHECK(error_of([&] { api.call(Method::Get, kScim + "/Users/" + id); }).http_status() == 404);
}

TEST_CASE("SCIM groups hold members; service principals get an applicationId") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    auto bob = api.call(Method::Post, kScim + "/Users", {}, {{"userName", "bob@example.com"}});
    auto sp = api.call(Method::Post, kScim + "/ServicePrincipals", {}, {{"displayName", "ci"}});
    CHECK(sp["applicationId"].get<std::string>().size() == 36);
    auto team = api.call(Method::Post, kScim + "/Groups", {}, {{"displayName", "data-team"}, {"members", {{{"value", bob["id"]}}}}});
    REQUIRE(team["members"].size() == 1);
    CHECK(team["members"][0]["display"] == "bob@example.com");
    auto gid = team["id"].get<std::string>();
    api.call(Method::Patch, kScim + "/Groups/" + gid, {},
             {{"Operations", {{{"op", "add"}, {"path", "members"}, {"value", {{{"value", sp["id"]}}}}}}}});
    CHECK(api.call(Method::Get, kScim + "/Groups/" + gid)["members"].size() == 2);
    CHECK(api.call(Method::Get, kScim + "/ServicePrincipals/" + sp["id"].get<std::string>())["groups"][0]["display"] == "data-team");
    api.call(Method::Patch, kScim + "/Groups/" + gid, {},
             {{"Operations", {{{"op", "remove"}, {"path", "members[value eq \"" + bob["id"].get<std::string>() + "\"]"}}}}});
    CHECK(api.call(Method::Get, kScim + "/Groups/" + gid)["members"].size() == 1);
    auto ghost = error_of([&] { api.call(Method::Post, kScim + "/Groups", {}, {{"displayName", "x"}, {"members", {{{"value", "1"}}}}}); });
    CHECK(ghost.error_code() == "INVALID_PARAMETER_VALUE");
    auto admins = api.call(Method::Get, kScim + "/Groups", {{"filter", "displayName eq admins"}});
    CHECK(error_of([&] { api.call(Method::Delete, kScim + "/Groups/" + admins["Resources"][0]["id"].get<std::string>()); })
              .error_code() == "INVALID_PARAMETER_VALUE");
}

TEST_CASE("permissions of a job: the creator owns it; set, update and the one-owner rule") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    api.call(Method::Post, "/api/2.0/workspace/import", {},
             {{"path", "/Shared/x.py"}, {"format", "RAW"}, {"content", "cHJpbnQoMSk="}});
    auto job = api.call(Method::Post, "/api/2.2/jobs/create", {},
                        {{"name", "etl"}, {"tasks", {{{"task_key", "t"}, {"spark_python_task", {{"python_file", "/Shared/x.py"}}}}}}});
    auto path = "/api/2.0/permissions/jobs/" + std::to_string(job["job_id"].get<std::int64_t>());
    auto user = me(api);
    auto initial = api.call(Method::Get, path);
    CHECK(initial["object_id"] == "/jobs/" + std::to_string(job["job_id"].get<std::int64_t>()));
    CHECK(initial["object_type"] == "job");
    CHECK(initial["access_control_list"][0]["user_name"] == user);
    CHECK(initial["access_control_list"][0]["all_permissions"][0]["permission_level"] == "IS_OWNER");
    CHECK(initial["access_control_list"][1]["group_name"] == "admins");
    CHECK(initial["access_control_list"][1]["all_permissions"][0]["inherited"] == true);

    auto unknown = error_of([&] {
        api.call(Method::Patch, path, {}, {{"access_control_list", {{{"user_name", "nobody@example.com"}, {"permission_level", "CAN_VIEW"}}}}});
    });
    CHECK(unknown.error_code() == "RESOURCE_DOES_NOT_EXIST");
    CHECK(unknown.message() == "Principal: UserName(nobody@example.com) does not exist");
    auto bad_level = error_of([&] {
        api.call(Method::Patch, path, {}, {{"access_control_list", {{{"group_name", "users"}, {"permission_level", "CAN_ATTACH_TO"}}}}});
    });
    CHECK(bad_level.error_code() == "INVALID_PARAMETER_VALUE");

    auto updated = api.call(Method::Patch, path, {}, {{"access_control_list", {{{"group_name", "users"}, {"permission_level", "CAN_VIEW"}},
                                                                                 {{"group_name", "users"}, {"permission_level", "CAN_MANAGE_RUN"}}}}});
    CHECK(updated == api.call(Method::Get, path));  // set and update answer what get answers
    CHECK(updated["access_control_list"].size() == 3);
    CHECK(updated["access_control_list"][1]["all_permissions"][0]["permission_level"] == "CAN_MANAGE_RUN");  // the last level wins
    // a set without an owner keeps the owner; naming IS_OWNER and then another level for it loses it
    auto set = api.call(Method::Put, path, {}, {{"access_control_list", {{{"group_name", "users"}, {"permission_level", "CAN_VIEW"}}}}});
    CHECK(set["access_control_list"][0]["all_permissions"][0]["permission_level"] == "IS_OWNER");
    auto lost = error_of([&] {
        api.call(Method::Put, path, {},
                 {{"access_control_list", {{{"user_name", user}, {"permission_level", "IS_OWNER"}}, {{"user_name", user}, {"permission_level", "CAN_MANAGE"}}}}});
    });
    CHECK(lost.message() == "The job must have exactly one owner.");
    CHECK(error_of([&] { api.call(Method::Get, "/api/2.0/permissions/jobs/999"); }).http_status() == 404);
    auto levels = api.call(Method::Get, path + "/permissionLevels");
    CHECK(levels["permission_levels"].size() == 4);
    CHECK(error_of([&] { api.call(Method::Get, "/api/2.0/permissions/pipelines/abc"); }).error_code() == "ENDPOINT_NOT_FOUND");
}

TEST_CASE("permissions of workspace objects inherit from the folders above") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    api.call(Method::Post, "/api/2.0/workspace/mkdirs", {}, {{"path", "/Shared/team"}});
    api.call(Method::Post, "/api/2.0/workspace/import", {},
             {{"path", "/Shared/team/nb"}, {"format", "SOURCE"}, {"language", "PYTHON"}, {"content", "cHJpbnQoMSk="}});
    auto folder = api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Shared/team"}})["object_id"].get<std::int64_t>();
    auto notebook = api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Shared/team/nb"}})["object_id"].get<std::int64_t>();
    api.call(Method::Put, "/api/2.0/permissions/directories/" + std::to_string(folder), {},
             {{"access_control_list", {{{"group_name", "users"}, {"permission_level", "CAN_RUN"}}}}});
    auto acl = api.call(Method::Get, "/api/2.0/permissions/notebooks/" + std::to_string(notebook));
    CHECK(acl["object_type"] == "notebook");
    auto users = acl["access_control_list"][0];
    CHECK(users["group_name"] == "users");
    CHECK(users["all_permissions"][0]["inherited_from_object"][0] == "/directories/" + std::to_string(folder));
    // a notebook id is not a folder id
    CHECK(error_of([&] { api.call(Method::Get, "/api/2.0/permissions/directories/" + std::to_string(notebook)); }).http_status() == 404);
}

TEST_CASE("cluster libraries: install, status through the life cycle, uninstall on restart") {
    test::TempDir root;
    setenv("BRIX_CLUSTER_STARTUP_MS", "0", 1);
    engine::LocalApi api(root.path);
    auto id = api.call(Method::Post, "/api/2.1/clusters/create", {},
                       {{"cluster_name", "c"}, {"spark_version", "15.4.x-scala2.12"}, {"num_workers", 0}})["cluster_id"].get<std::string>();
    Json pypi{{"pypi", {{"package", "requests==2.31.0"}}}};
    Json maven{{"maven", {{"coordinates", "org.x:y:1.0"}}}};
    api.call(Method::Post, "/api/2.0/libraries/install", {}, {{"cluster_id", id}, {"libraries", {pypi, maven, pypi}}});
    auto status = api.call(Method::Get, "/api/2.0/libraries/cluster-status", {{"cluster_id", id}});
    REQUIRE(status["library_statuses"].size() == 2);  // the same library twice is one
    CHECK(status["library_statuses"][0]["status"] == "INSTALLED");
    CHECK(status["library_statuses"][1]["status"] == "FAILED");
    CHECK(status["library_statuses"][1]["messages"][0] == "Maven libraries are not resolved on the brix local engine");
    CHECK(api.call(Method::Get, "/api/2.0/libraries/all-cluster-statuses")["statuses"][0]["cluster_id"] == id);

    api.call(Method::Post, "/api/2.0/libraries/uninstall", {}, {{"cluster_id", id}, {"libraries", {pypi}}});
    CHECK(api.call(Method::Get, "/api/2.0/libraries/cluster-status", {{"cluster_id", id}})["library_statuses"][0]["status"] ==
          "UNINSTALL_ON_RESTART");
    api.call(Method::Post, "/api/2.1/clusters/restart", {}, {{"cluster_id", id}});
    auto after = api.call(Method::Get, "/api/2.0/libraries/cluster-status", {{"cluster_id", id}});
    REQUIRE(after["library_statuses"].size() == 1);
    CHECK(after["library_statuses"][0]["library"] == maven);

    auto bad = error_of([&] { api.call(Method::Post, "/api/2.0/libraries/install", {}, {{"cluster_id", id}, {"libraries", {{{"pypi", Json::object()}}}}}); });
    CHECK(bad.error_code() == "INVALID_PARAMETER_VALUE");
    CHECK(error_of([&] { api.call(Method::Get, "/api/2.0/libraries/cluster-status", {{"cluster_id", "nope"}}); }).http_status() >= 400);
    unsetenv("BRIX_CLUSTER_STARTUP_MS");
}

TEST_CASE("secret ACLs name principals that exist") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    api.call(Method::Post, "/api/2.0/secrets/scopes/create", {}, {{"scope", "ci"}});
    auto missing = error_of([&] {
        api.call(Method::Post, "/api/2.0/secrets/acls/put", {}, {{"scope", "ci"}, {"principal", "data-team"}, {"permission", "READ"}});
    });
    CHECK(missing.error_code() == "INVALID_PARAMETER_VALUE");
    api.call(Method::Post, "/api/2.0/preview/scim/v2/Groups", {}, {{"displayName", "data-team"}});
    api.call(Method::Post, "/api/2.0/secrets/acls/put", {}, {{"scope", "ci"}, {"principal", "data-team"}, {"permission", "READ"}});
    CHECK(api.call(Method::Get, "/api/2.0/secrets/acls/get", {{"scope", "ci"}, {"principal", "data-team"}})["permission"] == "READ");
}
