#include "cli/completion/values.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "cli/completion/live.hpp"
#include "cli/completion/walk.hpp"
#include "cli/config.hpp"
#include "cli/strings.hpp"

namespace brix::cli::completion {
namespace {

enum class ValueKind { None, Profile, LocalPath, JsonInput, WorkspacePath, FsPath, JobId, RunId, ClusterId, SecretScope };

constexpr std::size_t kMaxLocalPaths = 500;

std::string home() { return home_folder(); }

// "--job-id", "JOB_ID" and "job_id" all name the same thing: "job-id".
std::string argument_name(const CLI::Option& option) {
    auto name = option.get_single_name();
    for (auto& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

// Which side of a transfer an argument names. Legacy `import SOURCE TARGET` starts with the local
// file, the new `import TARGET --file SOURCE` with the workspace path.
ValueKind workspace_argument(const CompletionPoint& point, const std::string& verb, const std::string& name) {
    auto index = point.value_index;
    if (verb == "import") {
        if (name != "paths") return ValueKind::None;
        bool new_syntax = !point.given_value("--file").empty() || !point.given_value("--content").empty();
        return index == 0 && !new_syntax ? ValueKind::LocalPath : ValueKind::WorkspacePath;
    }
    if (verb == "export") return name != "paths" ? ValueKind::None : index == 0 ? ValueKind::WorkspacePath : ValueKind::LocalPath;
    if (verb == "import-dir") return name == "source" ? ValueKind::LocalPath : name == "target" ? ValueKind::WorkspacePath : ValueKind::None;
    if (verb == "export-dir") return name == "source" ? ValueKind::WorkspacePath : name == "target" ? ValueKind::LocalPath : ValueKind::None;
    return name == "path" ? ValueKind::WorkspacePath : ValueKind::None;
}

// Arguments are recognised by name, the same in every group (--job-id and JOB_ID, --file, ...),
// and paths by the group they belong to, so new verbs complete without being listed here.
ValueKind value_kind(const CompletionPoint& point) {
    auto name = argument_name(*point.option);
    const auto& path = point.command_path;
    std::string group = path.empty() ? "" : path[0];
    std::string verb = path.size() > 1 ? path[1] : "";
    if (name == "profile") return ValueKind::Profile;
    if (name == "job-id") return ValueKind::JobId;
    if (name == "run-id") return ValueKind::RunId;
    if (name == "cluster-id") return ValueKind::ClusterId;
    if (name == "scope") return verb == "create-scope" ? ValueKind::None : ValueKind::SecretScope;
    if (name == "json") return ValueKind::JsonInput;
    if (name == "file" || name.ends_with("-file") || name == "root") return ValueKind::LocalPath;
    if (point.option->nonpositional()) return ValueKind::None;
    if (group == "fs" && (name == "path" || name == "source" || name == "target")) return ValueKind::FsPath;
    if (group == "workspace") return workspace_argument(point, verb, name);
    return ValueKind::None;
}

std::vector<CompletionCandidate> profiles(const std::string& word) {
    std::optional<IniFile> ini;
    try {
        ini = load_ini_file(config_file_location(environment, home()).value);
    } catch (const ConfigError&) {  // no home folder: nothing to offer
        return {};
    }
    std::vector<CompletionCandidate> out;
    for (const auto& section : ini ? ini->sections : std::vector<IniSection>{}) {
        if (section.name == "__settings__" || (section.name == "DEFAULT" && section.entries.empty())) continue;
        if (section.name.starts_with(word)) out.push_back({section.name, section.get("host").value_or("")});
    }
    return out;
}

// Files and folders (with a trailing '/') in the folder the word names so far; "~/" keeps its
// spelling. Hidden entries only once the word asks for them.
std::vector<CompletionCandidate> local_paths(const std::string& word, const std::string& marker = "") {
    auto folder_part = word.substr(0, word.rfind('/') + 1);
    auto name_part = word.substr(folder_part.size());
    std::string folder = folder_part.empty() ? "." : folder_part;
    if (folder_part.starts_with("~/")) folder = home() + folder_part.substr(1);
    std::vector<CompletionCandidate> out;
    std::error_code error;
    for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end && out.size() < kMaxLocalPaths; it.increment(error)) {
        auto name = it->path().filename().string();
        if (!name.starts_with(name_part) || (name.starts_with('.') && !name_part.starts_with('.'))) continue;
        std::error_code ignored;
        bool is_folder = std::filesystem::is_directory(it->path(), ignored);
        out.push_back({marker + folder_part + name + (is_folder ? "/" : ""), ""});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.value < b.value; });
    return out;
}

// fs arguments: dbfs:/ paths from the backend, anything else a local path.
std::vector<CompletionCandidate> fs_paths(const CompletionPoint& point, Context& context) {
    const auto& word = point.word;
    if (word.starts_with("dbfs:/"))
        return ask_backend(context, point.given_value("--profile"), [&word](api::Api& api) { return dbfs_paths(api, word); });
    auto out = local_paths(word);
    if (std::string("dbfs:/").starts_with(word)) out.insert(out.begin(), {"dbfs:/", "DBFS"});
    return out;
}

std::vector<CompletionCandidate> values_of_kind(ValueKind kind, const CompletionPoint& point, Context& context) {
    const auto& word = point.word;
    auto profile = point.given_value("--profile");
    switch (kind) {
    case ValueKind::None: return {};
    case ValueKind::Profile: return profiles(word);
    case ValueKind::LocalPath: return local_paths(word);
    case ValueKind::JsonInput: return word.starts_with("@") ? local_paths(word.substr(1), "@") : std::vector<CompletionCandidate>{};
    case ValueKind::FsPath: return fs_paths(point, context);
    case ValueKind::WorkspacePath:
        return ask_backend(context, profile, [&word](api::Api& api) { return workspace_paths(api, word); });
    case ValueKind::JobId: return ask_backend(context, profile, [&word](api::Api& api) { return job_ids(api, word); });
    case ValueKind::RunId: {
        auto job_id = point.given_value("--job-id");
        if (job_id.empty()) job_id = point.given_value("JOB_ID");
        return ask_backend(context, profile, [&word, &job_id](api::Api& api) { return run_ids(api, word, job_id); });
    }
    case ValueKind::ClusterId: return ask_backend(context, profile, [&word](api::Api& api) { return cluster_ids(api, word); });
    case ValueKind::SecretScope: return ask_backend(context, profile, [&word](api::Api& api) { return secret_scopes(api, word); });
    }
    return {};
}

}  // namespace

std::vector<CompletionCandidate> argument_values(const CompletionPoint& point, Context& context) {
    try {
        return values_of_kind(value_kind(point), point, context);
    } catch (const std::exception&) {
        return {};  // e.g. an unreadable configuration file
    }
}

}  // namespace brix::cli::completion
