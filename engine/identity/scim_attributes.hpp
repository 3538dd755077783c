#pragma once
// How a request's attribute lands on a principal, shared by create, PUT and PATCH: the
// attribute must be settable on its kind, of the right JSON type, and a new name must be free.

#include <algorithm>
#include <cctype>
#include <string>

#include "api/api.hpp"
#include "engine/identity/principals.hpp"

namespace brix::engine::identity {

void set_attribute(store::Database& db, Principal& principal, const std::string& attribute, const api::Json& value);
const char* name_attribute(PrincipalKind kind);  // userName, displayName or applicationId

// SCIM compares operators, attribute names and userName case-insensitively.
inline std::string ascii_lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace brix::engine::identity
