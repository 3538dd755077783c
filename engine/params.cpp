#include "engine/params.hpp"

#include <charconv>

namespace brix::engine {
namespace {

api::ApiError missing(std::string_view key) {
    return api::invalid_parameter("Missing required field: " + std::string(key));
}

api::ApiError wrong_type(std::string_view key, std::string_view expected) {
    return api::invalid_parameter("Invalid value for field " + std::string(key) + ": expected " + std::string(expected));
}

}  // namespace

Params::Params(const api::Request& request) : request_(request) {
    if (!request.body.is_null() && !request.body.is_object())
        throw api::ApiError(400, "MALFORMED_REQUEST", "Invalid JSON given in the body of the request - expected a map");
}

const api::Json* Params::body_field(std::string_view key) const {
    if (!request_.body.is_object()) return nullptr;
    auto it = request_.body.find(key);
    return it == request_.body.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::string> Params::text(std::string_view key) const {
    if (auto value = request_.param(key)) return value;
    const auto* field = body_field(key);
    if (!field) return std::nullopt;
    if (field->is_string()) return field->get<std::string>();
    if (field->is_number_integer()) return std::to_string(field->get<std::int64_t>());
    throw wrong_type(key, "a string");
}

std::string Params::required_text(std::string_view key) const {
    auto value = text(key);
    if (!value || value->empty()) throw missing(key);
    return *value;
}

bool Params::boolean(std::string_view key, bool fallback) const {
    if (const auto* field = body_field(key); field && field->is_boolean() && !request_.param(key))
        return field->get<bool>();
    auto value = text(key);
    if (!value) return fallback;
    if (*value == "true" || *value == "True" || *value == "1") return true;
    if (*value == "false" || *value == "False" || *value == "0") return false;
    throw wrong_type(key, "true or false");
}

std::optional<std::int64_t> Params::integer(std::string_view key) const {
    auto value = text(key);
    if (!value) return std::nullopt;
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
    if (error != std::errc() || end != value->data() + value->size()) throw wrong_type(key, "an integer");
    return number;
}

std::int64_t Params::required_integer(std::string_view key) const {
    auto value = integer(key);
    if (!value) throw missing(key);
    return *value;
}

}  // namespace brix::engine
