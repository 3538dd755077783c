#include "api/base64.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace brix::api {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_decode_table() {
    std::array<std::int8_t, 256> table{};
    for (auto& entry : table) entry = -1;
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    return table;
}

constexpr auto kDecode = make_decode_table();

// The two characters of every 12-bit value: an encoder's lookups per 3 bytes go from four to two.
struct PairTable {
    std::array<char, 2 * 4096> pairs{};
    constexpr PairTable() {
        for (int i = 0; i < 4096; ++i) {
            pairs[2 * i] = kAlphabet[i >> 6];
            pairs[2 * i + 1] = kAlphabet[i & 63];
        }
    }
};
constexpr PairTable kPairs;

bool is_space(char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; }

}  // namespace

// Written into a buffer sized up front: DBFS blocks are a megabyte, and appending character by
// character checks the capacity four times per three bytes.
std::string base64_encode(std::string_view bytes) {
    std::string out((bytes.size() + 2) / 3 * 4, '\0');
    char* o = out.data();
    const auto* in = reinterpret_cast<const std::uint8_t*>(bytes.data());
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3, o += 4) {
        std::uint32_t n = (std::uint32_t(in[i]) << 16) | (std::uint32_t(in[i + 1]) << 8) | in[i + 2];
        std::memcpy(o, &kPairs.pairs[2 * (n >> 12)], 2);
        std::memcpy(o + 2, &kPairs.pairs[2 * (n & 0xFFF)], 2);
    }
    if (std::size_t rest = bytes.size() - i; rest > 0) {
        std::uint32_t n = std::uint32_t(in[i]) << 16;
        if (rest == 2) n |= std::uint32_t(in[i + 1]) << 8;
        o[0] = kAlphabet[(n >> 18) & 63];
        o[1] = kAlphabet[(n >> 12) & 63];
        o[2] = rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
        o[3] = '=';
    }
    return out;
}

std::optional<std::size_t> base64_decode_into(std::string_view text, char* out) {
    // Whole groups of four alphabet characters first, three bytes at a time; padding, white space
    // or anything invalid leaves the rest to the careful loop below, which starts on a group
    // boundary as this one ends on one.
    char* o = out;
    std::size_t start = 0;
    for (; start + 4 <= text.size(); start += 4, o += 3) {
        int a = kDecode[static_cast<unsigned char>(text[start])];
        int b = kDecode[static_cast<unsigned char>(text[start + 1])];
        int c = kDecode[static_cast<unsigned char>(text[start + 2])];
        int d = kDecode[static_cast<unsigned char>(text[start + 3])];
        if ((a | b | c | d) < 0) break;
        std::uint32_t n = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) | (std::uint32_t(c) << 6) | std::uint32_t(d);
        o[0] = static_cast<char>(n >> 16);
        o[1] = static_cast<char>(n >> 8);
        o[2] = static_cast<char>(n);
    }
    text.remove_prefix(start);
    std::uint32_t buffer = 0;
    int bits = 0;
    std::size_t padding = 0;
    for (char c : text) {
        if (is_space(c)) continue;
        if (c == '=') {
            ++padding;
            continue;
        }
        if (padding > 0) return std::nullopt;  // data after padding
        auto value = kDecode[static_cast<unsigned char>(c)];
        if (value < 0) return std::nullopt;
        buffer = (buffer << 6) | std::uint32_t(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    if (padding > 2 || bits >= 6) return std::nullopt;
    return static_cast<std::size_t>(o - out);
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string out(base64_decoded_room(text.size()), '\0');
    auto size = base64_decode_into(text, out.data());
    if (!size) return std::nullopt;
    out.resize(*size);
    return out;
}

}  // namespace brix::api
