#include <catch2/catch.hpp>

#include <functional>

#include <nlohmann/json.hpp>

#include "api/api.hpp"
#include "engine/notebook/notebook.hpp"

using namespace brix::engine::notebook;
using Json = nlohmann::ordered_json;

namespace {

constexpr Language all_languages[] = {Language::Python, Language::Sql, Language::Scala, Language::R};

// The spec's example Python notebook, byte for byte as Databricks writes it (plus a final "\n").
const std::string python_example =
    "# Databricks notebook source\n"
    "# DBTITLE 1,Load\n"
    "x = 1\n"
    "\n"
    "# COMMAND ----------\n"
    "\n"
    "# MAGIC %md\n"
    "# MAGIC # Heading\n"
    "# MAGIC\n"
    "# MAGIC Some text\n"
    "\n"
    "# COMMAND ----------\n"
    "\n"
    "# MAGIC %sql\n"
    "# MAGIC SELECT 1\n";

// A canonical notebook with markdown, %sql, %run, %sh and titled cells in the given language.
std::string canonical_notebook(Language language) {
    const std::string c(comment_prefix(language));
    const std::string sep = "\n\n" + c + " COMMAND ----------\n\n";
    std::string own;
    std::string other;
    switch (language) {
        case Language::Python: own = "import os\n\nprint(os.getcwd())"; other = "%scala"; break;
        case Language::Sql: own = "SELECT 1;\nSELECT 2"; other = "%python"; break;
        case Language::Scala: own = "val x = 1\nprintln(x)"; other = "%python"; break;
        case Language::R: own = "x <- 1\nprint(x)"; other = "%python"; break;
    }
    return c + " Databricks notebook source\n" +
           c + " MAGIC %md\n" + c + " MAGIC # Heading\n" + c + " MAGIC\n" + c + " MAGIC Some *text*" + sep +
           c + " DBTITLE 1,Load data\n" + own + sep +
           c + " MAGIC %sql\n" + c + " MAGIC SELECT *\n" + c + " MAGIC FROM t" + sep +
           c + " MAGIC %run ./setup $env=\"dev\"" + sep +
           c + " DBTITLE 0,i18n-1234\n" + c + " MAGIC %sh -e\n" + c + " MAGIC ls -la\n" + c + " MAGIC" + sep +
           c + " MAGIC " + other + "\n" + c + " MAGIC y = 2" + sep +
           c + " MAGIC %md-sandbox\n" + c + " MAGIC <b>bold</b>" + sep +
           own + "\n";
}

void require_api_error(const std::function<void()>& action, const std::string& message_part) {
    try {
        action();
        FAIL("expected ApiError");
    } catch (const brix::api::ApiError& error) {
        CHECK(error.error_code() == "INVALID_PARAMETER_VALUE");
        CHECK(error.http_status() == 400);
        CHECK_THAT(error.message(), Catch::Contains(message_part));
    }
}

void require_same_cells(const std::vector<Cell>& actual, const std::vector<Cell>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        INFO("cell " << i);
        CHECK(actual[i].title == expected[i].title);
        if (expected[i].title) CHECK(actual[i].show_title == expected[i].show_title);
        CHECK(actual[i].magic == expected[i].magic);
        CHECK(actual[i].text == expected[i].text);
    }
}

std::string jupyter_doc(const Json& metadata, const Json& cells) {
    return Json{{"cells", cells}, {"metadata", metadata}, {"nbformat", 4}, {"nbformat_minor", 0}}.dump();
}

}  // namespace

