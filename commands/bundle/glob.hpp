#pragma once
// Glob patterns over bundle-relative paths ("src/etl.py", always with '/'), for `include` and
// `sync.include` / `sync.exclude`.

#include <string_view>

namespace brix::commands::bundle {

// `*` and `?` stay within one folder name, `**` spans any number of folders (also none, so
// "src/**/*.py" matches "src/a.py"), `[abc]` / `[a-z]` / `[!a]` match one character.
bool glob_match(std::string_view pattern, std::string_view path);

enum class PathKind { File, Folder };

// The gitignore-style reading of a sync pattern: a pattern without a '/' (besides a trailing
// one) matches a name at any depth, a match on a folder covers everything inside it, and a
// trailing '/' matches folders only. A leading "./" or "/" anchors the pattern at the bundle root.
bool sync_pattern_matches(std::string_view pattern, std::string_view path, PathKind kind = PathKind::File);

}  // namespace brix::commands::bundle
