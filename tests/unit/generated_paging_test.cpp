// Generated list commands read every page in the route's style and stop on a server that repeats
// itself; their text tables pick id, name and state columns; `brix api` turns PATH and --json into
// the request the Go CLI sends. All against a scripted Api.
#include <catch2/catch.hpp>

#include <functional>

#include "cli/context.hpp"
#include "commands/api_command/raw_request.hpp"
#include "commands/generated/list_output.hpp"
#include "commands/generated/pager.hpp"
#include "tests/unit/scripted_api.hpp"

using namespace brix;
using namespace brix::commands::generated;
using api::Json;

namespace {

Json numbered(int from, int count) {
    Json items = Json::array();
    for (int i = from; i < from + count; ++i) items.push_back({{"id", std::to_string(i)}});
    return items;
}

api::Request get(std::string path, api::Query query = {}) { return {api::Method::Get, std::move(path), std::move(query), nullptr}; }

}  // namespace

TEST_CASE("token paging follows next_page_token to the end, in the query or the body") {
    testing::ScriptedApi api;
    api.handler = [](const api::Request& request) {
        auto token = request.param("page_token").value_or("");
        if (token.empty()) return Json{{"catalogs", numbered(0, 2)}, {"next_page_token", "a"}};
        if (token == "a") return Json{{"catalogs", Json::array()}, {"next_page_token", "b"}};  // an empty page is not the end
        return Json{{"catalogs", numbered(2, 1)}};
    };
    auto items = list_all(api, {Paging::Token, FieldPlace::Query}, get("/api/2.1/unity-catalog/catalogs", {{"max_results", "2"}}), std::nullopt);
    CHECK(items == numbered(0, 3));
    REQUIRE(api.requests.size() == 3);
    CHECK(api.requests[2].query == api::Query{{"max_results", "2"}, {"page_token", "b"}});

    testing::ScriptedApi search;
    search.handler = [](const api::Request& request) {
        return request.body.contains("page_token") ? Json{{"runs", numbered(5, 1)}} : Json{{"runs", numbered(4, 1)}, {"next_page_token", "t"}};
    };
    api::Request post{api::Method::Post, "/api/2.0/mlflow/runs/search", {}, Json{{"experiment_ids", {"1"}}}};
    CHECK(list_all(search, {Paging::Token, FieldPlace::Body}, post, std::nullopt) == numbered(4, 2));
    CHECK(search.requests[1].body == Json{{"experiment_ids", {"1"}}, {"page_token", "t"}});
}

TEST_CASE("a page token that comes back again stops the listing with an error") {
    testing::ScriptedApi api;
    api.handler = [](const api::Request& request) {
        // Pages "", "x", "y", then "x" again.
        auto token = request.param("page_token").value_or("");
        return Json{{"items", numbered(static_cast<int>(token.size()), 1)}, {"next_page_token", token == "x" ? "y" : "x"}};
    };
    CHECK_THROWS_WITH(list_all(api, {Paging::Token, FieldPlace::Query}, get("/api/x"), std::nullopt),
                      Catch::Contains("page token \"x\" a second time"));
    CHECK(api.requests.size() == 3);
}

TEST_CASE("SCIM listings count startIndex up by what was read, until totalResults") {
    testing::ScriptedApi api;
    api.handler = [](const api::Request& request) {
        auto start = std::stoi(request.param("startIndex").value());
        int count = std::min(2, 5 - (start - 1));
        return Json{{"totalResults", 5}, {"startIndex", start}, {"Resources", numbered(start, count)}};
    };
    auto users = list_all(api, {Paging::Scim, FieldPlace::Query}, get("/api/2.0/preview/scim/v2/Users"), std::nullopt);
    CHECK(users == numbered(1, 5));
    REQUIRE(api.requests.size() == 3);
    CHECK(api.requests[0].param("startIndex") == "1");
    CHECK(api.requests[2].param("startIndex") == "5");

    testing::ScriptedApi ignoring;  // a server that ignores startIndex repeats its first page
    ignoring.handler = [](const api::Request&) { return Json{{"Resources", numbered(1, 2)}}; };
    CHECK_THROWS_WITH(list_all(ignoring, {Paging::Scim, FieldPlace::Query}, get("/scim"), std::nullopt),
                      Catch::Contains("same items as the page before"));
}

TEST_CASE("page and offset listings stop at an empty page or has_more false; --limit stops early") {
    testing::ScriptedApi pages;
    pages.handler = [](const api::Request& request) {
        auto page = std::stoi(request.param("page").value());
        return Json{{"results", page <= 2 ? numbered(page * 10, 1) : Json::array()}};
    };
    CHECK(list_all(pages, {Paging::Page, FieldPlace::Query}, get("/api/2.0/preview/sql/queries"), std::nullopt).size() == 2);
    CHECK(pages.requests.size() == 3);

    testing::ScriptedApi offsets;
    offsets.handler = [](const api::Request& request) {
        auto offset = std::stoi(request.param("offset").value());
        return Json{{"things", numbered(offset, 2)}, {"has_more", offset < 2}};
    };
    CHECK(list_all(offsets, {Paging::Offset, FieldPlace::Query}, get("/x"), std::nullopt) == numbered(0, 4));

    testing::ScriptedApi endless;
    endless.handler = [](const api::Request& request) {
        auto token = request.param("page_token").value_or("0");
        return Json{{"items", numbered(std::stoi(token) * 2, 2)}, {"next_page_token", std::to_string(std::stoi(token) + 1)}};
    };
    CHECK(list_all(endless, {Paging::Token, FieldPlace::Query}, get("/x"), std::size_t{5}) == numbered(0, 5));
    CHECK(endless.requests.size() == 3);
}

