#pragma once
// Profile and backend resolution, following the Databricks conventions (~/.databrickscfg,
// --profile, DATABRICKS_* variables) with brix's local engine added: a host of "local" or
// "local:PATH", or no host at all, selects the local engine instead of a workspace.
//
// Everything the resolution reads (flag, environment, home folder) comes in through
// ConfigRequest, so it never touches the process environment and tests stay hermetic.

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brix::cli {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// --- INI (ini.cpp) ---------------------------------------------------------------------
//
// The dialect is the one the Go CLI's INI reader accepts, which is what people's existing
// files are written for:
// - full-line comments start with '#' or ';' (after optional blanks); there are no inline
//   comments, because tokens and passwords may contain those characters;
// - "key = value" or "key: value": the first '=' or ':' separates, so values may contain
//   both; key and value are trimmed; an empty value is kept as "";
// - keys and section names are case-sensitive;
// - a section that appears twice is merged, and a repeated key keeps its last value;
// - lines before the first section header belong to [DEFAULT] (Python's configparser would
//   reject them, Go's reader accepts them, and accepting loses nothing);
// - indented lines are ordinary lines, not continuations;
// - CRLF line ends and a UTF-8 byte order mark are tolerated;
// - anything else is a ConfigError naming the file and the 1-based line.

struct IniSection {
    std::string name;
    std::vector<std::pair<std::string, std::string>> entries;  // file order, keys unique

    std::optional<std::string> get(std::string_view key) const;
};

struct IniFile {
    std::vector<IniSection> sections;  // file order of first appearance

    const IniSection* find(std::string_view name) const;  // nullptr when absent
};

// file_name only labels error messages.
IniFile parse_ini(std::string_view text, std::string_view file_name);

// nullopt when the file does not exist; ConfigError when it exists but cannot be read or parsed.
std::optional<IniFile> load_ini_file(const std::string& path);

// --- Resolution (config.cpp) -----------------------------------------------------------

enum class Backend { Local, Remote };

struct Setting {
    std::string value;
    std::string source;  // e.g. "--profile flag", "DATABRICKS_HOST environment variable",
                         // "profile 'dev' in /home/u/.databrickscfg", "default"
};

struct ResolvedConfig {
    Backend backend = Backend::Local;
    std::string profile;      // profile name used, "" when none
    std::string config_file;  // path that was (or would be) read
    std::string local_root;   // for Backend::Local: the engine root folder
    // Every resolved attribute by SDK name (host, token, client_id, ...), every key of the
    // selected profile (legacy ones such as jobs-api-version too), plus "profile" and
    // "config_file". Only non-empty values are present. For Backend::Remote, "host" holds the
    // normalised URL.
    std::map<std::string, Setting> settings;

    std::string get(std::string_view key) const;  // "" when unset
};

// Returns the variable's value, or nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;

struct ConfigRequest {
    std::optional<std::string> profile_flag;  // --profile / -p; an empty value counts as absent
    EnvLookup env;                            // an empty function means an empty environment
    std::string home;                         // the user's home folder
};

ResolvedConfig resolve_config(const ConfigRequest& request);

// DATABRICKS_CONFIG_FILE (a leading ~/ expanded), else <home>/.databrickscfg, with its source.
// `configure` writes to the same place resolution reads from.
Setting config_file_location(const EnvLookup& env, std::string_view home);

// BRIX_HOME, else $XDG_DATA_HOME/brix (only when absolute, as the XDG spec requires), else
// <home>/.local/share/brix.
std::string default_local_root(const EnvLookup& env, std::string_view home);

// The host as the SDKs send requests to it: "https://" added when there is no scheme, the
// trailing slash and an explicit :443 on https dropped; other ports and path prefixes kept.
// nullopt when there is no host name to connect to (e.g. "https://").
std::optional<std::string> normalise_host(std::string_view host);

}  // namespace brix::cli
