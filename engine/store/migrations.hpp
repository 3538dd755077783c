#pragma once

#include <string>
#include <vector>

namespace brix::engine::store {

// The engine's schema, one SQL script per version. Append only: a released step never changes.
const std::vector<std::string>& migrations();

}  // namespace brix::engine::store
