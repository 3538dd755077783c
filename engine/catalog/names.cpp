#include "engine/catalog/names.hpp"

#include <algorithm>
#include <cctype>

namespace brix::engine::catalog {
namespace {

constexpr std::size_t kMaxNameLength = 255;

// The codes Unity Catalog answers with; volumes have no codes of their own in the API's error
// enum, so they use the generic ones.
const KindText kTexts[] = {
    {"Catalog", "CATALOG", 1, "CATALOG_ALREADY_EXISTS", "CATALOG_DOES_NOT_EXIST"},
    {"Schema", "SCHEMA", 2, "SCHEMA_ALREADY_EXISTS", "SCHEMA_DOES_NOT_EXIST"},
    {"Volume", "VOLUME", 3, "RESOURCE_ALREADY_EXISTS", "NOT_FOUND"},
};

}  // namespace

const KindText& text_of(Kind kind) { return kTexts[static_cast<int>(kind)]; }

std::string checked_name(std::string_view name, std::string_view field) {
    if (name.empty()) throw api::invalid_parameter(std::string(field) + " must not be empty");
    if (name.size() > kMaxNameLength)
        throw api::invalid_parameter(std::string(field) + " is longer than " + std::to_string(kMaxNameLength) +
                                     " characters");
    auto bad = std::find_if(name.begin(), name.end(), [](unsigned char c) {
        return c == '.' || c == ' ' || c == '/' || std::iscntrl(c);
    });
    if (bad != name.end())
        throw api::invalid_parameter("Invalid name '" + std::string(name) + "' in " + std::string(field) +
                                     ": names cannot contain a period, space, forward slash or control character");
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower;
}

std::vector<std::string> split_full_name(std::string_view full_name, Kind kind) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto dot = full_name.find('.', start);
        parts.push_back(std::string(full_name.substr(start, dot - start)));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    const auto& text = text_of(kind);
    if (parts.size() != text.parts)
        throw api::invalid_parameter("Invalid " + std::string(text.noun) + " name '" + std::string(full_name) +
                                     "': expected " + std::to_string(text.parts) + " part" +
                                     (text.parts == 1 ? "" : "s") + " separated by periods");
    for (auto& part : parts) part = checked_name(part, "full_name");
    return parts;
}

std::string join_full_name(const std::vector<std::string>& parts, std::size_t count) {
    std::string joined;
    for (std::size_t i = 0; i < count && i < parts.size(); ++i) joined += (i ? "." : "") + parts[i];
    return joined;
}

api::ApiError already_exists(Kind kind, const std::string& full_name) {
    const auto& text = text_of(kind);
    return api::ApiError(409, text.exists_code, std::string(text.noun) + " '" + full_name + "' already exists");
}

api::ApiError does_not_exist(Kind kind, const std::string& full_name) {
    const auto& text = text_of(kind);
    return api::ApiError(404, text.missing_code, std::string(text.noun) + " '" + full_name + "' does not exist.");
}

}  // namespace brix::engine::catalog
