#pragma once
// Reads request fields the liberal way Databricks does: query string first, then a JSON body
// (legacy clients send GET parameters as a body), IDs as numbers or numeric strings, booleans
// as true/false/True/False.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/api.hpp"

namespace brix::engine {

class Params {
public:
    explicit Params(const api::Request& request);

    std::optional<std::string> text(std::string_view key) const;
    std::string required_text(std::string_view key) const;
    bool boolean(std::string_view key, bool fallback) const;
    std::optional<std::int64_t> integer(std::string_view key) const;
    std::int64_t required_integer(std::string_view key) const;
    const api::Json& body() const { return request_.body; }

private:
    const api::Json* body_field(std::string_view key) const;
    const api::Request& request_;
};

}  // namespace brix::engine
