#include "engine/store/random_ids.hpp"

#include <random>

namespace brix::engine::store {

std::string random_hex(std::size_t length) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::random_device device;
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out += kHex[device() % 16];
    return out;
}

std::string random_uuid() {
    auto hex = random_hex(32);
    hex[12] = '4';                                             // version 4
    hex[16] = "89ab"[std::random_device{}() % 4];  // RFC 4122 variant
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

}  // namespace brix::engine::store
