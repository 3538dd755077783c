#pragma once
// What `brix api METHOD PATH [--json ...]` sends: PATH may carry a query string; for GET, HEAD
// and DELETE the --json object becomes query parameters, as the SDKs (and so the Go CLI) send
// them; for the other methods it is the body.

#include <optional>
#include <string>

#include "api/api.hpp"

namespace brix::commands::api_command {

// "/api/2.0/clusters/get?cluster_id=1" -> path and query, both percent-decoded ('+' in the query
// is a space). A path must start with '/': cli::UsageError otherwise.
api::Request parse_path(api::Method method, const std::string& path_and_query);

// The object's fields appended as query parameters: keys in sorted order, null values left out,
// booleans as true/false, lists as repeated keys, objects flattened with dots (filter_by.state).
void add_to_query(api::Query& query, const api::Json& object, const std::string& prefix = "");

// The request for PATH and the parsed --json (if any).
api::Request raw_request(api::Method method, const std::string& path_and_query, const std::optional<api::Json>& json);

// Routes whose bytes are not JSON (the Files API, workspace-files import, exports with
// direct_download): they go through the streamed calls of the Api.
bool is_raw_download(const api::Request& request);
bool is_raw_upload(const api::Request& request);

}  // namespace brix::commands::api_command
