#pragma once
// Dynamic value references ({{job.id}}, {{tasks.a.values.x}}, ...), substituted as text when a
// task starts, as Databricks does: an unknown namespace or malformed reference stays as written;
// an unknown key in a known namespace is an error.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/api.hpp"

namespace brix::engine::jobs {

// Answers a reference such as "job.id" or "tasks.a.values.x": the value, nullopt when the key
// is unknown in a known namespace. References in unknown namespaces never reach it.
using ReferenceLookup = std::function<std::optional<std::string>(const std::string& reference)>;

// Throws api::ApiError INVALID_PARAMETER_VALUE naming the first unknown reference.
std::string substitute_references(std::string_view text, const ReferenceLookup& lookup);

// A for-each iteration's input in `text`: {{input}} becomes the input (a string as it is, any
// other value as compact JSON), {{input.a.b}} a field of an object input; every other reference
// stays as written, for substitute_references when the task starts. Throws
// INVALID_PARAMETER_VALUE for a field the input does not have.
std::string substitute_input(std::string_view text, const api::Json& input);

bool is_known_namespace(std::string_view reference);

}  // namespace brix::engine::jobs