TEST_CASE("language names, extensions and headers", "[notebook]") {
    CHECK(language_from_name("PYTHON") == Language::Python);
    CHECK(language_from_name("python") == Language::Python);
    CHECK(language_from_name("Sql") == Language::Sql);
    CHECK(language_from_name("scala") == Language::Scala);
    CHECK(language_from_name("r") == Language::R);
    CHECK_FALSE(language_from_name("py").has_value());
    CHECK_FALSE(language_from_name("").has_value());
    CHECK_FALSE(language_from_name("PYTHONX").has_value());

    CHECK(language_name(Language::Python) == "PYTHON");
    CHECK(language_name(Language::Sql) == "SQL");
    CHECK(language_name(Language::Scala) == "SCALA");
    CHECK(language_name(Language::R) == "R");

    CHECK(extension_for(Language::Python) == ".py");
    CHECK(extension_for(Language::Sql) == ".sql");
    CHECK(extension_for(Language::Scala) == ".scala");
    CHECK(extension_for(Language::R) == ".r");

    CHECK(language_from_extension("/a/b/nb.py") == Language::Python);
    CHECK(language_from_extension("q.sql") == Language::Sql);
    CHECK(language_from_extension("Q.SQL") == Language::Sql);
    CHECK(language_from_extension("x.scala") == Language::Scala);
    CHECK(language_from_extension("x.r") == Language::R);
    CHECK(language_from_extension("x.R") == Language::R);
    CHECK(language_from_extension("archive.tar.py") == Language::Python);
    CHECK_FALSE(language_from_extension("x.ipynb").has_value());
    CHECK_FALSE(language_from_extension("x.pyc").has_value());
    CHECK_FALSE(language_from_extension("Makefile").has_value());
    CHECK_FALSE(language_from_extension("dir.py/file").has_value());

    CHECK(source_header(Language::Python) == "# Databricks notebook source");
    CHECK(source_header(Language::R) == "# Databricks notebook source");
    CHECK(source_header(Language::Scala) == "// Databricks notebook source");
    CHECK(source_header(Language::Sql) == "-- Databricks notebook source");
    CHECK(comment_prefix(Language::Sql) == "--");
}

TEST_CASE("the header must be the exact first line", "[notebook]") {
    CHECK(has_source_header("# Databricks notebook source\nx = 1\n", Language::Python));
    CHECK(has_source_header("# Databricks notebook source", Language::Python));
    CHECK(has_source_header("# Databricks notebook source\r\nx = 1\r\n", Language::R));
    CHECK(has_source_header("-- Databricks notebook source\n", Language::Sql));
    CHECK_FALSE(has_source_header("-- Databricks notebook source\n", Language::Python));
    CHECK_FALSE(has_source_header("# Databricks notebook source \nx", Language::Python));
    CHECK_FALSE(has_source_header(" # Databricks notebook source\n", Language::Python));
    CHECK_FALSE(has_source_header("\n# Databricks notebook source\n", Language::Python));
    CHECK_FALSE(has_source_header("", Language::Python));
}

TEST_CASE("AUTO detection needs extension and header to agree", "[notebook]") {
    CHECK(detect_source_notebook("/x/Foo.py", "# Databricks notebook source\nprint(1)\n") == Language::Python);
    CHECK(detect_source_notebook("Foo.r", "# Databricks notebook source\nprint(1)\n") == Language::R);
    CHECK(detect_source_notebook("Foo.scala", "// Databricks notebook source\n") == Language::Scala);
    CHECK(detect_source_notebook("Foo.sql", "-- Databricks notebook source\r\nSELECT 1") == Language::Sql);
    CHECK_FALSE(detect_source_notebook("Foo.py", "print(1)\n").has_value());
    CHECK_FALSE(detect_source_notebook("Foo.scala", "# Databricks notebook source\n").has_value());
    CHECK_FALSE(detect_source_notebook("Foo.txt", "# Databricks notebook source\n").has_value());
    CHECK_FALSE(detect_source_notebook("Foo", "# Databricks notebook source\n").has_value());
}

TEST_CASE("Jupyter detection", "[notebook]") {
    CHECK(looks_like_jupyter(R"({"cells": [], "metadata": {}, "nbformat": 4})"));
    CHECK_FALSE(looks_like_jupyter(R"({"cells": []})"));
    CHECK_FALSE(looks_like_jupyter(R"({"metadata": {}})"));
    CHECK_FALSE(looks_like_jupyter(R"([{"cells": [], "metadata": {}}])"));
    CHECK_FALSE(looks_like_jupyter(R"({"cells": [], "metadata": {})"));
    CHECK_FALSE(looks_like_jupyter("# Databricks notebook source\n"));
    CHECK_FALSE(looks_like_jupyter(""));
}

