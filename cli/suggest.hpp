#pragma once

#include <optional>
#include <string>
#include <vector>

namespace brix::cli {

// The candidate a mistyped word most likely meant: a small edit distance, or a unique prefix.
std::optional<std::string> closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace brix::cli
