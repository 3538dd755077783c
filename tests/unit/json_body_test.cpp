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
    // Built with append: GCC 12 warns (array-bounds) on operator+ with a long temporary.
    std::string payload(100000, 'A');
    std::string broken;
    broken.append("{\"data\": \"").append(payload);
    std::string big = broken;
    big.append("\", \"nested\": {\"k\": [1, 2]}}");
    CHECK(parse_json_body(big) == Json::parse(big));
    CHECK_THROWS(parse_json_body(broken));
}