TEST_CASE("with_source_header prepends only when missing", "[notebook]") {
    CHECK(with_source_header("print(1)\n", Language::Python) == "# Databricks notebook source\nprint(1)\n");
    CHECK(with_source_header("SELECT 1", Language::Sql) == "-- Databricks notebook source\nSELECT 1");
    CHECK(with_source_header("", Language::Scala) == "// Databricks notebook source\n");
    CHECK(with_source_header("# Databricks notebook source\nx\n", Language::Python) ==
          "# Databricks notebook source\nx\n");
}

TEST_CASE("a UTF-8 byte order mark is not part of a notebook", "[notebook]") {
    const std::string bom = "\xEF\xBB\xBF";
    CHECK(without_bom(bom + "x") == "x");
    CHECK(without_bom("x" + bom) == "x" + bom);
    CHECK(with_source_header(bom + "print(1)\n", Language::Python) == "# Databricks notebook source\nprint(1)\n");
    CHECK(with_source_header(bom + "# Databricks notebook source\nx\n", Language::Python) == "# Databricks notebook source\nx\n");
    CHECK(detect_source_notebook("a.py", bom + "# Databricks notebook source\nx\n") == Language::Python);
    auto cells = parse_source(bom + "# Databricks notebook source\nprint(1)\n", Language::Python);
    REQUIRE(cells.size() == 1);
    CHECK(cells[0].text == "print(1)");
    CHECK(cells[0].first_line == 2);
}

TEST_CASE("split_lines and is_magic_line", "[notebook]") {
    CHECK(split_lines("").empty());
    CHECK(split_lines("a") == std::vector<std::string>{"a"});
    CHECK(split_lines("a\n") == std::vector<std::string>{"a", ""});
    CHECK(split_lines("a\r\nb\r\n\r\nc") == std::vector<std::string>{"a", "b", "", "c"});

    CHECK(is_magic_line("%md"));
    CHECK(is_magic_line("%run ./x"));
    CHECK_FALSE(is_magic_line("%"));
    CHECK_FALSE(is_magic_line("%%sql"));
    CHECK_FALSE(is_magic_line("%>% filter(x)"));
    CHECK_FALSE(is_magic_line(" %md"));
}

TEST_CASE("parse_source splits the spec example into cells", "[notebook]") {
    const auto cells = parse_source(python_example, Language::Python);
    REQUIRE(cells.size() == 3);

    CHECK(cells[0].title == std::optional<std::string>("Load"));
    CHECK(cells[0].show_title);
    CHECK(cells[0].magic.empty());
    CHECK(cells[0].text == "x = 1");
    CHECK(cells[0].first_line == 3);

    CHECK_FALSE(cells[1].title.has_value());
    CHECK(cells[1].magic == "md");
    CHECK(cells[1].text == "# Heading\n\nSome text");
    CHECK(cells[1].first_line == 8);

    CHECK(cells[2].magic == "sql");
    CHECK(cells[2].text == "SELECT 1");
    CHECK(cells[2].first_line == 15);
}

