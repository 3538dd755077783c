#pragma once
// Parsing request bodies. Bodies that carry bulk bytes (dbfs/add-block, dbfs/put,
// workspace/import) are flat objects whose big value is base64: they take a fast path that finds
// string bounds with memchr instead of lexing every character. Anything else (nesting, escapes,
// floats) goes to nlohmann, so the result is the same either way.

#include <optional>
#include <string_view>

#include "api/api.hpp"

namespace brix::api {

// The flat-object fast path alone; nullopt when the text is not a flat object of plain scalars.
std::optional<Json> parse_flat_object(std::string_view text);

// Throws a nlohmann::json::exception: parse_error on malformed JSON or JSON nested more than 1000
// deep, out_of_range for a number beyond a double ("1e999").
Json parse_json_body(std::string_view text);

}  // namespace brix::api
