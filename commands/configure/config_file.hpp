#pragma once
// Reading and writing the configuration file (~/.databrickscfg or $DATABRICKS_CONFIG_FILE) for
// `configure` and `auth`: it holds tokens, so it is written owner-only and all at once, and a
// file others can read is pointed out.

#include <optional>
#include <string>
#include <string_view>

#include "cli/config.hpp"

namespace brix::commands {

// The process environment and home folder, as cli::resolve_config takes them.
std::optional<std::string> process_environment(std::string_view name);
std::string home_folder();

// Where the configuration file is (or would be), as resolution reads it.
cli::Setting configuration_file();

// The file's text, "" when it does not exist; ConfigError when it cannot be read.
std::string read_config_text(const std::string& path);

// Replaces the file (the target, when it is a symlink) with `text`, mode 0600: written to a
// temporary file beside it, synced and renamed into place, so a reader or a crash never sees a
// half-written file. Creates missing parent folders.
void write_private_file(const std::string& path, const std::string& text);

// "Warning: ..." on stderr when the file exists and its group or others may use it.
void warn_if_exposed(const std::string& path);

}  // namespace brix::commands
