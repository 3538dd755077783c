#include <catch2/catch.hpp>

#include "api/json_body.hpp"

using brix::api::Json;
using brix::api::dump_json_body;
using brix::api::parse_flat_object;
using brix::api::parse_json_body;

TEST_CASE("the flat-object fast path gives what nlohmann gives") {
    for (const char* text : {R"({"handle": 12, "data": "aGVsbG8="})", R"({ "path" : "/a b", "overwrite" : true, "x": null })",
                             R"({})", R"({"n": -5, "flag": false})"}) {
        INFO(text);
        auto fast = parse_flat_object(text);
        REQUIRE(fast.has_value());
        CHECK(*fast == Json::parse(text));
    }
}

TEST_CASE("anything but a flat object of plain scalars falls back") {
    for (const char* text : {R"({"a": {"b": 1}})", R"({"a": [1]})", R"({"a": "x\"y"})", R"({"a": 1.5})", R"([1, 2])",
                             R"({"a": 1} trailing)", R"({"a": 1,})", R"({"a" 1})"})
        CHECK_FALSE(parse_flat_object(text).has_value());
    // Built with append: GCC 12 warns (array-bounds) on operator+ with a long temporary.
    std::string payload(100000, 'A');
    std::string broken;
    broken.append("{\"data\": \"").append(payload);
    std::string big = broken;
    big.append("\", \"nested\": {\"k\": [1, 2]}}");
    CHECK(parse_json_body(big) == Json::parse(big));
    CHECK_THROWS(parse_json_body(broken));
}

// Found by fuzz_json_body: the fast path read what nlohmann refuses, and one surprise of nlohmann's.
TEST_CASE("the fast path refuses leading zeros, trailing text and non-ASCII strings") {
    for (const char* text : {R"({"a": 01})", R"({"a": -007})", R"({"a": 00})"}) {
        INFO(text);
        CHECK_FALSE(parse_flat_object(text).has_value());
        CHECK_THROWS_AS(Json::parse(text), Json::parse_error);
    }
    CHECK(parse_flat_object(R"({"a": 0, "b": -0, "c": 10})") == Json::parse(R"({"a": 0, "b": -0, "c": 10})"));
    // 0xE5 starts a three-byte UTF-8 sequence that never comes: invalid, which nlohmann reports.
    const std::string invalid_utf8 = "{\"offs\xe5t\": -24}";
    CHECK_FALSE(parse_flat_object(invalid_utf8).has_value());
    CHECK_FALSE(parse_flat_object("{\"caf\xc3\xa9\": 1}").has_value());
    CHECK(parse_json_body("{\"caf\xc3\xa9\": 1}") == Json{{"caf\xc3\xa9", 1}});
    // "{}" returned early, before the check for trailing text.
    CHECK_FALSE(parse_flat_object("{}2").has_value());
    CHECK(parse_flat_object(" {} ") == Json::object());
    // Not a parse_error but out_of_range, which serve answers with 400 all the same.
    CHECK_THROWS_AS(parse_json_body("466e5324"), Json::out_of_range);
}

// A copy of a value nested 100,000 deep overflows the stack (nlohmann copies recursively).
TEST_CASE("bodies nested more than 1000 deep are refused before they are parsed") {
    const std::size_t depth = 100000;
    std::string deep;
    deep.append("{\"a\": ").append(depth, '[').append(depth, ']').append("}");
    CHECK_THROWS_AS(parse_json_body(deep), Json::parse_error);
    std::string fine;
    fine.append("{\"a\": ").append(999, '[').append(999, ']').append("}");
    CHECK(parse_json_body(fine).size() == 1);
    // Brackets inside strings do not count.
    std::string quoted;
    quoted.append("{\"a\": \"").append(depth, '[').append("\\\"[\"}");
    CHECK(parse_json_body(quoted)["a"].get<std::string>().size() == depth + 2);
}

TEST_CASE("answers are printed as nlohmann prints them, big base64 strings included") {
    auto dump = [](const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); };
    std::string block(3 << 20, 'A');
    for (std::size_t i = 0; i < block.size(); i += 7) block[i] = '/';
    const Json values[] = {
        Json::object(),
        Json::array(),
        Json{{"bytes_read", 1048576}, {"data", block}},
        Json::parse(R"({"a": [1, -2, 3.5, 1e300, true, false, null, "x", {}, []], "b": {"c": {"d": "e"}}})"),
        Json{{"quote \" and \\ backslash", "tab\there\nnewline \x01 control \x7f del"}},
        Json{{"unicode", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"}, {"invalid", std::string("bad \xff\xfe utf-8")}},
        Json{{"big", 18446744073709551615ull}, {"small", -9223372036854775807ll - 1}, {"float", 0.1}},
        Json("top-level string"),
        Json(42),
        Json(nullptr),
    };
    for (const auto& value : values) CHECK(dump_json_body(value) == dump(value));
}