TEST_CASE("parse_source handles magics, titles and older exports", "[notebook]") {
    SECTION("%run keeps its argument on the magic line") {
        const auto cells = parse_source("# Databricks notebook source\n# MAGIC %run ./lib/setup $x=\"1\"\n",
                                        Language::Python);
        REQUIRE(cells.size() == 1);
        CHECK(cells[0].magic == "run");
        CHECK(cells[0].text == "./lib/setup $x=\"1\"");
        CHECK(cells[0].first_line == 2);
    }
    SECTION("flags after %sh stay the first text line") {
        const auto cells = parse_source("# MAGIC %sh -e\n# MAGIC ls\n# MAGIC pwd", Language::Python);
        REQUIRE(cells.size() == 1);
        CHECK(cells[0].magic == "sh");
        CHECK(cells[0].text == "-e\nls\npwd");
        CHECK(cells[0].first_line == 1);
    }
    SECTION("CRLF, older '# MAGIC ' blank lines and a hidden title") {
        const std::string source =
            "# Databricks notebook source\r\n"
            "# DBTITLE 0,i18n-abc\r\n"
            "# MAGIC %md\r\n"
            "# MAGIC A\r\n"
            "# MAGIC \r\n"
            "# MAGIC B\r\n"
            "\r\n"
            "# COMMAND ----------\r\n"
            "\r\n"
            "y = 2\r\n";
        const auto cells = parse_source(source, Language::Python);
        REQUIRE(cells.size() == 2);
        CHECK(cells[0].title == std::optional<std::string>("i18n-abc"));
        CHECK_FALSE(cells[0].show_title);
        CHECK(cells[0].magic == "md");
        CHECK(cells[0].text == "A\n\nB");
        CHECK(cells[0].first_line == 4);
        CHECK(cells[1].text == "y = 2");
        CHECK(cells[1].first_line == 10);
    }
    SECTION("a blank MAGIC line before the magic and an indented separator") {
        const std::string source =
            "# MAGIC \n"
            "# MAGIC %md-sandbox\n"
            "# MAGIC <div>x</div>\n"
            "  # COMMAND ----------  \n"
            "z = 3";
        const auto cells = parse_source(source, Language::Python);
        REQUIRE(cells.size() == 2);
        CHECK(cells[0].magic == "md-sandbox");
        CHECK(cells[0].text == "<div>x</div>");
        CHECK(cells[0].first_line == 3);
        CHECK(cells[1].text == "z = 3");
        CHECK(cells[1].first_line == 5);
    }
    SECTION("an unprefixed own-language magic line is dropped, another language's is kept") {
        const std::string source =
            "# Databricks notebook source\n"
            "%python\n"
            "x = 1\n"
            "# COMMAND ----------\n"
            "%sql\n"
            "SELECT 1\n";
        const auto cells = parse_source(source, Language::Python);
        REQUIRE(cells.size() == 2);
        CHECK(cells[0].magic.empty());
        CHECK(cells[0].text == "x = 1");
        CHECK(cells[0].first_line == 3);
        CHECK(cells[1].magic == "sql");
        CHECK(cells[1].text == "SELECT 1");
    }
    SECTION("a prefixed own-language magic stays a magic") {
        const auto cells = parse_source("-- MAGIC %sql\n-- MAGIC SELECT 1", Language::Sql);
        REQUIRE(cells.size() == 1);
        CHECK(cells[0].magic == "sql");
        CHECK(cells[0].text == "SELECT 1");
    }
    SECTION("own-language code keeps inner blank lines and comments verbatim") {
        const auto cells = parse_source(
            "# Databricks notebook source\n\n\nimport os\n\n# MAGICAL comment\nprint(1)\n\n\n", Language::Python);
        REQUIRE(cells.size() == 1);
        CHECK(cells[0].magic.empty());
        CHECK(cells[0].text == "import os\n\n# MAGICAL comment\nprint(1)");
        CHECK(cells[0].first_line == 4);
    }
    SECTION("a malformed DBTITLE line is code") {
        const auto cells = parse_source("# DBTITLE x,y\nprint(1)", Language::Python);
        REQUIRE(cells.size() == 1);
        CHECK_FALSE(cells[0].title.has_value());
        CHECK(cells[0].text == "# DBTITLE x,y\nprint(1)");
    }
    SECTION("a title with an empty text") {
        const auto cells = parse_source("# DBTITLE 1,\nprint(1)", Language::Python);
        REQUIRE(cells.size() == 1);
        CHECK(cells[0].title == std::optional<std::string>(""));
        CHECK(cells[0].text == "print(1)");
        CHECK(cells[0].first_line == 2);
    }
    SECTION("an empty hidden title does not survive Jupyter") {
        // Found by fuzz_notebook, and documented in notebook.hpp: Jupyter metadata says
        // "untitled" with exactly what "DBTITLE 0," means.
        const auto source = std::string("# Databricks notebook source\n# DBTITLE 0,\nL\n");
        CHECK(render_source(parse_source(source, Language::Python), Language::Python) == source);
        CHECK(jupyter_to_source(source_to_jupyter(source, Language::Python, "nb"), std::nullopt).source ==
              "# Databricks notebook source\nL\n");
    }
    SECTION("Scala, SQL and R markup") {
        const auto scala = parse_source(
            "// Databricks notebook source\nval x = 1\n\n// COMMAND ----------\n\n// MAGIC %python\n// MAGIC y = 2",
            Language::Scala);
        REQUIRE(scala.size() == 2);
        CHECK(scala[0].text == "val x = 1");
        CHECK(scala[1].magic == "python");
        CHECK(scala[1].text == "y = 2");
        CHECK(scala[1].first_line == 7);

        const auto sql = parse_source("-- Databricks notebook source\n-- DBTITLE 1,Q\nSELECT 1;\nSELECT 2", Language::Sql);
        REQUIRE(sql.size() == 1);
        CHECK(sql[0].title == std::optional<std::string>("Q"));
        CHECK(sql[0].text == "SELECT 1;\nSELECT 2");

        const auto r = parse_source("# Databricks notebook source\n# MAGIC %sql\n# MAGIC SELECT 1\n", Language::R);
        REQUIRE(r.size() == 1);
        CHECK(r[0].magic == "sql");
    }
    SECTION("the header of another language is content, not a header") {
        const auto cells = parse_source("# Databricks notebook source\nSELECT 1", Language::Sql);
        REQUIRE(cells.size() == 1);
        CHECK(cells[0].text == "# Databricks notebook source\nSELECT 1");
        CHECK(cells[0].first_line == 1);
    }
    SECTION("empty notebooks and empty cells") {
        CHECK(parse_source("", Language::Python).empty());
        CHECK(parse_source("# Databricks notebook source\n", Language::Python).empty());
        CHECK(parse_source("# Databricks notebook source\n\n  \n", Language::Python).empty());
        const auto cells = parse_source("# Databricks notebook source\n\n# COMMAND ----------\n\nx\n", Language::Python);
        REQUIRE(cells.size() == 2);
        CHECK(cells[0].text.empty());
        CHECK(cells[0].magic.empty());
        CHECK(cells[1].text == "x");
        CHECK(cells[1].first_line == 5);
    }
}

