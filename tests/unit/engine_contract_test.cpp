// The embedded engine answers as Databricks does where brix and the SDKs once disagreed
// (issue 14): Jobs API 2.0 shapes beside 2.1/2.2 and the refusal of 2.0 fields there,
// notebooks_modified_after, node types with a local disk, the Files API's multipart sessions.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include "api/base64.hpp"
#include "api/streams.hpp"
#include "engine/local_api.hpp"

using namespace brix;
using api::Json;
using api::Method;
using test::error_of;
using test::TempDir;

namespace {

void import_file(engine::LocalApi& api, const std::string& path, const std::string& content) {
    api.call(Method::Post, "/api/2.0/workspace/mkdirs", {}, {{"path", "/Shared"}});
    api.call(Method::Post, "/api/2.0/workspace/import", {},
             {{"path", path}, {"format", "AUTO"}, {"content", api::base64_encode(content)}, {"overwrite", true}});
}

const Json kSingleTask = {{"name", "nightly"},
                          {"new_cluster", {{"spark_version", "15.4.x-scala2.12"}, {"num_workers", 2}}},
                          {"max_retries", 1},
                          {"spark_python_task", {{"python_file", "/Shared/etl.py"}, {"parameters", {"--rows", "42"}}}}};

}  // namespace

TEST_CASE("Jobs API 2.0 keeps single-task jobs in its shape; 2.1 and 2.2 show tasks[]") {
    TempDir root;
    engine::LocalApi api(root.path);
    import_file(api, "/Shared/etl.py", "print(1)\n");
    auto job_id = api.call(Method::Post, "/api/2.0/jobs/create", {}, kSingleTask)["job_id"].get<std::int64_t>();

    auto legacy = api.call(Method::Get, "/api/2.0/jobs/get", {{"job_id", std::to_string(job_id)}})["settings"];
    CHECK_FALSE(legacy.contains("tasks"));
    CHECK(legacy["spark_python_task"] == kSingleTask["spark_python_task"]);
    CHECK(legacy["new_cluster"] == kSingleTask["new_cluster"]);
    CHECK(legacy["max_retries"] == 1);
    CHECK(legacy["format"] == "SINGLE_TASK");
    auto listed = api.call(Method::Get, "/api/2.0/jobs/list")["jobs"][0]["settings"];
    CHECK(listed["spark_python_task"] == kSingleTask["spark_python_task"]);

    for (const char* version : {"2.1", "2.2"}) {
        auto settings = api.call(Method::Get, std::string("/api/") + version + "/jobs/get", {{"job_id", std::to_string(job_id)}})["settings"];
        REQUIRE(settings["tasks"].size() == 1);
        CHECK(settings["tasks"][0]["spark_python_task"] == kSingleTask["spark_python_task"]);
        CHECK(settings["tasks"][0]["new_cluster"] == kSingleTask["new_cluster"]);
        CHECK_FALSE(settings.contains("spark_python_task"));
        CHECK_FALSE(settings.contains("new_cluster"));
    }

    // A 2.0 update of the single-task job changes its task in place.
    api.call(Method::Post, "/api/2.0/jobs/update", {},
             {{"job_id", job_id}, {"new_settings", {{"new_cluster", {{"spark_version", "16.4.x-scala2.12"}, {"num_workers", 1}}}}}});
    auto updated = api.call(Method::Get, "/api/2.2/jobs/get", {{"job_id", std::to_string(job_id)}})["settings"];
    CHECK(updated["tasks"][0]["new_cluster"]["num_workers"] == 1);
    CHECK_FALSE(updated.contains("new_cluster"));
}

