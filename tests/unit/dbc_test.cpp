// DBC archives: the ZIP layer (stored and deflated entries, checksums, refusals) and the notebook
// documents, SOURCE text through DBC and back.
#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include "engine/notebook/dbc.hpp"
#include "engine/notebook/zip_archive.hpp"

using namespace brix::engine::notebook;
using brix::test::error_of;

TEST_CASE("zip archives round-trip entries, and broken ones are refused") {
    std::string big(100000, 'x');
    auto archive = write_zip({{"folder/", ""}, {"folder/a.txt", "hello"}, {"b.bin", big}});
    CHECK(archive.size() < big.size());  // deflated
    auto entries = read_zip(archive, 1 << 20);
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].name == "folder/");
    CHECK(entries[1].data == "hello");
    CHECK(entries[2].data == big);

    CHECK(error_of([&] { read_zip("not a zip archive at all, certainly", 1 << 20); }).message().find("not a ZIP") !=
          std::string::npos);
    CHECK(error_of([&] { read_zip(archive, 1000); }).message().find("unpacks to more than 1000 bytes") != std::string::npos);
    auto corrupt = archive;
    corrupt[40] ^= 0x5a;  // inside the first file's data
    CHECK(error_of([&] { read_zip(corrupt, 1 << 20); }).error_code() == "INVALID_PARAMETER_VALUE");
}

TEST_CASE("notebooks go through DBC and come back as the same SOURCE text") {
    std::string source = "# Databricks notebook source\nx = 1\n\n# COMMAND ----------\n\n# DBTITLE 1,Notes\n# MAGIC %md\n"
                         "# MAGIC # Title\n\n# COMMAND ----------\n\nprint(x)\n";
    DbcArchive archive;
    archive.folders = {"proj"};
    archive.notebooks = {{"proj/etl", Language::Python, source}, {"proj/q", Language::Sql, "-- Databricks notebook source\nSELECT 1\n"}};
    auto back = read_dbc(write_dbc(archive), 1 << 20);
    REQUIRE(back.notebooks.size() == 2);
    CHECK(back.folders == std::vector<std::string>{"proj"});
    CHECK(back.notebooks[0].path == "proj/etl");
    CHECK(back.notebooks[0].language == Language::Python);
    CHECK(back.notebooks[0].source == source);
    CHECK(back.notebooks[1].language == Language::Sql);
    CHECK(back.notebooks[1].source == "-- Databricks notebook source\nSELECT 1\n");
}

TEST_CASE("DBC entries that are not notebooks are skipped; bad ones refused") {
    auto only_text = write_zip({{"readme.txt", "x"}});
    CHECK(read_dbc(only_text, 1 << 20).notebooks.empty());
    CHECK(error_of([&] { read_dbc(write_zip({{"nb.python", "{not json"}}), 1 << 20); }).message() ==
          "Invalid DBC archive: nb.python is not a JSON notebook");
    CHECK(error_of([&] { read_dbc(write_zip({{"../nb.python", "{}"}}), 1 << 20); }).error_code() == "INVALID_PARAMETER_VALUE");
}
