#pragma once
// Dynamic value references ({{job.id}}, {{tasks.a.values.x}}, ...), substituted as text when a
// task starts, as Databricks does: an unknown namespace or malformed reference stays as written;
// an unknown key in a known namespace is an error.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace brix::engine::jobs {

// Answers a reference such as "job.id" or "tasks.a.values.x": the value, nullopt when the key
// is unknown in a known namespace. References in unknown namespaces never reach it.
using ReferenceLookup = std::function<std::optional<std::string>(const std::string& reference)>;

// Throws api::ApiError INVALID_PARAMETER_VALUE naming the first unknown reference.
std::string substitute_references(std::string_view text, const ReferenceLookup& lookup);

bool is_known_namespace(std::string_view reference);

}  // namespace brix::engine::jobs
