// The file half of a deploy: only what changed goes up, what left the bundle goes away.
#include <set>

#include "commands/bundle/bundle_files.hpp"
#include "commands/bundle/deploy.hpp"
#include "commands/local_files.hpp"
#include "commands/workspace/workspace_calls.hpp"

namespace brix::commands::bundle {
namespace {

std::string parent_of(const std::string& path) { return path.substr(0, path.rfind('/')); }

void delete_object(api::Api& api, const std::string& path) {
    try {
        api.call(api::Method::Post, "/api/2.0/workspace/delete", {}, {{"path", path}, {"recursive", false}});
    } catch (const api::ApiError& error) {
        if (!is_missing(error)) throw;
    }
}

// Folders to create before uploading: only the deepest ones, since mkdirs makes the parents.
std::vector<std::string> deepest_folders(std::set<std::string> folders) {
    std::vector<std::string> deepest;
    for (auto it = folders.begin(); it != folders.end(); ++it) {
        auto next = std::next(it);
        if (next != folders.end() && next->starts_with(*it + "/")) continue;
        deepest.push_back(*it);
    }
    return deepest;
}

}  // namespace

void Progress::line(const std::string& text) const {
    if (!out) return;
    std::fflush(stdout);
    std::fprintf(out, "%s\n", text.c_str());
}

FileChanges sync_files(api::Api& api, const Bundle& bundle, DeploymentState& state, const Progress& progress) {
    FileChanges changes;
    progress.line("Uploading bundle files to " + bundle.file_path + "...");
    // Gone from the bundle, or landing elsewhere now (a notebook that became a plain file).
    std::set<std::string> wanted;
    for (const auto& file : bundle.files) wanted.insert(bundle.file_path + "/" + file.workspace_name);
    for (auto it = state.files.begin(); it != state.files.end();) {
        if (wanted.count(it->second.workspace_path)) {
            ++it;
            continue;
        }
        delete_object(api, it->second.workspace_path);
        progress.line("  deleted " + it->first);
        changes.deleted.push_back(it->first);
        it = state.files.erase(it);
    }

    std::vector<std::pair<const BundleFile*, std::string>> uploads;  // with their fingerprints
    std::set<std::string> folders{bundle.file_path};
    for (const auto& file : bundle.files) {
        auto fingerprint = content_fingerprint(bundle.root / file.path);
        auto known = state.files.find(file.path);
        if (known != state.files.end() && known->second.fingerprint == fingerprint) {
            ++changes.unchanged;
            continue;
        }
        uploads.emplace_back(&file, fingerprint);
        folders.insert(parent_of(bundle.file_path + "/" + file.path));
    }
    if (!uploads.empty() || state.files.empty())
        for (const auto& folder : deepest_folders(folders)) workspace::mkdirs(api, folder);
    for (const auto& [file, fingerprint] : uploads) {
        // import-file makes a notebook of a file with a notebook header, as AUTO import does, and
        // drops its extension; other files keep their bytes and their name.
        auto source = open_local_file((bundle.root / file->path).string());
        workspace::import_file(api, bundle.file_path + "/" + file->path, source, true);
        state.files[file->path] = {fingerprint, bundle.file_path + "/" + file->workspace_name};
        progress.line("  uploaded " + file->path);
        changes.uploaded.push_back(file->path);
    }
    return changes;
}

}  // namespace brix::commands::bundle
