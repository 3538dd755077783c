#include "engine/store/paths.hpp"

#include <cstdint>
#include <vector>

#include "api/api.hpp"

namespace brix::engine::store {
namespace {

bool has_control_character(std::string_view text) {
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7F) return true;
    return false;
}

// Names travel as JSON strings, so they must be UTF-8: a name that is not could be stored, but no
// client could ever name it again (every listing shows it with U+FFFD in place of its bytes).
bool is_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (length == 0 || i + length > text.size()) return false;
        std::uint32_t code = length == 1 ? c : c & (0x7F >> length);
        for (std::size_t k = 1; k < length; ++k) {
            auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

bool starts_with_segment(std::string_view path, std::string_view prefix) {
    return path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

std::string normalize_path(std::string_view raw, std::string_view what) {
    if (raw.empty()) throw api::invalid_parameter(std::string(what) + " must not be empty");
    if (has_control_character(raw))
        throw api::invalid_parameter(std::string(what) + " contains a NUL or control character");
    if (!is_utf8(raw)) throw api::invalid_parameter(std::string(what) + " is not valid UTF-8");
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
        // the longest name a file system takes (NAME_MAX)
        if (segment.size() > 255)
            throw api::invalid_parameter(std::string(what) + " has a name longer than 255 bytes: " + std::string(segment.substr(0, 40)) + "...");
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

}  // namespace brix::engine::store
