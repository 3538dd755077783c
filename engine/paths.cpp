#include "engine/paths.hpp"

#include <vector>

#include "api/api.hpp"

namespace brix::engine {
namespace {

bool has_control_character(std::string_view text) {
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7F) return true;
    return false;
}

bool starts_with_segment(std::string_view path, std::string_view prefix) {
    return path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

std::string normalize_path(std::string_view raw, std::string_view what) {
    if (raw.empty()) throw api::invalid_parameter(std::string(what) + " must not be empty");
    if (has_control_character(raw))
        throw api::invalid_parameter(std::string(what) + " contains a NUL or control character");
    if (raw.front() != '/')
        throw api::invalid_parameter(std::string(what) + " must be absolute: " + std::string(raw));
    std::vector<std::string_view> segments;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        auto next = raw.find('/', pos);
        if (next == std::string_view::npos) next = raw.size();
        auto segment = raw.substr(pos, next - pos);
        pos = next + 1;
        if (segment.empty() || segment == ".") continue;
        if (segment == "..") {
            if (segments.empty())
                throw api::invalid_parameter(std::string(what) + " leaves the root: " + std::string(raw));
            segments.pop_back();
            continue;
        }
        segments.push_back(segment);
    }
    std::string out;
    for (auto segment : segments) {
        out += '/';
        out += segment;
    }
    return out.empty() ? "/" : out;
}

std::string normalize_workspace_path(std::string_view raw) {
    auto path = normalize_path(raw);
    if (starts_with_segment(path, "/Workspace")) path = path.size() == 10 ? "/" : path.substr(10);
    return path;
}

std::string normalize_dbfs_path(std::string_view raw) {
    if (raw.substr(0, 5) == "dbfs:") raw.remove_prefix(5);
    return normalize_path(raw);
}

std::string parent_path(std::string_view normalized) {
    auto slash = normalized.rfind('/');
    if (slash == 0 || slash == std::string_view::npos) return "/";
    return std::string(normalized.substr(0, slash));
}

std::string base_name(std::string_view normalized) {
    auto slash = normalized.rfind('/');
    return std::string(slash == std::string_view::npos ? normalized : normalized.substr(slash + 1));
}

std::string join_path(std::string_view parent, std::string_view name) {
    std::string out(parent);
    if (out.empty() || out.back() != '/') out += '/';
    out += name;
    return out;
}

}  // namespace brix::engine
