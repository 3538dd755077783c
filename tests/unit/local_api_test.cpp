// The local engine through the Api contract, as commands and `brix serve` see it.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <filesystem>
#include <random>

#include "api/base64.hpp"
#include "api/streams.hpp"
#include "engine/local_api.hpp"

using namespace brix;
using TempRoot = test::TempDir;
using test::error_of;
using api::Json;
using api::Method;


TEST_CASE("workspace import, list, export and delete follow the REST API") {
    TempRoot root;
    engine::LocalApi api(root.path);
    auto source = std::string("# Databricks notebook source\nprint(1)\n");

    api.call(Method::Post, "/api/2.0/workspace/mkdirs", {}, {{"path", "/Workspace/Shared/etl"}});
    api.call(Method::Post, "/api/2.0/workspace/import", {},
             {{"path", "/Shared/etl/nb.py"}, {"format", "AUTO"}, {"content", api::base64_encode(source)}});

    auto status = api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Shared/etl/nb"}});
    CHECK(status["object_type"] == "NOTEBOOK");
    CHECK(status["language"] == "PYTHON");
    CHECK(status["path"] == "/Shared/etl/nb");

    auto listed = api.call(Method::Get, "/api/2.0/workspace/list", {{"path", "/Shared/etl"}});
    REQUIRE(listed["objects"].size() == 1);

    auto exported = api.call(Method::Get, "/api/2.0/workspace/export", {{"path", "/Shared/etl/nb"}});
    CHECK(api::base64_decode(exported["content"].get<std::string>()) == source);
    CHECK(exported["file_type"] == "py");

    auto exists = error_of([&] {
        api.call(Method::Post, "/api/2.0/workspace/import", {},
                 {{"path", "/Shared/etl/nb"}, {"language", "PYTHON"}, {"content", api::base64_encode("x")}});
    });
    CHECK(exists.http_status() == 400);
    CHECK(exists.error_code() == "RESOURCE_ALREADY_EXISTS");

    auto not_empty = error_of([&] { api.call(Method::Post, "/api/2.0/workspace/delete", {}, {{"path", "/Shared/etl"}}); });
    CHECK(not_empty.error_code() == "DIRECTORY_NOT_EMPTY");
    api.call(Method::Post, "/api/2.0/workspace/delete", {}, {{"path", "/Shared/etl"}, {"recursive", true}});
    auto gone = error_of([&] { api.call(Method::Get, "/api/2.0/workspace/get-status", {{"path", "/Shared/etl/nb"}}); });
    CHECK(gone.http_status() == 404);
    CHECK(gone.error_code() == "RESOURCE_DOES_NOT_EXIST");
}

TEST_CASE("workspace import needs its parent and honours the 10 MB limit") {
    TempRoot root;
    engine::LocalApi api(root.path);
    auto missing = error_of([&] {
        api.call(Method::Post, "/api/2.0/workspace/import", {},
                 {{"path", "/Nope/x"}, {"format", "RAW"}, {"content", api::base64_encode("x")}});
    });
    CHECK(missing.http_status() == 404);
    auto big = error_of([&] {
        api.call(Method::Post, "/api/2.0/workspace/import", {},
                 {{"path", "/Shared/big"}, {"format", "RAW"}, {"content", api::base64_encode(std::string(10 * 1024 * 1024 + 1, 'x'))}});
    });
    CHECK(big.error_code() == "MAX_NOTEBOOK_SIZE_EXCEEDED");
    auto bad_format = error_of([&] {
        api.call(Method::Post, "/api/2.0/workspace/import", {}, {{"path", "/Shared/x"}, {"format", "WORD"}, {"content", ""}});
    });
    CHECK(bad_format.error_code() == "INVALID_PARAMETER_VALUE");
}