TEST_CASE("render_source writes canonical text", "[notebook]") {
    SECTION("the spec example") {
        const std::vector<Cell> cells{
            {"Load", true, "", "x = 1", 0},
            {std::nullopt, true, "md", "# Heading\n\nSome text", 0},
            {std::nullopt, true, "sql", "SELECT 1", 0},
        };
        CHECK(render_source(cells, Language::Python) == python_example);
    }
    SECTION("inline and block magics in SQL") {
        const std::vector<Cell> cells{
            {std::nullopt, true, "run", "./x $a=\"b\"", 0},
            {"hidden", false, "sh", "-e\nls", 0},
            {std::nullopt, true, "sh", "ls\npwd", 0},
            {std::nullopt, true, "python", "print(1)\n\nprint(2)", 0},
            {std::nullopt, true, "pip", "install requests", 0},
            {std::nullopt, true, "md", "", 0},
            {std::nullopt, true, "", "SELECT 1", 0},
        };
        CHECK(render_source(cells, Language::Sql) ==
              "-- Databricks notebook source\n"
              "-- MAGIC %run ./x $a=\"b\"\n"
              "\n-- COMMAND ----------\n\n"
              "-- DBTITLE 0,hidden\n"
              "-- MAGIC %sh -e\n"
              "-- MAGIC ls\n"
              "\n-- COMMAND ----------\n\n"
              "-- MAGIC %sh\n"
              "-- MAGIC ls\n"
              "-- MAGIC pwd\n"
              "\n-- COMMAND ----------\n\n"
              "-- MAGIC %python\n"
              "-- MAGIC print(1)\n"
              "-- MAGIC\n"
              "-- MAGIC print(2)\n"
              "\n-- COMMAND ----------\n\n"
              "-- MAGIC %pip install requests\n"
              "\n-- COMMAND ----------\n\n"
              "-- MAGIC %md\n"
              "\n-- COMMAND ----------\n\n"
              "SELECT 1\n");
    }
    SECTION("no cells is just the header") {
        CHECK(render_source({}, Language::Scala) == "// Databricks notebook source\n");
    }
    SECTION("parse_source(render_source(x)) == x in every language") {
        const std::vector<Cell> cells{
            {"Title, with comma", true, "", "a = 1\n\nb = 2", 0},
            {std::nullopt, true, "md", "# H\n\n* item\n", 0},
            {"", false, "sql", "SELECT *\nFROM t", 0},
            {std::nullopt, true, "run", "../shared/lib", 0},
            {std::nullopt, true, "run", "  odd spacing", 0},
            {std::nullopt, true, "sh", "-e\necho hi", 0},
            {std::nullopt, true, "fs", "ls /tmp", 0},
            {std::nullopt, true, "md-sandbox", "<b>x</b>", 0},
            {std::nullopt, true, "scala", "", 0},
            {std::nullopt, true, "", "", 0},
            {std::nullopt, true, "", "last()", 0},
        };
        for (Language language : all_languages) {
            INFO(language_name(language));
            require_same_cells(parse_source(render_source(cells, language), language), cells);
        }
    }
}

