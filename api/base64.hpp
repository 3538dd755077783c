#pragma once
// Base64 as the Databricks API uses it (standard alphabet, padded). Decoding rejects anything
// that is not base64 so a corrupt `content` field is an error, never silently wrong bytes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace brix::api {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// The most bytes `text` can decode to.
constexpr std::size_t base64_decoded_room(std::size_t text_size) { return (text_size * 3 + 3) / 4; }
// Decodes into `out`, which has base64_decoded_room(text.size()) bytes and may start where `text`
// starts or anywhere before it (each byte is written after the characters it comes from are
// read), so a buffer can be decoded in place. Returns the number of bytes written.
std::optional<std::size_t> base64_decode_into(std::string_view text, char* out);

}  // namespace brix::api
