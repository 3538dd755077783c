#pragma once
// Edits one section of an INI text in place, for `configure` and `auth`: every other line
// (other profiles, comments, blank lines, the order of keys) is kept byte for byte, which the
// legacy CLI's writer did not do (it dropped comments).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brix::commands {

struct IniChange {
    std::string key;
    std::optional<std::string> value;  // nullopt removes the key
};

// Applies `changes` to `section` (lines before the first header belong to DEFAULT, as the reader
// has it): an existing key's first line gets the new value and its repeats go, keys not there are
// added after the section's last entry, and a missing section is appended at the end. The text
// must be a valid file for cli::parse_ini; names and values may not hold line breaks
// (ConfigError), since the format has no way to write them.
std::string update_ini_section(std::string_view text, std::string_view section, const std::vector<IniChange>& changes);

}  // namespace brix::commands
