#pragma once
// Path normalisation for every path-taking route. A normalised path is absolute, has no empty,
// "." or ".." segments and no control characters, so joining it under a root folder can never
// leave that root.

#include <string>
#include <string_view>

namespace brix::engine::store {

// "/a//b/./c/../d/" -> "/a/b/d". Throws INVALID_PARAMETER_VALUE for an empty or relative path,
// a NUL or control character, or ".." that would climb above "/". `what` names the field.
std::string normalize_path(std::string_view raw, std::string_view what = "path");

// Workspace paths: "/Workspace/x" and "/x" are the same object.
std::string normalize_workspace_path(std::string_view raw);

// DBFS paths: a leading "dbfs:" is dropped, as Databricks does for legacy clients.
std::string normalize_dbfs_path(std::string_view raw);

std::string parent_path(std::string_view normalized);  // "/a/b" -> "/a"; "/a" -> "/"; "/" -> "/"
std::string base_name(std::string_view normalized);    // "/a/b" -> "b"; "/" -> ""
std::string join_path(std::string_view parent, std::string_view name);

}  // namespace brix::engine::store