TEST_CASE("DBFS put, read, list, move and delete") {
    TempRoot root;
    engine::LocalApi api(root.path);
    api.call(Method::Post, "/api/2.0/dbfs/put", {}, {{"path", "dbfs:/tmp/a.txt"}, {"contents", api::base64_encode("hello")}});
    auto read = api.call(Method::Get, "/api/2.0/dbfs/read", {{"path", "/tmp/a.txt"}, {"offset", "1"}, {"length", "3"}});
    CHECK(read["bytes_read"] == 3);
    CHECK(api::base64_decode(read["data"].get<std::string>()) == std::string("ell"));

    auto exists = error_of([&] {
        api.call(Method::Post, "/api/2.0/dbfs/put", {}, {{"path", "/tmp/a.txt"}, {"contents", ""}});
    });
    CHECK(exists.http_status() == 400);
    CHECK(exists.error_code() == "RESOURCE_ALREADY_EXISTS");

    // Legacy clients send IDs and booleans as strings.
    auto handle = api.call(Method::Post, "/api/2.0/dbfs/create", {}, {{"path", "/tmp/b.bin"}, {"overwrite", "True"}})["handle"];
    api.call(Method::Post, "/api/2.0/dbfs/add-block", {},
             {{"handle", std::to_string(handle.get<std::int64_t>())}, {"data", api::base64_encode("abc")}});
    api.call(Method::Post, "/api/2.0/dbfs/add-block", {}, {{"handle", handle}, {"data", api::base64_encode("def")}});
    api.call(Method::Post, "/api/2.0/dbfs/close", {}, {{"handle", handle}});
    auto status = api.call(Method::Get, "/api/2.0/dbfs/get-status", {{"path", "/tmp/b.bin"}});
    CHECK(status["file_size"] == 6);
    CHECK_FALSE(status["is_dir"].get<bool>());

    api.call(Method::Post, "/api/2.0/dbfs/move", {}, {{"source_path", "/tmp/b.bin"}, {"destination_path", "/archive/b.bin"}});
    auto listed = api.call(Method::Get, "/api/2.0/dbfs/list", {{"path", "/archive"}});
    REQUIRE(listed["files"].size() == 1);
    CHECK(listed["files"][0]["path"] == "/archive/b.bin");

    auto not_empty = error_of([&] { api.call(Method::Post, "/api/2.0/dbfs/delete", {}, {{"path", "/archive"}}); });
    CHECK(not_empty.error_code() == "IO_ERROR");
    api.call(Method::Post, "/api/2.0/dbfs/delete", {}, {{"path", "/archive"}, {"recursive", true}});
    api.call(Method::Post, "/api/2.0/dbfs/delete", {}, {{"path", "/archive"}});  // missing: still fine
    CHECK(error_of([&] { api.call(Method::Get, "/api/2.0/dbfs/list", {{"path", "/archive"}}); }).http_status() == 404);

    auto too_big = error_of([&] {
        api.call(Method::Get, "/api/2.0/dbfs/read", {{"path", "/tmp/a.txt"}, {"length", "2000000"}});
    });
    CHECK(too_big.error_code() == "MAX_READ_SIZE_EXCEEDED");
}

TEST_CASE("streamed uploads and downloads, and the Files API on the same tree") {
    TempRoot root;
    engine::LocalApi api(root.path);
    std::string payload(3 * 1024 * 1024 + 7, 'z');
    api::StringSource source(payload);
    api.upload({Method::Put, "/api/2.0/fs/files/Volumes/main/default/vol/in/data.bin", {}, nullptr}, source);

    api::StringSink sink;
    api.download({Method::Get, "/api/2.0/dbfs/read", {{"path", "/Volumes/main/default/vol/in/data.bin"}}, nullptr}, sink);
    CHECK(sink.bytes() == payload);

    auto head = api.call(Method::Head, "/api/2.0/fs/files/Volumes/main/default/vol/in/data.bin");
    CHECK(head["Content-Length"] == std::to_string(payload.size()));

    api::StringSource again("x");
    auto conflict = error_of([&] {
        api.upload({Method::Put, "/api/2.0/fs/files/Volumes/main/default/vol/in/data.bin", {{"overwrite", "false"}}, nullptr}, again);
    });
    CHECK(conflict.http_status() == 409);

    auto not_empty = error_of([&] { api.call(Method::Delete, "/api/2.0/fs/directories/Volumes/main/default/vol/in"); });
    CHECK(not_empty.reason() == "FILES_API_DIRECTORY_IS_NOT_EMPTY");
}

TEST_CASE("unknown routes and malformed bodies get Databricks errors") {
    TempRoot root;
    engine::LocalApi api(root.path);
    auto unknown = error_of([&] { api.call(Method::Get, "/api/2.0/nothing/here"); });
    CHECK(unknown.http_status() == 404);
    CHECK(unknown.error_code() == "ENDPOINT_NOT_FOUND");
    CHECK(unknown.message() == "No API found for 'GET /nothing/here'");  // a workspace leaves out /api/<version>
    auto not_object = error_of([&] { api.call(Method::Post, "/api/2.0/workspace/mkdirs", {}, Json::array()); });
    CHECK(not_object.error_code() == "MALFORMED_REQUEST");
    auto escape = error_of([&] { api.call(Method::Get, "/api/2.0/dbfs/list", {{"path", "/../../etc"}}); });
    CHECK(escape.http_status() == 400);
}

// Found by fuzz_router: std::stoll's exception left LocalApi, and brix serve answered 500.
TEST_CASE("jobs list refuses a page_token that is not an offset") {
    TempRoot root;
    engine::LocalApi api(root.path);
    for (const char* token : {"abc", "99999999999999999999", "-1", "12x"}) {
        INFO(token);
        auto error = error_of([&] { api.call(Method::Get, "/api/2.1/jobs/list", {{"page_token", token}}); });
        CHECK(error.http_status() == 400);
        CHECK(error.error_code() == "INVALID_PARAMETER_VALUE");
    }
    CHECK(api.call(Method::Get, "/api/2.1/jobs/list", {{"page_token", "0"}})["has_more"] == false);
}