TEST_CASE("page items: the answer's array, whatever its key") {
    CHECK(page_items(Json{{"next_page_token", "x"}, {"schemas", numbered(0, 1)}}) == numbered(0, 1));
    CHECK(page_items(numbered(0, 2)) == numbered(0, 2));
    CHECK(page_items(Json{{"cluster_id", "c"}}) == Json::array());
    CHECK(page_items(Json::object()) == Json::array());
    // a SCIM list: its items are "Resources", not the "schemas" array beside them
    Json scim{{"totalResults", 2}, {"startIndex", 1}, {"schemas", {"urn:ietf:params:scim:api:messages:2.0:ListResponse"}}};
    CHECK(page_items(scim) == Json::array());
    scim["Resources"] = numbered(0, 2);
    CHECK(page_items(scim) == numbered(0, 2));
}

TEST_CASE("text tables show an id, a name and a state where the items have them") {
    Json warehouses = {{{"id", "w1"}, {"name", "small"}, {"state", "RUNNING"}, {"cluster_size", "Small"}, {"tags", Json::object()}},
                       {{"id", "w2"}, {"name", "big"}, {"state", "STOPPED"}}};
    CHECK(table_columns(warehouses) == std::vector<std::string>{"id", "name", "state"});
    CHECK(table_rows(warehouses, table_columns(warehouses)) == std::vector<cli::Row>{{"w1", "small", "RUNNING"}, {"w2", "big", "STOPPED"}});

    Json catalogs = {{{"full_name", "main"}, {"catalog_type", "MANAGED_CATALOG"}, {"owner", "me"}}};
    CHECK(table_columns(catalogs) == std::vector<std::string>{"full_name"});
    Json pipelines = {{{"pipeline_id", "p"}, {"name", "etl"}, {"latest_updates", Json::array()}}, {{"pipeline_id", "q"}, {"state", "IDLE"}}};
    CHECK(table_columns(pipelines) == std::vector<std::string>{"pipeline_id", "name", "state"});
    CHECK(table_rows(pipelines, table_columns(pipelines))[1] == cli::Row{"q", "", "IDLE"});
    Json users = {{{"id", "1"}, {"userName", "a@b.c"}, {"active", true}}};
    CHECK(table_columns(users) == std::vector<std::string>{"id", "userName"});
    Json other = {{{"a", 1}, {"b", "x"}, {"c", true}, {"d", 2}}};
    CHECK(table_columns(other) == std::vector<std::string>{"a", "b", "c"});
    CHECK(table_rows(Json{"x", "y"}, {}) == std::vector<cli::Row>{{"x"}, {"y"}});
}

TEST_CASE("brix api: PATH with a query string, --json as query for GET and as body otherwise") {
    using namespace brix::commands::api_command;
    auto plain = parse_path(api::Method::Get, "/api/2.0/workspace/list?path=%2FShared%2Fa+b&x=1&flag");
    CHECK(plain.path == "/api/2.0/workspace/list");
    CHECK(plain.query == api::Query{{"path", "/Shared/a b"}, {"x", "1"}, {"flag", ""}});
    CHECK(parse_path(api::Method::Get, "/api/2.0/a%20b").path == "/api/2.0/a b");
    CHECK_THROWS_AS(parse_path(api::Method::Get, "api/2.0/clusters/list"), cli::UsageError);

    auto get = raw_request(api::Method::Get, "/api/2.2/jobs/get?a=0",
                           Json{{"job_id", 123}, {"z", nullptr}, {"expand", true}, {"filter_by", {{"states", {"A", "B"}}}}});
    CHECK(get.query == api::Query{{"a", "0"}, {"expand", "true"}, {"filter_by.states", "A"}, {"filter_by.states", "B"}, {"job_id", "123"}});
    CHECK(get.body.is_null());
    CHECK_THROWS_AS(raw_request(api::Method::Delete, "/x", Json::array()), cli::UsageError);

    auto post = raw_request(api::Method::Post, "/api/2.0/workspace/mkdirs", Json{{"path", "/Shared/new"}});
    CHECK(post.query.empty());
    CHECK(post.body == Json{{"path", "/Shared/new"}});

    CHECK(is_raw_download(parse_path(api::Method::Get, "/api/2.0/fs/files/Volumes/a/b/c/f.txt")));
    CHECK(is_raw_download(parse_path(api::Method::Get, "/api/2.0/workspace/export?path=/x&direct_download=true")));
    CHECK_FALSE(is_raw_download(parse_path(api::Method::Get, "/api/2.0/workspace/export?path=/x")));
    CHECK(is_raw_upload(parse_path(api::Method::Put, "/api/2.0/fs/files/Volumes/a/b/c/f.txt")));
    CHECK_FALSE(is_raw_upload(parse_path(api::Method::Post, "/api/2.0/fs/files/Volumes/a/b/c/f.txt")));
}
