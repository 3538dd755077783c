#pragma once
// Random identifiers the engine hands out: token ids and values, Unity Catalog ids.

#include <cstddef>
#include <string>

namespace brix::engine::store {

std::string random_hex(std::size_t length);  // lower-case hex digits from std::random_device
std::string random_uuid();                   // 8-4-4-4-12 hex digits, version 4

}  // namespace brix::engine::store
