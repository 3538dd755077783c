#pragma once
// The remote backend: the Databricks REST API over libcurl.

#include <memory>
#include <string>

#include "api/api.hpp"

namespace brix::client {

struct HttpConfig {
    std::string host;  // normalised: scheme, host, optional port and path prefix, no trailing slash
    std::string token;
    std::string username;
    std::string password;
    long connect_timeout_seconds = 10;
    long request_timeout_seconds = 60;
    long retry_budget_seconds = 300;
};

std::unique_ptr<api::Api> make_http_api(const HttpConfig& config);

// Turns any error answer (every body shape of rest-api.md §2) into the one error type.
api::ApiError parse_error_response(int http_status, const std::string& body, const std::string& reason_header);

}  // namespace brix::client
