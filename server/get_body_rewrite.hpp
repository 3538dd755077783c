#pragma once
// How `brix serve` hands a GET-with-body to cpp-httplib, which reads bodies only for methods that
// expect one (see server/connection.hpp): the request is rewritten as a POST marked with
// `X-Brix-Method: GET`, and a marker sent by the client is dropped so it cannot be forged.

#include <string>

namespace brix::server {

inline constexpr const char* kOriginalMethodHeader = "X-Brix-Method";

// Rewrites one request's header block (request line up to and including the blank line).
std::string rewrite_header_block(const std::string& block);

}  // namespace brix::server
