#include "engine/store/random_hex.hpp"

#include <random>

namespace brix::engine::store {

std::string random_hex(std::size_t length) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::random_device device;
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out += kHex[device() % 16];
    return out;
}

}  // namespace brix::engine::store
