#pragma once
// Small text and environment helpers shared across the CLI.

#include <optional>
#include <string>
#include <string_view>

namespace brix::cli {

std::string lower_case(std::string text);  // ASCII only: names, flags, header fields
std::optional<std::string> environment(std::string_view name);  // nullopt when unset
// $HOME; where it is unset or empty (`env -i`, some service managers), the home folder of the
// user's passwd entry; "" when there is neither (config resolution then refuses to guess).
std::string home_folder();

}  // namespace brix::cli
