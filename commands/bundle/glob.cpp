#include "commands/bundle/glob.hpp"

#include <optional>
#include <string>
#include <utility>

namespace brix::commands::bundle {
namespace {

// `[...]` at the start of `pattern` against `c`; nullopt when the bracket never closes (then the
// '[' is an ordinary character, as in shells).
std::optional<std::pair<bool, std::size_t>> match_class(std::string_view pattern, char c) {
    std::size_t at = 1;
    bool negated = at < pattern.size() && (pattern[at] == '!' || pattern[at] == '^');
    if (negated) ++at;
    auto first = at;
    bool matched = false;
    for (; at < pattern.size(); ++at) {
        if (pattern[at] == ']' && at > first) return std::pair{matched != negated, at + 1};
        if (at + 2 < pattern.size() && pattern[at + 1] == '-' && pattern[at + 2] != ']') {
            matched = matched || (pattern[at] <= c && c <= pattern[at + 2]);
            at += 2;
        } else {
            matched = matched || pattern[at] == c;
        }
    }
    return std::nullopt;
}

bool match_from(std::string_view pattern, std::string_view path) {
    while (!pattern.empty()) {
        if (pattern.starts_with("**")) {
            auto rest = pattern.substr(2);
            if (rest.starts_with("/")) {
                // "**/": no folder, or any number of whole folders.
                rest.remove_prefix(1);
                if (match_from(rest, path)) return true;
                for (std::size_t i = 0; i < path.size(); ++i)
                    if (path[i] == '/' && match_from(rest, path.substr(i + 1))) return true;
                return false;
            }
            for (std::size_t i = 0; i <= path.size(); ++i)
                if (match_from(rest, path.substr(i))) return true;
            return false;
        }
        char wanted = pattern.front();
        if (wanted == '*') {
            auto rest = pattern.substr(1);
            for (std::size_t i = 0; i <= path.size(); ++i) {
                if (match_from(rest, path.substr(i))) return true;
                if (i < path.size() && path[i] == '/') return false;
            }
            return false;
        }
        if (path.empty()) return false;
        if (wanted == '?') {
            if (path.front() == '/') return false;
        } else if (wanted == '[') {
            if (auto bracket = match_class(pattern, path.front())) {
                if (!bracket->first || path.front() == '/') return false;
                pattern.remove_prefix(bracket->second);
                path.remove_prefix(1);
                continue;
            }
            if (path.front() != '[') return false;
        } else {
            if (wanted == '\\' && pattern.size() > 1) {
                pattern.remove_prefix(1);
                wanted = pattern.front();
            }
            if (path.front() != wanted) return false;
        }
        pattern.remove_prefix(1);
        path.remove_prefix(1);
    }
    return path.empty();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return match_from(pattern, path); }

bool sync_pattern_matches(std::string_view pattern, std::string_view path, PathKind kind) {
    bool anchored = false;
    if (pattern.starts_with("./")) {
        pattern.remove_prefix(2);
        anchored = true;
    } else if (pattern.starts_with("/")) {
        pattern.remove_prefix(1);
        anchored = true;
    }
    bool folders_only = pattern.ends_with("/");
    if (folders_only) pattern.remove_suffix(1);
    if (pattern.empty()) return false;
    anchored = anchored || pattern.find('/') != std::string_view::npos;
    std::string full = anchored ? std::string(pattern) : "**/" + std::string(pattern);
    // The file itself, then each folder it is in: "a/b/c.py" is checked as "a", "a/b", "a/b/c.py".
    for (std::size_t end = path.find('/'); end != std::string_view::npos; end = path.find('/', end + 1))
        if (match_from(full, path.substr(0, end))) return true;
    return (!folders_only || kind == PathKind::Folder) && match_from(full, path);
}

}  // namespace brix::commands::bundle
