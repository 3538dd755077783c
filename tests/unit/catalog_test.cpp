// Unity Catalog on the local engine: catalogs, schemas and volumes through the REST routes, and
// the /Volumes paths the file APIs accept only inside a volume that exists.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include "api/streams.hpp"
#include "engine/local_api.hpp"

using namespace brix;
using api::Json;
using api::Method;
using test::error_of;

namespace {

const std::string kUc = "/api/2.1/unity-catalog";

void put_file(engine::LocalApi& api, const std::string& path, const std::string& bytes) {
    api::StringSource source(bytes);
    api.upload({Method::Put, "/api/2.0/fs/files" + path, {}, nullptr}, source);
}

}  // namespace

TEST_CASE("a new engine has the main catalog and its default schema") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    auto catalogs = api.call(Method::Get, kUc + "/catalogs");
    REQUIRE(catalogs["catalogs"].size() == 1);
    CHECK(catalogs["catalogs"][0]["name"] == "main");
    CHECK(catalogs["catalogs"][0]["catalog_type"] == "MANAGED_CATALOG");
    auto schemas = api.call(Method::Get, kUc + "/schemas", {{"catalog_name", "main"}});
    REQUIRE(schemas["schemas"].size() == 1);
    CHECK(schemas["schemas"][0]["full_name"] == "main.default");
    CHECK(api.call(Method::Get, kUc + "/volumes", {{"catalog_name", "main"}, {"schema_name", "default"}}) == Json::object());
}

TEST_CASE("catalogs, schemas and volumes: create, get, list, update, delete") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    auto catalog = api.call(Method::Post, kUc + "/catalogs", {}, {{"name", "Sales"}, {"comment", "all sales"}});
    CHECK(catalog["name"] == "sales");  // names are kept lower-case
    CHECK(catalog["full_name"] == "sales");
    CHECK(catalog["comment"] == "all sales");
    CHECK(catalog["owner"].is_string());
    // a new catalog has a default schema
    CHECK(api.call(Method::Get, kUc + "/schemas/sales.default")["catalog_name"] == "sales");

    auto duplicate = error_of([&] { api.call(Method::Post, kUc + "/catalogs", {}, {{"name", "sales"}}); });
    CHECK(duplicate.http_status() == 409);
    CHECK(duplicate.error_code() == "CATALOG_ALREADY_EXISTS");

    auto schema = api.call(Method::Post, kUc + "/schemas", {}, {{"catalog_name", "sales"}, {"name", "raw"}, {"properties", {{"team", "a"}}}});
    CHECK(schema["full_name"] == "sales.raw");
    CHECK(schema["properties"]["team"] == "a");
    CHECK(schema["schema_id"].is_string());
    auto no_catalog = error_of([&] { api.call(Method::Post, kUc + "/schemas", {}, {{"catalog_name", "nope"}, {"name", "x"}}); });
    CHECK(no_catalog.http_status() == 404);
    CHECK(no_catalog.error_code() == "CATALOG_DOES_NOT_EXIST");

    auto volume = api.call(Method::Post, kUc + "/volumes", {},
                           {{"catalog_name", "sales"}, {"schema_name", "raw"}, {"name", "landing"}, {"volume_type", "MANAGED"}});
    CHECK(volume["full_name"] == "sales.raw.landing");
    CHECK(volume["volume_type"] == "MANAGED");
    CHECK(volume["storage_location"].get<std::string>().rfind("file://", 0) == 0);
    CHECK(std::filesystem::is_directory(root.path / "dbfs/Volumes/sales/raw/landing"));
    auto external = error_of([&] {
        api.call(Method::Post, kUc + "/volumes", {},
                 {{"catalog_name", "sales"}, {"schema_name", "raw"}, {"name", "ext"}, {"volume_type", "EXTERNAL"},
                  {"storage_location", "s3://bucket/x"}});
    });
    CHECK(external.error_code() == "INVALID_PARAMETER_VALUE");
    auto missing_type = error_of([&] {
        api.call(Method::Post, kUc + "/volumes", {}, {{"catalog_name", "sales"}, {"schema_name", "raw"}, {"name", "v2"}});
    });
    CHECK(missing_type.message() == "CreateVolume Missing required field: volume_type");
    auto bad_name = error_of([&] { api.call(Method::Post, kUc + "/catalogs", {}, {{"name", "a.b"}}); });
    CHECK(bad_name.error_code() == "INVALID_PARAMETER_VALUE");

    auto updated = api.call(Method::Patch, kUc + "/volumes/sales.raw.landing", {}, {{"comment", "files"}, {"new_name", "inbox"}});
    CHECK(updated["full_name"] == "sales.raw.inbox");
    CHECK(updated["comment"] == "files");
    CHECK(std::filesystem::is_directory(root.path / "dbfs/Volumes/sales/raw/inbox"));
    auto gone = error_of([&] { api.call(Method::Get, kUc + "/volumes/sales.raw.landing"); });
    CHECK(gone.http_status() == 404);
    CHECK(gone.error_code() == "NOT_FOUND");

    // a schema or catalog with something in it is deleted only with force
    auto not_empty = error_of([&] { api.call(Method::Delete, kUc + "/schemas/sales.raw"); });
    CHECK(not_empty.error_code() == "SCHEMA_NOT_EMPTY");
    auto catalog_not_empty = error_of([&] { api.call(Method::Delete, kUc + "/catalogs/sales"); });
    CHECK(catalog_not_empty.error_code() == "CATALOG_NOT_EMPTY");
    // renaming the catalog moves everything under it
    api.call(Method::Patch, kUc + "/catalogs/sales", {}, {{"new_name", "revenue"}});
    CHECK(api.call(Method::Get, kUc + "/volumes/revenue.raw.inbox")["catalog_name"] == "revenue");
    api.call(Method::Delete, kUc + "/catalogs/revenue", {{"force", "true"}});
    CHECK(error_of([&] { api.call(Method::Get, kUc + "/schemas/revenue.raw"); }).error_code() == "SCHEMA_DOES_NOT_EXIST");
    CHECK(!std::filesystem::exists(root.path / "dbfs/Volumes/revenue"));
}