TEST_CASE("source_to_jupyter writes nbformat 4 with Databricks metadata", "[notebook]") {
    const auto doc = Json::parse(source_to_jupyter(python_example, Language::Python, "My Notebook"));
    CHECK(doc["nbformat"] == 4);
    CHECK(doc["metadata"]["application/vnd.databricks.v1+notebook"]["language"] == "python");
    CHECK(doc["metadata"]["application/vnd.databricks.v1+notebook"]["notebookName"] == "My Notebook");
    CHECK_FALSE(doc["metadata"].contains("brix"));

    const auto& cells = doc["cells"];
    REQUIRE(cells.size() == 3);
    CHECK(cells[0]["cell_type"] == "code");
    CHECK(cells[0]["source"] == Json::array({"x = 1"}));
    CHECK(cells[0]["outputs"] == Json::array());
    CHECK(cells[0]["execution_count"].is_null());
    CHECK(cells[0]["metadata"]["application/vnd.databricks.v1+cell"] == Json{{"showTitle", true}, {"title", "Load"}});

    CHECK(cells[1]["cell_type"] == "markdown");
    CHECK(cells[1]["source"] == Json::array({"# Heading\n", "\n", "Some text"}));
    CHECK_FALSE(cells[1].contains("outputs"));
    CHECK(cells[1]["metadata"]["application/vnd.databricks.v1+cell"] == Json{{"showTitle", false}, {"title", ""}});

    CHECK(cells[2]["cell_type"] == "code");
    CHECK(cells[2]["source"] == Json::array({"%sql\n", "SELECT 1"}));

    const auto sql = Json::parse(source_to_jupyter(
        "-- Databricks notebook source\nSELECT 1\n\n-- COMMAND ----------\n\n-- MAGIC %python\n-- MAGIC x = 1",
        Language::Sql, "q"));
    CHECK(sql["metadata"]["application/vnd.databricks.v1+notebook"]["language"] == "sql");
    CHECK(sql["metadata"]["brix"]["sourceTrailingNewline"] == false);
    CHECK(sql["cells"][0]["source"] == Json::array({"SELECT 1"}));
    CHECK(sql["cells"][1]["source"] == Json::array({"%python\n", "x = 1"}));
}

TEST_CASE("source -> jupyter -> source is exact for canonical notebooks", "[notebook]") {
    for (Language language : all_languages) {
        INFO(language_name(language));
        const auto source = canonical_notebook(language);
        const auto back = jupyter_to_source(source_to_jupyter(source, language, "nb"), std::nullopt);
        CHECK(back.language == language);
        CHECK(back.source == source);

        const auto without_newline = source.substr(0, source.size() - 1);
        const auto back2 = jupyter_to_source(source_to_jupyter(without_newline, language, "nb"), std::nullopt);
        CHECK(back2.source == without_newline);

        CHECK(render_source(parse_source(source, language), language) == source);
    }
    CHECK(jupyter_to_source(source_to_jupyter(python_example, Language::Python, "x"), Language::Sql).source ==
          python_example);
}

TEST_CASE("the canonical notebook's cells in every language", "[notebook]") {
    for (Language language : all_languages) {
        INFO(language_name(language));
        const auto cells = parse_source(canonical_notebook(language), language);
        REQUIRE(cells.size() == 8);
        CHECK(cells[0].magic == "md");
        CHECK(cells[0].text == "# Heading\n\nSome *text*");
        CHECK(cells[1].title == std::optional<std::string>("Load data"));
        CHECK(cells[1].magic.empty());
        CHECK(cells[2].magic == "sql");
        CHECK(cells[2].text == "SELECT *\nFROM t");
        CHECK(cells[3].magic == "run");
        CHECK(cells[3].text == "./setup $env=\"dev\"");
        CHECK(cells[4].title == std::optional<std::string>("i18n-1234"));
        CHECK_FALSE(cells[4].show_title);
        CHECK(cells[4].magic == "sh");
        CHECK(cells[4].text == "-e\nls -la\n");
        CHECK(cells[5].text == "y = 2");
        CHECK(cells[6].magic == "md-sandbox");
        CHECK(cells[7].text == cells[1].text);
        CHECK(cells[0].first_line == 3);
        CHECK(cells[1].first_line == 10);
    }
}

