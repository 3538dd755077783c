#include "api/json_body.hpp"

#include <charconv>
#include <cstring>
#include <string>

namespace brix::api {
namespace {

constexpr std::size_t kFastPathMinBytes = 64 * 1024;

struct Cursor {
    std::string_view text;
    std::size_t pos = 0;

    void skip_space() {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t')) ++pos;
    }
    bool take(char c) {
        skip_space();
        if (pos < text.size() && text[pos] == c) {
            ++pos;
            return true;
        }
        return false;
    }
    // A string without escapes, control characters or non-ASCII bytes (nlohmann checks that
    // those are valid UTF-8; base64 never has any), found with memchr.
    std::optional<std::string_view> plain_string() {
        if (!take('"')) return std::nullopt;
        const char* start = text.data() + pos;
        const void* quote = std::memchr(start, '"', text.size() - pos);
        if (!quote) return std::nullopt;
        std::string_view value(start, static_cast<std::size_t>(static_cast<const char*>(quote) - start));
        for (char c : value)
            if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
        pos += value.size() + 1;
        return value;
    }
    std::optional<Json> scalar() {
        skip_space();
        if (pos >= text.size()) return std::nullopt;
        if (text[pos] == '"') {
            auto value = plain_string();
            if (!value) return std::nullopt;
            return Json(std::string(*value));
        }
        for (auto [word, value] : {std::pair{std::string_view("true"), Json(true)}, std::pair{std::string_view("false"), Json(false)},
                                   std::pair{std::string_view("null"), Json(nullptr)}})
            if (text.substr(pos, word.size()) == word) {
                pos += word.size();
                return value;
            }
        // JSON has no leading zeros ("01", "-007"), which from_chars would read.
        const auto digits = pos + (text[pos] == '-' ? 1 : 0);
        if (digits + 1 < text.size() && text[digits] == '0' && text[digits + 1] >= '0' && text[digits + 1] <= '9')
            return std::nullopt;
        std::int64_t number = 0;
        auto [end, error] = std::from_chars(text.data() + pos, text.data() + text.size(), number);
        if (error != std::errc() || (end < text.data() + text.size() && (*end == '.' || *end == 'e' || *end == 'E')))
            return std::nullopt;
        pos = static_cast<std::size_t>(end - text.data());
        return Json(number);
    }
};

}  // namespace

std::optional<Json> parse_flat_object(std::string_view text) {
    Cursor cursor{text};
    if (!cursor.take('{')) return std::nullopt;
    Json object = Json::object();
    if (!cursor.take('}')) {
        do {
            auto key = cursor.plain_string();
            if (!key || !cursor.take(':')) return std::nullopt;
            auto value = cursor.scalar();
            if (!value) return std::nullopt;
            object[std::string(*key)] = std::move(*value);
        } while (cursor.take(','));
        if (!cursor.take('}')) return std::nullopt;
    }
    // Nothing may follow, not even after "{}".
    cursor.skip_space();
    if (cursor.pos != text.size()) return std::nullopt;
    return object;
}

Json parse_json(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth)
                throw Json::parse_error::create(101, i + 1, "nested more than " + std::to_string(kMaxJsonDepth) + " levels deep", nullptr);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return Json::parse(text);
}

Json parse_json_body(std::string_view text) {
    if (text.size() >= kFastPathMinBytes)
        if (auto flat = parse_flat_object(text)) return std::move(*flat);
    return parse_json(text);
}

}  // namespace brix::api
