#pragma once
// Small text and environment helpers shared across the CLI.

#include <optional>
#include <string>
#include <string_view>

namespace brix::cli {

std::string lower_case(std::string text);  // ASCII only: names, flags, header fields
std::optional<std::string> environment(std::string_view name);  // nullopt when unset

}  // namespace brix::cli
