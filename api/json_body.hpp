#pragma once
// Parsing and printing bodies. Bodies that carry bulk bytes (dbfs/add-block, dbfs/put,
// workspace/import, the answers of dbfs/read) are flat objects whose big value is base64: they
// take a fast path that finds string bounds with memchr instead of lexing every character.
// Anything else (nesting, escapes, floats) goes to nlohmann, so the result is the same either way.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"

namespace brix::api {

// Deeper nesting is refused when parsing: copying or printing a value nests one call per level,
// and a request of 100 000 "[" would overflow the stack and take the whole process down.
constexpr std::size_t kMaxJsonDepth = 1000;

// Json::parse, but text nested more than kMaxJsonDepth levels deep is a parse_error too.
Json parse_json(std::string_view text);

// The flat-object fast path alone; nullopt when the text is not a flat object of plain scalars.
std::optional<Json> parse_flat_object(std::string_view text);

// The same, without copying: each field in order, a string value as a view into `text` (which
// must outlive the fields), any other value in `scalar`.
struct FlatField {
    std::string_view key;
    std::optional<std::string_view> string;
    Json scalar;
};
std::optional<std::vector<FlatField>> parse_flat_fields(std::string_view text);

// Throws nlohmann::json::parse_error on malformed JSON.
Json parse_json_body(std::string_view text);

// The same text as value.dump(-1, ' ', false, Json::error_handler_t::replace) (compact, UTF-8 as
// it is, invalid UTF-8 replaced), but strings of printable ASCII without quotes or backslashes,
// which need no escaping, are copied whole instead of being looked at byte by byte: nlohmann
// spends some 40 instructions per byte on a megabyte of base64.
std::string dump_json_body(const Json& value);

}  // namespace brix::api
