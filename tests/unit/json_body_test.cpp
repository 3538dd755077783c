#include <catch2/catch.hpp>

#include "api/json_body.hpp"

using brix::api::Json;
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
    std::string big = R"({"data": ")" + std::string(100000, 'A') + R"(", "nested": {"k": [1, 2]}})";
    CHECK(parse_json_body(big) == Json::parse(big));
    std::string broken = R"({"data": ")" + std::string(100000, 'A');
    CHECK_THROWS(parse_json_body(broken));
}
