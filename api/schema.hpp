#pragma once
// The Databricks REST API surface as data: every workspace route of today's SDKs with its
// parameters, JSON types, required fields and enums (api/schema/api-schema.json, derived by
// scripts/gen-api-schema.py and compiled into the binary). Databricks is the oracle, not brix:
// the engine uses this table to accept what a workspace accepts (liberal encodings, coerce) and
// to refuse what it refuses (unknown fields, wrong types, validate); the contract check
// (tests/contract/validate.py) reads the same file.
//
// The table is parsed on first use, so commands that never ask (`brix --version`) do not pay for it.
//
// A type spec, as in the file, is one of:
//   "string" | "integer" | "number" | "boolean" | "object" | "any"   JSON kinds ("object", "any": anything of that kind)
//   ["list", T] | ["map", T]                                         arrays, and objects whose values are all T
//   "jobs.Task"                                                      a named type, see type()
//   {"fields": {name: {"type": T, "required": true?}}} | {"enum": [...]}   a type written inline

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api.hpp"

namespace brix::api::schema {

// Path parameters bound by find_route, in template order: {"repo_id", "42"}.
using PathParams = std::vector<std::pair<std::string, std::string>>;

struct Route {
    std::string method;   // "GET", "POST", ...
    std::string path;     // template: "/api/2.0/repos/{repo_id}", "/api/2.0/fs/files{file_path*}"
    std::string service;  // SDK module: "jobs", "workspace", ...
    std::string call;     // SDK class and method: "JobsAPI.create"
    std::string cli;      // Go CLI command, "jobs create"; empty where the Go CLI has none (dbfs, files)
    std::string content;  // "raw" or "multipart" when the body is not JSON; else empty
    // Query parameters as a type spec {"fields": ...} (required ones marked); no fields when none.
    Json query;
    // The JSON body as a type spec: {"fields": ...} with required ones marked, or a type name when
    // the whole body is that object (apps create takes an apps.App); null when there is no body.
    Json body;
    std::vector<std::string> required;  // as in the table: query, body and path parameter names
    Json response;                      // type spec of a 2xx JSON answer; null when the answer is `{}`
};

// Every workspace route, sorted by path, method and call.
const std::vector<Route>& routes();

// The route a request goes to: `{name}` matches one path segment, `{name*}` the rest of the path.
// When several templates match, the one with the most literal characters wins
// (`/permissions/jobs/{job_id}` over `/permissions/{type}/{id}`); when the table has several
// calls on one method and path, the first. Binds the path parameters into `params` when given.
// nullptr when no route matches.
const Route* find_route(std::string_view method, std::string_view path, PathParams* params = nullptr);

// A named type: {"fields": ...} or {"enum": [...]}; nullptr when the table has no such type.
const Json* type(std::string_view name);

// Whether `field` may appear in an object of this type spec. Object kinds that take any key
// ("object", "any", ["map", T]) know every field; non-objects know none.
bool is_known_field(const Json& type_spec, std::string_view field);
// Whether `field` is a query, body or path parameter of the route.
bool is_known_field(const Route& route, std::string_view field);

// The value converted to what the spec says, recursively, where the conversion loses nothing:
// numbers and booleans to strings ("tags", "spark_conf": ["map", "string"]); numeric strings to
// integers or numbers ("3" -> 3), integral floats to integers (3.0 -> 3); "true"/"false" (and
// the legacy "True"/"False") to booleans. Anything else, unknown fields included, stays as it
// is, for validate() to report.
Json coerce(const Json& value, const Json& type_spec);

// Human-readable violations of the spec, each "<path>: <problem>" with `path` extended by
// ".field" and "[index]": unknown field, wrong JSON type, missing required field, value not in
// the enum. Null counts as absent. Empty when the value conforms.
std::vector<std::string> validate(const Json& value, const Json& type_spec, std::string path);

}  // namespace brix::api::schema
