#include <catch2/catch.hpp>

#include "api/base64.hpp"

using namespace brix::api;

TEST_CASE("base64 round-trips every byte value and length") {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    for (std::size_t n = 0; n < 40; ++n) {
        auto bytes = all.substr(n, n);
        CHECK(base64_decode(base64_encode(bytes)) == bytes);
    }
    CHECK(base64_encode("hello") == "aGVsbG8=");
    CHECK(base64_encode("hi") == "aGk=");
    CHECK(base64_decode("aGVs\nbG8=") == std::string("hello"));
}

TEST_CASE("base64 rejects what is not base64") {
    CHECK_FALSE(base64_decode("a$b=").has_value());
    CHECK_FALSE(base64_decode("aGk=aGk=").has_value());
    CHECK_FALSE(base64_decode("a").has_value());
}
