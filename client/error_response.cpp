#include <regex>

#include "client/http_api.hpp"

namespace brix::client {
namespace {

std::string reason_phrase(int status) {
    switch (status) {
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 409: return "Conflict";
        case 413: return "Payload Too Large";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        default: return "HTTP " + std::to_string(status);
    }
}

std::string code_from_phrase(std::string phrase) {
    for (auto& c : phrase) c = c == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return phrase;
}

std::string status_code(int status) {
    switch (status) {
        case 401: return "UNAUTHENTICATED";
        case 403: return "PERMISSION_DENIED";
        case 404: return "NOT_FOUND";
        case 409: return "RESOURCE_CONFLICT";
        case 429: return "REQUEST_LIMIT_EXCEEDED";
        case 503: return "TEMPORARILY_UNAVAILABLE";
        default: return code_from_phrase(reason_phrase(status));
    }
}

}  // namespace

api::ApiError parse_error_response(int http_status, const std::string& body, const std::string& reason_header) {
    auto json = api::Json::parse(body, nullptr, false);
    if (json.is_object()) {
        std::string message = json.value("message", "");
        std::string code;
        if (auto it = json.find("error_code"); it != json.end() && it->is_string()) code = it->get<std::string>();
        if (json.contains("error") && json["error"].is_string()) message = json["error"].get<std::string>();
        if (json.contains("detail")) {  // SCIM
            code = "SCIM_" + json.value("status", std::to_string(http_status));
            message = json.value("scimType", "") + " " + json.value("detail", "");
        }
        if (message.empty()) message = reason_header.empty() ? reason_phrase(http_status) : reason_header;
        api::ApiError error(http_status, code.empty() ? status_code(http_status) : code, message);
        if (auto details = json.find("details"); details != json.end() && details->is_array())
            for (const auto& detail : *details)
                if (detail.is_object() && detail.contains("reason") && detail["reason"].is_string())
                    error.with_reason(detail["reason"].get<std::string>());
        return error;
    }
    std::smatch match;
    static const std::regex plain("^([A-Z_]+): ([\\s\\S]*)$");
    static const std::regex pre("<pre>([\\s\\S]*?)</pre>");
    static const std::regex title("<title>([\\s\\S]*?)</title>");
    if (std::regex_match(body, match, plain)) return {http_status, match[1], match[2]};
    if (std::regex_search(body, match, pre) || std::regex_search(body, match, title))
        return {http_status, code_from_phrase(reason_phrase(http_status)), match[1]};
    auto message = !reason_header.empty() ? reason_header : body.empty() ? reason_phrase(http_status) : body.substr(0, 300);
    return {http_status, status_code(http_status), message};
}

}  // namespace brix::client
