#include "api/json_body.hpp"

#include <algorithm>
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
    // A string (as a view into the text) or another scalar.
    bool value(FlatField& field) {
        skip_space();
        if (pos >= text.size()) return false;
        if (text[pos] == '"') {
            field.string = plain_string();
            return field.string.has_value();
        }
        for (auto [word, value] : {std::pair{std::string_view("true"), Json(true)}, std::pair{std::string_view("false"), Json(false)},
                                   std::pair{std::string_view("null"), Json(nullptr)}})
            if (text.substr(pos, word.size()) == word) {
                pos += word.size();
                field.scalar = value;
                return true;
            }
        // JSON has no leading zeros ("01", "-007"), which from_chars would read.
        const auto digits = pos + (text[pos] == '-' ? 1 : 0);
        if (digits + 1 < text.size() && text[digits] == '0' && text[digits + 1] >= '0' && text[digits + 1] <= '9')
            return false;
        std::int64_t number = 0;
        auto [end, error] = std::from_chars(text.data() + pos, text.data() + text.size(), number);
        if (error != std::errc() || (end < text.data() + text.size() && (*end == '.' || *end == 'e' || *end == 'E')))
            return false;
        pos = static_cast<std::size_t>(end - text.data());
        field.scalar = number;
        return true;
    }
};

using Serializer = nlohmann::detail::serializer<Json>;

// In blocks without an early exit, which the compiler turns into vector instructions.
bool needs_no_escaping(const std::string& text) {
    constexpr std::size_t kBlock = 64;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t start = 0; start < text.size(); start += kBlock) {
        auto end = std::min(text.size(), start + kBlock);
        unsigned char special = 0;
        for (auto i = start; i < end; ++i) {
            unsigned char byte = bytes[i];
            special |= static_cast<unsigned char>((byte < 0x20) | (byte >= 0x7F) | (byte == '"') | (byte == '\\'));
        }
        if (special) return false;
    }
    return true;
}

void write_string(const std::string& text, std::string& out, Serializer& serializer) {
    if (!needs_no_escaping(text)) {
        serializer.dump(Json(text), false, false, 0);
        return;
    }
    out += '"';
    out += text;
    out += '"';
}

// Containers are nested at most kMaxJsonDepth deep (parse_json refuses deeper text) or as deep
// as the engine builds them, a few levels.
void write_value(const Json& value, std::string& out, Serializer& serializer) {
    if (value.is_object()) {
        out += '{';
        bool first = true;
        for (const auto& [key, item] : value.items()) {
            if (!first) out += ',';
            first = false;
            write_string(key, out, serializer);
            out += ':';
            write_value(item, out, serializer);
        }
        out += '}';
    } else if (value.is_array()) {
        out += '[';
        bool first = true;
        for (const auto& item : value) {
            if (!first) out += ',';
            first = false;
            write_value(item, out, serializer);
        }
        out += ']';
    } else if (value.is_string()) {
        write_string(value.get_ref<const std::string&>(), out, serializer);
    } else {
        serializer.dump(value, false, false, 0);
    }
}

}  // namespace

std::string dump_json_body(const Json& value) {
    std::string out;
    Serializer serializer(nlohmann::detail::output_adapter<char>(out), ' ', Json::error_handler_t::replace);
    write_value(value, out, serializer);
    return out;
}

std::optional<std::vector<FlatField>> parse_flat_fields(std::string_view text) {
    Cursor cursor{text};
    if (!cursor.take('{')) return std::nullopt;
    std::vector<FlatField> fields;
    if (!cursor.take('}')) {
        do {
            FlatField field;
            auto key = cursor.plain_string();
            if (!key || !cursor.take(':') || !cursor.value(field)) return std::nullopt;
            field.key = *key;
            fields.push_back(std::move(field));
        } while (cursor.take(','));
        if (!cursor.take('}')) return std::nullopt;
    }
    // Nothing may follow, not even after "{}".
    cursor.skip_space();
    if (cursor.pos != text.size()) return std::nullopt;
    return fields;
}

std::optional<Json> parse_flat_object(std::string_view text) {
    auto fields = parse_flat_fields(text);
    if (!fields) return std::nullopt;
    Json object = Json::object();
    for (auto& field : *fields)
        object[std::string(field.key)] = field.string ? Json(std::string(*field.string)) : std::move(field.scalar);
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
