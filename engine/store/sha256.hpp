#pragma once
// SHA-256, for storing access tokens as hashes (the root keeps no token in clear).

#include <string>
#include <string_view>

namespace brix::engine::store {

std::string sha256_hex(std::string_view data);

}  // namespace brix::engine::store
