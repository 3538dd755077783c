#pragma once
// Unguessable identifiers (tokens, upload sessions) from the kernel's random source.

#include <cstddef>
#include <string>

namespace brix::engine::store {

// `length` lowercase hex digits.
std::string random_hex(std::size_t length);

}  // namespace brix::engine::store
