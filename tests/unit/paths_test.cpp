#include <catch2/catch.hpp>

#include "api/api.hpp"
#include "engine/store/paths.hpp"

using namespace brix::engine::store;

TEST_CASE("paths normalise to one absolute form") {
    CHECK(normalize_path("/a//b/./c/../d/") == "/a/b/d");
    CHECK(normalize_path("/") == "/");
    CHECK(normalize_path("/a/..") == "/");
    CHECK(normalize_workspace_path("/Workspace/Shared/x") == "/Shared/x");
    CHECK(normalize_workspace_path("/Workspace") == "/");
    CHECK(normalize_workspace_path("/WorkspaceX/y") == "/WorkspaceX/y");
    CHECK(normalize_dbfs_path("dbfs:/tmp/x") == "/tmp/x");
    CHECK(parent_path("/a/b") == "/a");
    CHECK(parent_path("/a") == "/");
    CHECK(base_name("/a/b") == "b");
    CHECK(join_path("/", "x") == "/x");
}

TEST_CASE("paths that could leave the root or carry control characters are refused") {
    for (const char* bad : {"", "relative/x", "/..", "/a/../../b", "/%2e%2e/../.."}) {
        INFO(bad);
        CHECK_THROWS_AS(normalize_path(bad), brix::api::ApiError);
    }
    CHECK_THROWS_WITH(normalize_path(std::string("/a\0b", 4)), Catch::Contains("control character"));
    CHECK_THROWS_WITH(normalize_path("/a\tb"), Catch::Contains("control character"));
    try {
        normalize_path("/../etc/passwd");
        FAIL("no error");
    } catch (const brix::api::ApiError& error) {
        CHECK(error.http_status() == 400);
        CHECK(error.error_code() == "INVALID_PARAMETER_VALUE");
    }
}