TEST_CASE("jupyter_to_source reads foreign and Databricks notebooks", "[notebook]") {
    SECTION("string and list sources give the same text") {
        const Json metadata{{"application/vnd.databricks.v1+notebook", {{"language", "python"}}}};
        const auto as_list = jupyter_doc(metadata, Json::array({
            {{"cell_type", "markdown"}, {"metadata", Json::object()}, {"source", {"# Title\n", "\n", "text"}}},
            {{"cell_type", "code"}, {"metadata", Json::object()}, {"source", {"x = 1\n", "print(x)"}}},
            {{"cell_type", "code"}, {"metadata", Json::object()}, {"source", {"%sh\n", "ls"}}},
        }));
        const auto as_string = jupyter_doc(metadata, Json::array({
            {{"cell_type", "markdown"}, {"source", "# Title\n\ntext"}},
            {{"cell_type", "code"}, {"source", "x = 1\nprint(x)"}},
            {{"cell_type", "code"}, {"source", "%sh\nls"}},
        }));
        const std::string expected =
            "# Databricks notebook source\n"
            "# MAGIC %md\n# MAGIC # Title\n# MAGIC\n# MAGIC text\n"
            "\n# COMMAND ----------\n\n"
            "x = 1\nprint(x)\n"
            "\n# COMMAND ----------\n\n"
            "# MAGIC %sh\n# MAGIC ls\n";
        CHECK(jupyter_to_source(as_list, std::nullopt).source == expected);
        CHECK(jupyter_to_source(as_string, std::nullopt).source == expected);
    }
    SECTION("language: Databricks metadata, then language_info, then the hint, then Python") {
        const Json cells = Json::array({{{"cell_type", "code"}, {"source", "1"}}});
        const Json databricks{{"application/vnd.databricks.v1+notebook", {{"language", "scala"}}},
                              {"language_info", {{"name", "python"}}}};
        CHECK(jupyter_to_source(jupyter_doc(databricks, cells), Language::R).language == Language::Scala);
        const Json info{{"language_info", {{"name", "R"}}}};
        CHECK(jupyter_to_source(jupyter_doc(info, cells), Language::Sql).language == Language::R);
        CHECK(jupyter_to_source(jupyter_doc(Json::object(), cells), Language::Sql).language == Language::Sql);
        const auto imported = jupyter_to_source(jupyter_doc(Json::object(), cells), std::nullopt);
        CHECK(imported.language == Language::Python);
        CHECK(imported.source == "# Databricks notebook source\n1\n");
        const Json unknown{{"application/vnd.databricks.v1+notebook", {{"language", "julia"}}}};
        CHECK(jupyter_to_source(jupyter_doc(unknown, cells), Language::Sql).language == Language::Sql);
    }
    SECTION("titles and SQL markup") {
        const Json metadata{{"application/vnd.databricks.v1+notebook", {{"language", "sql"}}}};
        const auto title = [](const Json& value) {
            return Json{{"application/vnd.databricks.v1+cell", value}};
        };
        const auto doc = jupyter_doc(metadata, Json::array({
            {{"cell_type", "code"}, {"metadata", title({{"title", "Count"}, {"showTitle", true}})}, {"source", "SELECT 1"}},
            {{"cell_type", "code"}, {"metadata", title({{"title", "tag"}, {"showTitle", false}})}, {"source", "%python\nx"}},
            {{"cell_type", "code"}, {"metadata", title({{"title", ""}, {"showTitle", false}})}, {"source", "SELECT 2"}},
            {{"cell_type", "code"}, {"metadata", title({{"title", "only"}})}, {"source", "SELECT 3"}},
        }));
        CHECK(jupyter_to_source(doc, std::nullopt).source ==
              "-- Databricks notebook source\n"
              "-- DBTITLE 1,Count\nSELECT 1\n"
              "\n-- COMMAND ----------\n\n"
              "-- DBTITLE 0,tag\n-- MAGIC %python\n-- MAGIC x\n"
              "\n-- COMMAND ----------\n\n"
              "SELECT 2\n"
              "\n-- COMMAND ----------\n\n"
              "-- DBTITLE 1,only\nSELECT 3\n");
    }
    SECTION("Jupyter cell magics and empty notebooks") {
        const auto doc = jupyter_doc(Json::object(), Json::array({
            {{"cell_type", "code"}, {"source", "%%time\nx = 1"}},
            {{"cell_type", "markdown"}, {"source", Json::array()}},
        }));
        CHECK(jupyter_to_source(doc, std::nullopt).source ==
              "# Databricks notebook source\n%%time\nx = 1\n\n# COMMAND ----------\n\n# MAGIC %md\n");
        CHECK(jupyter_to_source(jupyter_doc(Json::object(), Json::array()), Language::Scala).source ==
              "// Databricks notebook source\n");
    }
}

