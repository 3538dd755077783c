#pragma once
// Repos (Git folders): a real git clone under <root>/repos/<repo_id>, mirrored into the workspace
// at /Repos/<folder>/<name> (see repos_mirror.hpp). The repo's id is the object_id of its folder
// in the workspace tree, so `workspace get-status` of the folder gives the repo id, as on
// Databricks. Git runs outside database transactions; the rows of a repo change in one.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::repos {

struct CreateRequest {
    std::string url;
    std::optional<std::string> provider;
    std::optional<std::string> path;
    std::vector<std::string> sparse_patterns;  // empty: a full checkout
};

struct UpdateRequest {
    std::optional<std::string> branch;
    std::optional<std::string> tag;
    std::optional<std::vector<std::string>> sparse_patterns;
};

class RepoService {
public:
    explicit RepoService(store::EngineRoot& root) : root_(root) {}

    api::Json create(const CreateRequest& request);
    api::Json get(std::int64_t repo_id);
    api::Json list(const std::optional<std::string>& path_prefix, const std::optional<std::string>& page_token);
    void update(std::int64_t repo_id, const UpdateRequest& request);
    void remove(std::int64_t repo_id);

private:
    store::EngineRoot& root_;
};

// "gitHub", "GITHUB" -> "gitHub"; nullopt for a provider Databricks does not know.
std::optional<std::string> canonical_provider(const std::string& provider);

// Checks a repo path: /Repos/<folder>/<name>, normalised. Throws INVALID_PARAMETER_VALUE.
std::string checked_repo_path(const std::string& raw);

// True when the folder row (path, object_id) is a repo's folder: what get-status and list would
// report as object_type REPO, as Databricks does.
bool is_repo_folder(store::EngineRoot& root, const std::string& path, std::int64_t object_id);

// The disk folder of the repo that holds workspace path `path` (for a notebook in a repo, its repo
// root goes on the task's PYTHONPATH, as on Databricks); nullopt outside repos.
std::optional<std::filesystem::path> repo_root_on_disk(store::EngineRoot& root, const std::string& path);

}  // namespace brix::engine::repos
