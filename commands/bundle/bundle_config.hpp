#pragma once
// A bundle as the verbs see it once databricks.yml is loaded: the target merged in, variables and
// ${...} references substituted, task paths rewritten to where deploy puts the files.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"

namespace brix::cli {
class Context;
}

namespace brix::commands::bundle {

// What loading found wrong. Errors stop every verb before it changes anything; warnings name
// what brix ignores, so nothing in databricks.yml is dropped without a word.
struct Diagnostics {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;

    void error(std::string message) { errors.push_back(std::move(message)); }
    void warning(std::string message) { warnings.push_back(std::move(message)); }
};

// Which local files deploy uploads.
struct SyncRules {
    std::vector<std::string> include;  // brings back files the defaults leave out
    std::vector<std::string> exclude;  // wins over everything
};

enum class FileKind { File, Notebook };

// A local file that deploy uploads.
struct BundleFile {
    std::string path;            // relative to the bundle root, with '/'
    FileKind kind = FileKind::File;
    std::string workspace_name;  // relative to workspace.file_path: notebooks lose their extension
};

struct Bundle {
    std::filesystem::path root;    // the folder holding databricks.yml
    std::string name;
    std::string target;
    std::string mode;              // "development", "production" or ""
    std::string host;              // the workspace as configured (a URL, or local:ROOT)
    std::string user;              // workspace.current_user.userName
    std::string root_path;         // workspace.root_path
    std::string file_path;         // workspace.file_path: where the files go
    std::string state_path;        // workspace.state_path: the deployment state and the lock
    SyncRules sync;
    std::vector<BundleFile> files;  // what deploy uploads, sorted by path
    api::Json config;              // the resolved configuration (what `validate -o json` prints)

    // resources.jobs: key -> job settings as the Jobs API takes them.
    const api::Json& jobs() const;
    // Where this machine keeps its copy of the state: .databricks/bundle/<target>/.
    std::filesystem::path local_state_dir() const;
};

struct LoadOptions {
    std::optional<std::string> target;   // -t / --target
    std::vector<std::string> variables;  // --var name=value
};

// Finds databricks.yml in the current folder or its parents and loads it for a target. Needs the
// workspace for the current user; picks the profile from workspace.host / workspace.profile when
// the command line and environment name none. Problems land in `diagnostics`; a file that cannot
// be read or parsed throws.
Bundle load_bundle(cli::Context& context, const LoadOptions& options, Diagnostics& diagnostics);

// Prints the warnings, then every error but the last, and throws the last one (so the CLI's one
// error path prints it and exits 1). Does nothing more when there is no error.
void report_diagnostics(const Diagnostics& diagnostics);

}  // namespace brix::commands::bundle