TEST_CASE("malformed Jupyter input is INVALID_PARAMETER_VALUE", "[notebook]") {
    require_api_error([] { jupyter_to_source("{not json", std::nullopt); }, "not valid JSON");
    require_api_error([] { jupyter_to_source("", std::nullopt); }, "not valid JSON");
    require_api_error([] { jupyter_to_source("[1, 2]", std::nullopt); }, "not a JSON object");
    require_api_error([] { jupyter_to_source(R"({"metadata": {}})", std::nullopt); }, "cells");
    require_api_error([] { jupyter_to_source(R"({"cells": {}, "metadata": {}})", std::nullopt); }, "cells");
    require_api_error([] { jupyter_to_source(R"({"cells": [42], "metadata": {}})", std::nullopt); },
                      "cell 0 is not an object");
    require_api_error(
        [] { jupyter_to_source(R"({"cells": [{"cell_type": "code", "source": 7}], "metadata": {}})", std::nullopt); },
        "cell 0 has a source");
    require_api_error(
        [] {
            jupyter_to_source(R"({"cells": [{"source": "x"}, {"cell_type": "code", "source": ["a", 1]}]})",
                              std::nullopt);
        },
        "cell 1 has a source list");
    require_api_error([] { jupyter_to_source(R"({"cells": [{"cell_type": 3}]})", std::nullopt); }, "cell_type");
}

// Found by fuzz_notebook: a code cell whose first line is the comment "# MAGIC x" (or, untitled,
// "# DBTITLE 1,x"), or with a "# COMMAND ----------" line, was written as is and read back as
// markup, so the code that ran lost it or was split in two.
TEST_CASE("code that looks like markup survives render_source and Jupyter import", "[notebook]") {
    for (const char* code : {"# MAGIC numbers below\nx = 1", "# MAGIC", "# DBTITLE 1,not a title\nx = 1",
                             "x = 1\n# COMMAND ----------\ny = 2"}) {
        INFO(code);
        const std::vector<Cell> cells{Cell{std::nullopt, true, "", code, 0}};
        const auto source = render_source(cells, Language::Python);
        const auto parsed = parse_source(source, Language::Python);
        REQUIRE(parsed.size() == 1);
        CHECK_FALSE(parsed[0].title.has_value());
        CHECK(parsed[0].magic.empty());
        CHECK(parsed[0].text == code);
        CHECK(jupyter_to_source(source_to_jupyter(source, Language::Python, "nb"), std::nullopt).source == source);

        const auto ipynb = Json{{"cells", Json::array({Json{{"cell_type", "code"}, {"source", code}}})}, {"metadata", Json::object()}};
        const auto imported = jupyter_to_source(ipynb.dump(), std::nullopt);
        const auto from_jupyter = parse_source(imported.source, Language::Python);
        REQUIRE(from_jupyter.size() == 1);
        CHECK(from_jupyter[0].text == code);
    }
    // A title written by Databricks keeps the code after it as it was.
    const auto titled = parse_source("# DBTITLE 1,t\n# MAGIC x", Language::Python);
    REQUIRE(titled.size() == 1);
    CHECK(titled[0].title == std::optional<std::string>("t"));
    CHECK(titled[0].text == "x");
}
