#include "api/api.hpp"

namespace brix::api {

std::string_view method_name(Method method) {
    switch (method) {
        case Method::Get: return "GET";
        case Method::Head: return "HEAD";
        case Method::Post: return "POST";
        case Method::Put: return "PUT";
        case Method::Patch: return "PATCH";
        case Method::Delete: return "DELETE";
    }
    return "GET";
}

std::optional<std::string> Request::param(std::string_view key) const {
    for (const auto& [k, v] : query)
        if (k == key) return v;
    return std::nullopt;
}

ApiError::ApiError(int http_status, std::string error_code, std::string message)
    : std::runtime_error(message),
      http_status_(http_status),
      error_code_(std::move(error_code)),
      message_(std::move(message)) {}

Json ApiError::to_json() const {
    Json body{{"error_code", error_code_}, {"message", message_}};
    if (!reason_.empty())
        body["details"] = Json::array({Json{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                             {"reason", reason_},
                                             {"domain", "filesystem.databricks.com"}}});
    return body;
}

ApiError& ApiError::with_reason(std::string reason) {
    reason_ = std::move(reason);
    return *this;
}

ApiError invalid_parameter(std::string message) {
    return {400, "INVALID_PARAMETER_VALUE", std::move(message)};
}

ApiError not_found(std::string message) {
    return {404, "RESOURCE_DOES_NOT_EXIST", std::move(message)};
}

ApiError already_exists(std::string message, int http_status) {
    return {http_status, "RESOURCE_ALREADY_EXISTS", std::move(message)};
}

ApiError not_implemented(std::string message) {
    return {501, "NOT_IMPLEMENTED", std::move(message)};
}

}  // namespace brix::api
