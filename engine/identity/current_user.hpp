#pragma once
// Who the local engine acts for: the user running it. Jobs, clusters, repos and secrets record it
// as their creator, and SCIM Me answers with it.

#include <string>

namespace brix::engine::identity {

// $USER, else "local".
std::string current_user();

}  // namespace brix::engine::identity
