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
    std::string client_id;  // OAuth machine-to-machine, with client_secret
    std::string client_secret;
    long connect_timeout_seconds = 10;
    long request_timeout_seconds = 60;   // without a byte moving
    long retry_budget_seconds = 120;     // for 429 and 503 answers
    int max_connection_attempts = 4;     // a host that refuses or drops connections
    std::string command;                 // the command sending the requests, "jobs_create" (User-Agent cmd/)
    std::string user_agent;              // computed by make_http_api when empty (client/user_agent.hpp)
};

std::unique_ptr<api::Api> make_http_api(const HttpConfig& config);

// Turns any error answer (every body shape of rest-api.md §2) into the one error type.
api::ApiError parse_error_response(int http_status, const std::string& body, const std::string& reason_header);

}  // namespace brix::client
