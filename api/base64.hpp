#pragma once
// Base64 as the Databricks API uses it (standard alphabet, padded). Decoding rejects anything
// that is not base64 so a corrupt `content` field is an error, never silently wrong bytes.

#include <optional>
#include <string>
#include <string_view>

namespace brix::api {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace brix::api