TEST_CASE("2.1 and 2.2 refuse the 2.0 top-level task fields, naming them and the fix; nothing is stored") {
    TempDir root;
    engine::LocalApi api(root.path);
    import_file(api, "/Shared/etl.py", "print(1)\n");
    for (const char* version : {"2.1", "2.2"}) {
        auto refused = error_of([&] { api.call(Method::Post, std::string("/api/") + version + "/jobs/create", {}, kSingleTask); });
        CHECK(refused.http_status() == 400);
        CHECK(refused.error_code() == "INVALID_PARAMETER_VALUE");
        CHECK_THAT(refused.message(), Catch::Contains("new_cluster, max_retries, spark_python_task are fields of the Jobs API 2.0 "
                                                      "single-task format") &&
                                          Catch::Contains("into a task of tasks (with a task_key)") &&
                                          Catch::Contains("/api/2.0/jobs/"));
    }
    CHECK_FALSE(api.call(Method::Get, "/api/2.2/jobs/list").contains("jobs"));

    auto job_id = api.call(Method::Post, "/api/2.2/jobs/create", {},
                           {{"name", "ok"}, {"tasks", {{{"task_key", "t"}, {"spark_python_task", {{"python_file", "/Shared/etl.py"}}}}}}})["job_id"];
    auto reset = error_of([&] {
        api.call(Method::Post, "/api/2.2/jobs/reset", {}, {{"job_id", job_id}, {"new_settings", kSingleTask}});
    });
    CHECK_THAT(reset.message(), Catch::Contains("new_settings.new_cluster, new_settings.max_retries, new_settings.spark_python_task"));
    auto update = error_of([&] {
        api.call(Method::Post, "/api/2.2/jobs/update", {}, {{"job_id", job_id}, {"new_settings", {{"libraries", Json::array()}}}});
    });
    CHECK_THAT(update.message(), Catch::Contains("new_settings.libraries is a field"));
    auto submit = error_of([&] {
        api.call(Method::Post, "/api/2.2/jobs/runs/submit", {},
                 {{"run_name", "once"}, {"existing_cluster_id", "x"}, {"spark_python_task", {{"python_file", "/Shared/etl.py"}}}});
    });
    CHECK(submit.error_code() == "INVALID_PARAMETER_VALUE");
    CHECK_THAT(submit.message(), Catch::Contains("existing_cluster_id, spark_python_task are fields"));
    auto stored = api.call(Method::Get, "/api/2.2/jobs/get", {{"job_id", job_id.dump()}})["settings"];
    CHECK(stored["name"] == "ok");
    CHECK_FALSE(api.call(Method::Get, "/api/2.2/jobs/runs/list").contains("runs"));
}

TEST_CASE("workspace list honours notebooks_modified_after; node types have a local disk") {
    TempDir root;
    engine::LocalApi api(root.path);
    import_file(api, "/Shared/nb.py", "# Databricks notebook source\nprint(1)\n");
    import_file(api, "/Shared/data.csv", "a,b\n");
    auto all = api.call(Method::Get, "/api/2.0/workspace/list", {{"path", "/Shared"}})["objects"];
    CHECK(all.size() == 2);
    auto later = api.call(Method::Get, "/api/2.0/workspace/list", {{"path", "/Shared"}, {"notebooks_modified_after", "99999999999999"}});
    REQUIRE(later["objects"].size() == 1);
    CHECK(later["objects"][0]["object_type"] == "FILE");
    auto earlier = api.call(Method::Get, "/api/2.0/workspace/list", {{"path", "/Shared"}, {"notebooks_modified_after", "0"}});
    CHECK(earlier["objects"].size() == 2);

    auto node = api.call(Method::Get, "/api/2.1/clusters/list-node-types")["node_types"][0];
    CHECK(node["node_instance_type"]["instance_type_id"] == node["instance_type_id"]);
    CHECK(node["node_instance_type"]["local_disks"] == 1);
    CHECK(node["node_instance_type"]["local_disk_size_gb"].get<std::int64_t>() > 0);
}

