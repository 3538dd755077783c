#include <catch2/catch.hpp>

#include "server/get_body_rewrite.hpp"

using brix::server::rewrite_header_block;

TEST_CASE("a GET with a body becomes a marked POST") {
    auto out = rewrite_header_block("GET /api/2.1/jobs/get HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n");
    CHECK(out == "POST /api/2.1/jobs/get HTTP/1.1\r\nX-Brix-Method: GET\r\nHost: x\r\nContent-Length: 12\r\n\r\n");
    auto chunked = rewrite_header_block("GET /a HTTP/1.1\r\ntransfer-encoding: Chunked\r\n\r\n");
    CHECK(chunked.rfind("POST /a HTTP/1.1\r\nX-Brix-Method: GET\r\n", 0) == 0);
}

TEST_CASE("requests without a body, and other methods, pass unchanged") {
    const std::string get = "GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(rewrite_header_block(get) == get);
    const std::string empty = "GET /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n";
    CHECK(rewrite_header_block(empty) == empty);
    const std::string post = "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\n";
    CHECK(rewrite_header_block(post) == post);
    CHECK(rewrite_header_block("GETX /a HTTP/1.1\r\nContent-Length: 2\r\n\r\n").rfind("GETX ", 0) == 0);
}

TEST_CASE("a client's own marker is dropped, whatever its case") {
    auto out = rewrite_header_block("POST /a HTTP/1.1\r\nx-brix-METHOD: GET\r\nContent-Length: 2\r\n\r\n");
    CHECK(out == "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\n");
}
