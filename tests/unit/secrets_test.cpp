// Secrets on the local engine (validation, the REST routes, how values are stored) and the
// configuration-file writer behind `configure`.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "api/base64.hpp"
#include "cli/config.hpp"
#include "commands/configure/config_file.hpp"
#include "commands/configure/ini_writer.hpp"
#include "engine/local_api.hpp"
#include "engine/secrets/service.hpp"
#include "engine/store/database.hpp"

using namespace brix;
using test::TempDir;
using test::error_of;
using api::Json;
using api::Method;
using commands::IniChange;
using commands::update_ini_section;

namespace {

std::string config_error_of(const std::function<void()>& work) {
    try {
        work();
    } catch (const cli::ConfigError& error) {
        return error.what();
    }
    return "no error";
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

// --- validation ------------------------------------------------------------------------------

TEST_CASE("scope names: letters, digits, - _ . @, up to 128 characters", "[secrets]") {
    for (const auto& name : {std::string("a"), std::string("ci"), std::string("my-scope_1.x"), std::string("user@example.com"),
                             std::string(128, 's')})
        CHECK_NOTHROW(engine::secrets::validate_scope_name(name));
    for (const auto& name : {std::string(), std::string(129, 's'), std::string("has space"), std::string("a/b"),
                      std::string("semi;colon"), std::string("tab\t"), std::string("caf\xc3\xa9")}) {
        auto error = error_of([&] { engine::secrets::validate_scope_name(name); });
        CHECK(error.http_status() == 400);
        CHECK(error.error_code() == "INVALID_PARAMETER_VALUE");
    }
}

TEST_CASE("secret keys: like scope names without @", "[secrets]") {
    CHECK_NOTHROW(engine::secrets::validate_secret_key("db-password_2.txt"));
    CHECK_NOTHROW(engine::secrets::validate_secret_key(std::string(128, 'k')));
    CHECK(error_of([] { engine::secrets::validate_secret_key("a@b"); }).error_code() == "INVALID_PARAMETER_VALUE");
    CHECK(error_of([] { engine::secrets::validate_secret_key(std::string(129, 'k')); }).error_code() == "INVALID_PARAMETER_VALUE");
    CHECK(error_of([] { engine::secrets::validate_secret_key(""); }).error_code() == "INVALID_PARAMETER_VALUE");
}

TEST_CASE("secret values: up to 128 KB", "[secrets]") {
    CHECK_NOTHROW(engine::secrets::validate_secret_value_size(0));
    CHECK_NOTHROW(engine::secrets::validate_secret_value_size(128 * 1024));
    auto error = error_of([] { engine::secrets::validate_secret_value_size(128 * 1024 + 1); });
    CHECK(error.http_status() == 400);
    CHECK(error.error_code() == "INVALID_PARAMETER_VALUE");
    CHECK_THAT(error.message(), Catch::Contains("128 KB"));
}

TEST_CASE("ACL permissions: READ, WRITE or MANAGE", "[secrets]") {
    for (auto permission : {"READ", "WRITE", "MANAGE"}) CHECK_NOTHROW(engine::secrets::validate_acl_permission(permission));
    for (auto permission : {"read", "OWNER", ""})
        CHECK(error_of([&] { engine::secrets::validate_acl_permission(permission); }).error_code() == "INVALID_PARAMETER_VALUE");
}

// --- the REST routes -------------------------------------------------------------------------

TEST_CASE("secrets routes: scopes, secrets and ACLs as Databricks answers them", "[secrets]") {
    TempDir root;
    engine::LocalApi api(root.path);
    auto call = [&](Method method, const std::string& path, Json body) {
        if (method == Method::Get) {
            api::Query query;
            for (const auto& [key, value] : body.items()) query.emplace_back(key, value.get<std::string>());
            return api.call(method, "/api/2.0/secrets/" + path, query);
        }
        return api.call(method, "/api/2.0/secrets/" + path, {}, body);
    };

    CHECK(call(Method::Get, "scopes/list", Json::object()) == Json::object());
    call(Method::Post, "scopes/create", {{"scope", "ci"}});
    auto duplicate = error_of([&] { call(Method::Post, "scopes/create", {{"scope", "CI"}}); });
    CHECK(duplicate.http_status() == 400);
    CHECK(duplicate.error_code() == "RESOURCE_ALREADY_EXISTS");
    CHECK(error_of([&] { call(Method::Post, "scopes/create", {{"scope", "bad name"}}); }).error_code() == "INVALID_PARAMETER_VALUE");
    CHECK(error_of([&] { call(Method::Post, "scopes/create", {{"scope", "akv"}, {"scope_backend_type", "AZURE_KEYVAULT"}}); })
              .http_status() == 501);
    CHECK(call(Method::Get, "scopes/list", Json::object()) ==
          Json{{"scopes", Json::array({Json{{"name", "ci"}, {"backend_type", "DATABRICKS"}}})}});

    std::string all_bytes;
    for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
    call(Method::Post, "put", {{"scope", "ci"}, {"key", "bin"}, {"bytes_value", api::base64_encode(all_bytes)}});
    call(Method::Post, "put", {{"scope", "ci"}, {"key", "text"}, {"string_value", "h\xc3\xa9llo"}});
    call(Method::Post, "put", {{"scope", "ci"}, {"key", "text"}, {"string_value", "replaced"}});
    CHECK(call(Method::Get, "get", {{"scope", "ci"}, {"key", "bin"}}) == Json{{"key", "bin"}, {"value", api::base64_encode(all_bytes)}});
    CHECK(call(Method::Get, "get", {{"scope", "Ci"}, {"key", "text"}})["value"] == api::base64_encode("replaced"));
    auto listed = call(Method::Get, "list", {{"scope", "ci"}});
    REQUIRE(listed["secrets"].size() == 2);
    CHECK(listed["secrets"][0]["key"] == "bin");
    CHECK(listed["secrets"][0]["last_updated_timestamp"].get<std::int64_t>() > 0);
    CHECK_FALSE(listed["secrets"][0].contains("value"));

    auto both = error_of([&] { call(Method::Post, "put", {{"scope", "ci"}, {"key", "k"}, {"string_value", "a"}, {"bytes_value", "YQ=="}}); });
    CHECK(both.error_code() == "MALFORMED_REQUEST");
    CHECK(error_of([&] { call(Method::Post, "put", {{"scope", "ci"}, {"key", "k"}}); }).error_code() == "MALFORMED_REQUEST");
    CHECK(error_of([&] { call(Method::Post, "put", {{"scope", "ci"}, {"key", "k"}, {"bytes_value", "%%%"}}); }).error_code() ==
          "INVALID_PARAMETER_VALUE");
    auto too_big = error_of([&] { call(Method::Post, "put", {{"scope", "ci"}, {"key", "big"}, {"string_value", std::string(128 * 1024 + 1, 'x')}}); });
    CHECK(too_big.http_status() == 400);
    CHECK(too_big.message().find("xxxx") == std::string::npos);
    call(Method::Post, "put", {{"scope", "ci"}, {"key", "exactly-128k"}, {"string_value", std::string(128 * 1024, 'x')}});

    auto missing_scope = error_of([&] { call(Method::Get, "list", {{"scope", "nope"}}); });
    CHECK(missing_scope.http_status() == 404);
    CHECK(missing_scope.error_code() == "RESOURCE_DOES_NOT_EXIST");
    CHECK(error_of([&] { call(Method::Get, "get", {{"scope", "ci"}, {"key", "nope"}}); }).http_status() == 404);
    CHECK(error_of([&] { call(Method::Post, "delete", {{"scope", "ci"}, {"key", "nope"}}); }).http_status() == 404);
    CHECK(error_of([&] { call(Method::Post, "put", {{"scope", "nope"}, {"key", "k"}, {"string_value", "v"}}); }).http_status() == 404);

    // the creator manages a new scope; grants are replaced, not duplicated
    auto acls = call(Method::Get, "acls/list", {{"scope", "ci"}});
    REQUIRE(acls["items"].size() == 1);
    CHECK(acls["items"][0]["permission"] == "MANAGE");
    api.call(Method::Post, "/api/2.0/preview/scim/v2/Groups", {}, {{"displayName", "data-team"}});
    call(Method::Post, "acls/put", {{"scope", "ci"}, {"principal", "data-team"}, {"permission", "READ"}});
    call(Method::Post, "acls/put", {{"scope", "ci"}, {"principal", "data-team"}, {"permission", "WRITE"}});
    CHECK(call(Method::Get, "acls/get", {{"scope", "ci"}, {"principal", "data-team"}}) ==
          Json{{"principal", "data-team"}, {"permission", "WRITE"}});
    CHECK(call(Method::Get, "acls/list", {{"scope", "ci"}})["items"].size() == 2);
    CHECK(error_of([&] { call(Method::Post, "acls/put", {{"scope", "ci"}, {"principal", "x"}, {"permission", "OWN"}}); })
              .error_code() == "INVALID_PARAMETER_VALUE");
    call(Method::Post, "acls/delete", {{"scope", "ci"}, {"principal", "data-team"}});
    CHECK(error_of([&] { call(Method::Get, "acls/get", {{"scope", "ci"}, {"principal", "data-team"}}); }).http_status() == 404);
    CHECK(error_of([&] { call(Method::Post, "acls/delete", {{"scope", "ci"}, {"principal", "data-team"}}); }).http_status() == 404);

    call(Method::Post, "scopes/create", {{"scope", "shared"}, {"initial_manage_principal", "users"}});
    CHECK(call(Method::Get, "acls/list", {{"scope", "shared"}}) ==
          Json{{"items", Json::array({Json{{"principal", "users"}, {"permission", "MANAGE"}}})}});

    // the Python runtime reads values straight from the table: exact bytes, as a BLOB
    {
        engine::store::Database db((root.path / "brix.db").string());
        auto stmt = db.prepare("SELECT typeof(value), length(value), value FROM secrets WHERE scope = 'ci' AND key = 'bin'");
        REQUIRE(stmt.step());
        CHECK(stmt.text(0) == "blob");
        CHECK(stmt.integer(1) == 256);
        CHECK(stmt.text(2) == all_bytes);
    }

    call(Method::Post, "scopes/delete", {{"scope", "ci"}});
    CHECK(error_of([&] { call(Method::Post, "scopes/delete", {{"scope", "ci"}}); }).http_status() == 404);
    engine::store::Database db((root.path / "brix.db").string());
    auto leftovers = db.prepare("SELECT (SELECT COUNT(*) FROM secrets WHERE scope = 'ci') + (SELECT COUNT(*) FROM secret_acls WHERE scope = 'ci')");
    leftovers.step();
    CHECK(leftovers.integer(0) == 0);
}

// --- the configuration-file writer -----------------------------------------------------------

TEST_CASE("update_ini_section keeps comments, other profiles and key order, and replaces values in place", "[configure]") {
    const std::string text = "# my workspaces\n"
                             "[dev]\n"
                             "host = https://dev.example.com\n"
                             "; the old token\n"
                             "token = dapi-old\n"
                             "jobs-api-version = 2.1\n"
                             "\n"
                             "# production: do not touch\n"
                             "[prod]\n"
                             "host = https://prod.example.com\n"
                             "token = dapi-prod\n";
    auto updated = update_ini_section(text, "dev", {{"host", "https://dev2.example.com"}, {"token", "dapi-new"}, {"cluster_id", "c1"}});
    CHECK(updated == "# my workspaces\n"
                     "[dev]\n"
                     "host = https://dev2.example.com\n"
                     "; the old token\n"
                     "token = dapi-new\n"
                     "jobs-api-version = 2.1\n"
                     "cluster_id = c1\n"
                     "\n"
                     "# production: do not touch\n"
                     "[prod]\n"
                     "host = https://prod.example.com\n"
                     "token = dapi-prod\n");
    auto ini = cli::parse_ini(updated, "cfg");
    CHECK(ini.find("dev")->get("token") == "dapi-new");
    CHECK(ini.find("prod")->get("token") == "dapi-prod");
}

TEST_CASE("update_ini_section appends a missing profile and creates a file from nothing", "[configure]") {
    CHECK(update_ini_section("", "ci", {{"host", "http://127.0.0.1:8080"}, {"token", "t"}}) ==
          "[ci]\nhost = http://127.0.0.1:8080\ntoken = t\n");
    CHECK(update_ini_section("[a]\nhost = h", "b", {{"host", "x"}}) == "[a]\nhost = h\n\n[b]\nhost = x\n");
    CHECK(update_ini_section("[a]\nhost = h\n\n", "b", {{"host", "x"}}) == "[a]\nhost = h\n\n[b]\nhost = x\n");
    // a removal in a profile that does not exist changes nothing
    CHECK(update_ini_section("[a]\nhost = h\n", "b", {{"token", std::nullopt}}) == "[a]\nhost = h\n");
}

TEST_CASE("update_ini_section removes keys, repeats, and edits every part of a split section", "[configure]") {
    const std::string text = "[p]\n"
                             "host = a\n"
                             "client_id = id\n"
                             "token: one\n"
                             "[q]\n"
                             "host = q\n"
                             "[p]\n"
                             "token = two\n"
                             "client_secret = s\n";
    auto updated = update_ini_section(text, "p", {{"token", "three"}, {"client_id", std::nullopt}, {"client_secret", std::nullopt}});
    CHECK(updated == "[p]\nhost = a\ntoken = three\n[q]\nhost = q\n[p]\n");
    CHECK(cli::parse_ini(updated, "cfg").find("p")->entries ==
          std::vector<std::pair<std::string, std::string>>{{"host", "a"}, {"token", "three"}});
}

TEST_CASE("update_ini_section: lines before the first header are DEFAULT; CRLF files stay CRLF", "[configure]") {
    CHECK(update_ini_section("host = old\n[x]\nhost = y\n", "DEFAULT", {{"host", "new"}, {"token", "t"}}) ==
          "host = new\ntoken = t\n[x]\nhost = y\n");
    CHECK(update_ini_section("[a]\r\nhost = h\r\n", "a", {{"token", "t"}}) == "[a]\r\nhost = h\r\ntoken = t\r\n");
    CHECK(update_ini_section("[ a ]\nhost = h\n", "a", {{"host", "i"}}) == "[ a ]\nhost = i\n");
}

TEST_CASE("update_ini_section refuses what the format cannot hold and files it cannot read", "[configure]") {
    CHECK_THAT(config_error_of([] { update_ini_section("", "p", {{"token", "a\nb"}}); }), Catch::Contains("line breaks"));
    CHECK_THAT(config_error_of([] { update_ini_section("", "p]", {{"token", "t"}}); }), Catch::Contains("invalid profile name"));
    CHECK_THAT(config_error_of([] { update_ini_section("", "", {{"token", "t"}}); }), Catch::Contains("invalid profile name"));
    CHECK_THAT(config_error_of([] { update_ini_section("", "p", {{"a=b", "t"}}); }), Catch::Contains("invalid configuration key"));
    CHECK_THAT(config_error_of([] { update_ini_section("[p]\nnot an entry\n", "p", {{"token", "t"}}); }), Catch::Contains("line 2"));
}

TEST_CASE("write_private_file replaces the file at once with mode 0600, through a symlink", "[configure]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path / "real");
    auto file = dir.path / "real" / "cfg";
    {
        std::ofstream(file) << "old\n";
    }
    ::chmod(file.c_str(), 0644);
    std::filesystem::create_symlink(file, dir.path / "link");
    commands::write_private_file((dir.path / "link").string(), "[p]\nhost = h\n");
    CHECK(std::filesystem::is_symlink(dir.path / "link"));
    CHECK(read_file(file) == "[p]\nhost = h\n");
    struct stat info{};
    REQUIRE(::stat(file.c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0600);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path / "real"), std::filesystem::directory_iterator()) == 1);

    auto nested = dir.path / "new" / "folder" / "cfg";
    commands::write_private_file(nested.string(), "x\n");
    CHECK(read_file(nested) == "x\n");
}

TEST_CASE("a scope holds at most 1000 secrets; replacing one at the limit still works", "[secrets]") {
    TempDir root;
    engine::LocalApi api(root.path);
    api.call(Method::Post, "/api/2.0/secrets/scopes/create", {}, {{"scope", "full"}});
    auto put = [&](const std::string& key) {
        api.call(Method::Post, "/api/2.0/secrets/put", {}, {{"scope", "full"}, {"key", key}, {"string_value", "v"}});
    };
    for (int i = 0; i < engine::secrets::kMaxSecretsPerScope; ++i) put(std::string("k").append(std::to_string(i)));
    auto error = error_of([&] { put("one-more"); });
    CHECK(error.http_status() == 400);
    CHECK(error.error_code() == "RESOURCE_LIMIT_EXCEEDED");
    CHECK_NOTHROW(put("k0"));
}