TEST_CASE("Files API multipart sessions: parts in any order, joined as listed; abort; stale etags refused") {
    TempDir root;
    engine::LocalApi api(root.path);
    const std::string file = "/Volumes/main/default/vol/dir/big.bin";
    auto initiate = [&](std::vector<std::pair<std::string, std::string>> extra = {}) {
        api::Query query{{"action", "initiate-upload"}};
        query.insert(query.end(), extra.begin(), extra.end());
        return api.call(Method::Post, "/api/2.0/fs/files" + file, query)["multipart_upload"]["session_token"].get<std::string>();
    };
    auto put_part = [&](const std::string& token, int number, const std::string& bytes) {
        api::StringSource source(bytes);
        return api.upload({Method::Put, "/api/2.0/fs/files" + file,
                           {{"upload_type", "multipart"}, {"session_token", token}, {"part_number", std::to_string(number)}},
                           nullptr},
                          source)["etag"]
            .get<std::string>();
    };
    auto token = initiate();
    CHECK(token.size() == 32);

    auto urls = api.call(Method::Post, "/api/2.0/fs/create-upload-part-urls", {},
                         {{"path", file}, {"session_token", token}, {"start_part_number", 1}, {"count", 2}, {"expire_time", "x"}});
    REQUIRE(urls["upload_part_urls"].size() == 2);
    CHECK(urls["upload_part_urls"][1]["part_number"] == 2);
    CHECK(urls["upload_part_urls"][1]["url"] ==
          "/api/2.0/fs/files" + file + "?upload_type=multipart&session_token=" + token + "&part_number=2");

    auto second = put_part(token, 2, "world");
    auto stale = put_part(token, 1, "HELLO ");
    auto first = put_part(token, 1, "hello ");
    auto wrong = error_of([&] {
        api.call(Method::Post, "/api/2.0/fs/files" + file,
                 {{"action", "complete-upload"}, {"upload_type", "multipart"}, {"session_token", token}},
                 Json{{"parts", Json::array({Json{{"part_number", 2}, {"etag", second}}, Json{{"part_number", 1}, {"etag", first}}})}});
    });
    CHECK_THAT(wrong.message(), Catch::Contains("ascending order"));
    api.call(Method::Post, "/api/2.0/fs/files" + file, {{"action", "complete-upload"}, {"upload_type", "multipart"}, {"session_token", token}},
             Json{{"parts", Json::array({Json{{"part_number", 1}, {"etag", first}}, Json{{"part_number", 2}, {"etag", second}}})}});
    api::StringSink sink;
    api.download({Method::Get, "/api/2.0/fs/files" + file, {}, nullptr}, sink);
    CHECK(sink.bytes() == "hello world");
    CHECK(stale != first);

    // The session is over; a new one with overwrite=false is refused, and an aborted one is gone.
    auto over = error_of([&] { put_part(token, 3, "late"); });
    CHECK(over.http_status() == 404);
    auto exists = error_of([&] { initiate({{"overwrite", "false"}}); });
    CHECK(exists.http_status() == 409);
    CHECK(exists.error_code() == "ALREADY_EXISTS");
    auto aborted = initiate();
    put_part(aborted, 1, "x");
    api.call(Method::Delete, "/api/2.0/fs/files" + file, {{"action", "abort-upload"}, {"session_token", aborted}});
    CHECK(error_of([&] {
              api.call(Method::Post, "/api/2.0/fs/create-abort-upload-url", {}, {{"path", file}, {"session_token", aborted}});
          }).http_status() == 404);
    CHECK(error_of([&] { put_part("../../etc", 1, "x"); }).http_status() == 404);
    sink.bytes().clear();
    api.download({Method::Get, "/api/2.0/fs/files" + file, {}, nullptr}, sink);
    CHECK(sink.bytes() == "hello world");  // the aborted upload changed nothing

    auto download = api.call(Method::Post, "/api/2.0/fs/create-download-url", {{"path", file}});
    CHECK(download["url"] == "/api/2.0/fs/files" + file);
    CHECK(error_of([&] {
              api.call(Method::Post, "/api/2.0/fs/create-download-url", {{"path", "/Volumes/main/default/vol/none"}});
          }).http_status() == 404);
}