TEST_CASE("lists page with max_results and page_token") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    for (auto name : {"a", "b", "c"}) api.call(Method::Post, kUc + "/catalogs", {}, {{"name", name}});
    auto first = api.call(Method::Get, kUc + "/catalogs", {{"max_results", "2"}});
    REQUIRE(first["catalogs"].size() == 2);
    CHECK(first["catalogs"][1]["name"] == "b");
    auto second = api.call(Method::Get, kUc + "/catalogs", {{"max_results", "2"}, {"page_token", first["next_page_token"].get<std::string>()}});
    REQUIRE(second["catalogs"].size() == 2);
    CHECK(second["catalogs"][1]["name"] == "main");
    CHECK(!second.contains("next_page_token"));
    CHECK(error_of([&] { api.call(Method::Get, kUc + "/catalogs", {{"max_results", "-1"}}); }).error_code() == "INVALID_PARAMETER_VALUE");
}

TEST_CASE("tables list nothing in a schema that exists") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    CHECK(api.call(Method::Get, kUc + "/tables", {{"catalog_name", "main"}, {"schema_name", "default"}}) == Json::object());
    CHECK(error_of([&] { api.call(Method::Get, kUc + "/tables", {{"catalog_name", "main"}, {"schema_name", "x"}}); })
              .error_code() == "SCHEMA_DOES_NOT_EXIST");
    CHECK(error_of([&] { api.call(Method::Get, kUc + "/tables/main.default.t"); }).error_code() == "TABLE_DOES_NOT_EXIST");
}

TEST_CASE("/Volumes paths need a volume that exists; main.default makes them on first use") {
    test::TempDir root;
    engine::LocalApi api(root.path);
    put_file(api, "/Volumes/main/default/landing/a.txt", "a");
    auto made = api.call(Method::Get, kUc + "/volumes/main.default.landing");
    CHECK(made["volume_type"] == "MANAGED");

    auto missing = error_of([&] { put_file(api, "/Volumes/other/s/v/a.txt", "a"); });
    CHECK(missing.http_status() == 404);
    CHECK(missing.message() == "Volume 'other.s.v' does not exist.");
    auto above = error_of([&] { api.call(Method::Post, "/api/2.0/dbfs/mkdirs", {}, {{"path", "/Volumes/main/newschema"}}); });
    CHECK(above.error_code() == "INVALID_PARAMETER_VALUE");
    auto dbfs_write = error_of([&] { api.call(Method::Post, "/api/2.0/dbfs/mkdirs", {}, {{"path", "dbfs:/Volumes/other/s/v/d"}}); });
    CHECK(dbfs_write.http_status() == 404);

    api.call(Method::Post, kUc + "/catalogs", {}, {{"name", "other"}});
    api.call(Method::Post, kUc + "/schemas", {}, {{"catalog_name", "other"}, {"name", "s"}});
    api.call(Method::Post, kUc + "/volumes", {}, {{"catalog_name", "other"}, {"schema_name", "s"}, {"name", "v"}, {"volume_type", "MANAGED"}});
    put_file(api, "/Volumes/other/s/v/a.txt", "a");
    CHECK(api.call(Method::Head, "/api/2.0/fs/files/Volumes/other/s/v/a.txt")["Content-Length"] == "1");
    auto root_delete = error_of([&] { api.call(Method::Delete, "/api/2.0/fs/directories/Volumes/other/s/v"); });
    CHECK(root_delete.error_code() == "INVALID_PARAMETER_VALUE");

    // a folder a task made under main.default with a plain mkdir is a volume when next looked at
    std::filesystem::create_directories(root.path / "dbfs/Volumes/main/default/from_task");
    auto listed = api.call(Method::Get, kUc + "/volumes", {{"catalog_name", "main"}, {"schema_name", "default"}});
    REQUIRE(listed["volumes"].size() == 2);
    CHECK(listed["volumes"][0]["name"] == "from_task");

    // deleting a volume deletes its files; afterwards its paths are gone
    api.call(Method::Delete, kUc + "/volumes/other.s.v");
    CHECK(error_of([&] { api.call(Method::Head, "/api/2.0/fs/files/Volumes/other/s/v/a.txt"); }).http_status() == 404);
    CHECK(!std::filesystem::exists(root.path / "dbfs/Volumes/other/s/v"));
}
