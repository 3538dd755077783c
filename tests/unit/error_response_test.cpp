#include <catch2/catch.hpp>

#include "client/http_api.hpp"

using brix::client::parse_error_response;

TEST_CASE("every error body shape becomes one error") {
    auto standard = parse_error_response(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Path (/x) doesn't exist."})", "");
    CHECK(standard.error_code() == "RESOURCE_DOES_NOT_EXIST");
    CHECK(standard.message() == "Path (/x) doesn't exist.");

    auto numeric = parse_error_response(403, R"({"error_code":403,"message":"Invalid access token."})", "Invalid access token.");
    CHECK(numeric.error_code() == "PERMISSION_DENIED");
    CHECK(numeric.message() == "Invalid access token.");

    CHECK(parse_error_response(400, R"({"error":"bad thing"})", "").message() == "bad thing");
    auto scim = parse_error_response(404, R"({"detail":"User not found","status":"404","scimType":"invalidValue"})", "");
    CHECK(scim.error_code() == "SCIM_404");

    auto plain = parse_error_response(400, "INVALID_STATE: cluster is busy", "");
    CHECK(plain.error_code() == "INVALID_STATE");
    CHECK(plain.message() == "cluster is busy");

    auto html = parse_error_response(403, "<html><body><pre>Invalid access token.</pre></body></html>", "");
    CHECK(html.error_code() == "FORBIDDEN");
    CHECK(html.message() == "Invalid access token.");

    auto empty = parse_error_response(503, "", "");
    CHECK(empty.error_code() == "TEMPORARILY_UNAVAILABLE");
    CHECK(empty.message() == "Service Unavailable");

    auto files = parse_error_response(
        400, R"({"error_code":"FAILED_PRECONDITION","message":"not empty","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"FILES_API_DIRECTORY_IS_NOT_EMPTY"}]})", "");
    CHECK(files.reason() == "FILES_API_DIRECTORY_IS_NOT_EMPTY");
}
