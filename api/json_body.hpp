#pragma once
// Parsing request bodies. Bodies that carry bulk bytes (dbfs/add-block, dbfs/put,
// workspace/import) are flat objects whose big value is base64: they take a fast path that finds
// string bounds with memchr instead of lexing every character. Anything else (nesting, escapes,
// floats) goes to nlohmann, so the result is the same either way.

#include <optional>
#include <string_view>

#include "api/api.hpp"

namespace brix::api {

// Deeper nesting is refused when parsing: copying or printing a value nests one call per level,
// and a request of 100 000 "[" would overflow the stack and take the whole process down.
constexpr std::size_t kMaxJsonDepth = 1000;

// Json::parse, but text nested more than kMaxJsonDepth levels deep is a parse_error too.
Json parse_json(std::string_view text);

// The flat-object fast path alone; nullopt when the text is not a flat object of plain scalars.
std::optional<Json> parse_flat_object(std::string_view text);

// Throws nlohmann::json::parse_error on malformed JSON.
Json parse_json_body(std::string_view text);

}  // namespace brix::api
