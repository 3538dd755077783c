#include "commands/api_command/raw_request.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "cli/context.hpp"

namespace brix::commands::api_command {
namespace {

using api::Json;
using api::Method;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

enum class Plus { Literal, Space };

std::string percent_decoded(std::string_view text, Plus plus) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            int high = hex_digit(text[i + 1]);
            int low = hex_digit(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i] == '+' && plus == Plus::Space ? ' ' : text[i];
    }
    return out;
}

std::string scalar_text(const Json& value) {
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

api::Request parse_path(Method method, const std::string& path_and_query) {
    if (path_and_query.empty() || path_and_query.front() != '/')
        throw cli::UsageError("PATH must start with /, e.g. /api/2.0/clusters/list (got \"" + path_and_query + "\")");
    api::Request request{method, "", {}, nullptr};
    auto mark = path_and_query.find('?');
    request.path = percent_decoded(std::string_view(path_and_query).substr(0, mark), Plus::Literal);
    if (mark == std::string::npos) return request;
    std::string_view query = std::string_view(path_and_query).substr(mark + 1);
    while (!query.empty()) {
        auto end = query.find('&');
        auto pair = query.substr(0, end);
        if (!pair.empty()) {
            auto equals = pair.find('=');
            auto key = percent_decoded(pair.substr(0, equals), Plus::Space);
            auto value = equals == std::string_view::npos ? "" : percent_decoded(pair.substr(equals + 1), Plus::Space);
            request.query.emplace_back(std::move(key), std::move(value));
        }
        if (end == std::string_view::npos) break;
        query.remove_prefix(end + 1);
    }
    return request;
}

void add_to_query(api::Query& query, const Json& object, const std::string& prefix) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : object.items()) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    for (const auto& key : keys) {
        const auto& value = object.at(key);
        auto name = prefix.empty() ? key : prefix + "." + key;
        if (value.is_null()) continue;
        if (value.is_object()) {
            add_to_query(query, value, name);
        } else if (value.is_array()) {
            for (const auto& item : value)
                if (!item.is_null()) query.emplace_back(name, item.is_structured() ? item.dump() : scalar_text(item));
        } else {
            query.emplace_back(name, scalar_text(value));
        }
    }
}

api::Request raw_request(Method method, const std::string& path_and_query, const std::optional<Json>& json) {
    auto request = parse_path(method, path_and_query);
    if (!json) return request;
    bool in_query = method == Method::Get || method == Method::Head || method == Method::Delete;
    if (!in_query) {
        request.body = *json;
    } else if (json->is_object()) {
        add_to_query(request.query, *json);
    } else if (!json->is_null()) {
        throw cli::UsageError("--json for a " + std::string(api::method_name(method)) +
                              " request must be an object: its fields become query parameters");
    }
    return request;
}

bool is_raw_download(const api::Request& request) {
    if (request.method != Method::Get) return false;
    if (starts_with(request.path, "/api/2.0/fs/files/")) return true;
    return request.path == "/api/2.0/workspace/export" && request.param("direct_download").value_or("false") == "true";
}

bool is_raw_upload(const api::Request& request) {
    return (request.method == Method::Put && starts_with(request.path, "/api/2.0/fs/files/")) ||
           (request.method == Method::Post && starts_with(request.path, "/api/2.0/workspace-files/import-file/"));
}

}  // namespace brix::commands::api_command
