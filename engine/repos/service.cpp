#include "engine/repos/service.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "engine/identity/current_user.hpp"
#include "engine/repos/git.hpp"
#include "engine/repos/mirror.hpp"
#include "engine/store/file_ops.hpp"
#include "engine/store/paths.hpp"
#include "engine/workspace/store.hpp"

namespace brix::engine::repos {
namespace {

using api::Json;

constexpr std::int64_t kPageSize = 100;

const std::vector<std::string>& providers() {
    static const std::vector<std::string> names = {"gitHub",          "bitbucketCloud",         "gitLab",
                                                   "azureDevOpsServices", "gitHubEnterprise", "bitbucketServer",
                                                   "gitLabEnterpriseEdition", "awsCodeCommit"};
    return names;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

struct RepoRow {
    std::int64_t id = 0;
    std::string path;
    std::string url;
    std::string provider;
    std::optional<std::string> branch;
    std::optional<std::string> head_commit_id;
    std::optional<std::string> sparse_patterns;  // JSON array text

    Json to_json() const {
        Json json{{"id", id}, {"path", path}, {"url", url}};
        if (!provider.empty()) json["provider"] = provider;
        if (branch) json["branch"] = *branch;
        if (head_commit_id) json["head_commit_id"] = *head_commit_id;
        if (sparse_patterns) json["sparse_checkout"] = Json{{"patterns", Json::parse(*sparse_patterns)}};
        return json;
    }
};

constexpr const char* kColumns = "SELECT repo_id, path, url, provider, branch, head_commit_id, sparse_patterns FROM repos ";

RepoRow read_row(store::Statement& stmt) {
    return RepoRow{stmt.integer(0),          stmt.text(1),          stmt.text(2), stmt.text(3),
                   stmt.optional_text(4), stmt.optional_text(5), stmt.optional_text(6)};
}

api::ApiError repo_not_found(std::int64_t repo_id) {
    return api::not_found("Repo " + std::to_string(repo_id) + " does not exist.");
}

fs::path repos_dir(store::EngineRoot& root) {
    auto dir = root.root() / "repos";
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) store::throw_io_error("cannot create", dir, errno);
    return dir;
}

fs::path clone_dir(store::EngineRoot& root, std::int64_t repo_id) { return repos_dir(root) / std::to_string(repo_id); }

std::optional<RepoRow> find_row(store::EngineRoot& root, std::int64_t repo_id) {
    auto stmt = root.db().prepare(std::string(kColumns) + "WHERE repo_id = ?");
    stmt.bind(1, repo_id);
    if (!stmt.step()) return std::nullopt;
    return read_row(stmt);
}

// A repo lives while its folder does: deleting the folder through the workspace API deletes it.
bool is_live(store::EngineRoot& root, const RepoRow& row) {
    auto stmt = root.db().prepare("SELECT 1 FROM workspace_objects WHERE path = ? AND object_id = ?");
    stmt.bind(1, row.path).bind(2, row.id);
    return stmt.step();
}

// Drops what is left of a repo whose folder is gone: its row and its clone.
void forget(store::EngineRoot& root, const RepoRow& row) {
    root.db().write_transaction([&] { root.db().prepare("DELETE FROM repos WHERE repo_id = ?").bind(1, row.id).run(); });
    store::remove_tree(clone_dir(root, row.id), root.tmp_dir());
}

RepoRow require_live(store::EngineRoot& root, std::int64_t repo_id) {
    auto row = find_row(root, repo_id);
    if (!row) throw repo_not_found(repo_id);
    if (!is_live(root, *row)) {
        forget(root, *row);
        throw repo_not_found(repo_id);
    }
    return *row;
}

// Folder rows for `path` and its parents, inside the caller's transaction.
void ensure_folders(store::EngineRoot& root, const std::string& path) {
    workspace::WorkspaceStore store(root);
    for (std::size_t pos = 1; pos <= path.size(); ++pos) {
        if (pos != path.size() && path[pos] != '/') continue;
        auto prefix = path.substr(0, pos);
        if (auto existing = store.find(prefix)) {
            if (existing->object_type != "DIRECTORY")
                throw api::invalid_parameter("Cannot create a repo under " + path + " because " + prefix + " is not a folder");
            continue;
        }
        auto now = store::now_ms();
        root.db()
            .prepare("INSERT INTO workspace_objects (path, parent, object_type, created_at, modified_at) VALUES (?, ?, 'DIRECTORY', ?, ?)")
            .bind(1, prefix)
            .bind(2, store::parent_path(prefix))
            .bind(3, now)
            .bind(4, now)
            .run();
    }
}

void check_ref_name(const fs::path& clone, const std::string& kind, const std::string& name) {
    auto result = git::run({"check-ref-format", "refs/" + std::string(kind == "branch" ? "heads/" : "tags/") + name}, clone);
    if (name.empty() || name.front() == '-' || result.exit_code != 0)
        throw api::invalid_parameter("Invalid " + kind + " name: " + name);
}

std::string sparse_json(const std::vector<std::string>& patterns) { return Json(patterns).dump(); }

void set_sparse(const fs::path& clone, const std::vector<std::string>& patterns) {
    std::vector<std::string> args = {"sparse-checkout", "set", "--cone", "--"};
    args.insert(args.end(), patterns.begin(), patterns.end());
    git::check(args, clone, "Cannot set the sparse checkout patterns", "INVALID_PARAMETER_VALUE");
}

}  // namespace

std::optional<std::string> canonical_provider(const std::string& provider) {
    for (const auto& name : providers())
        if (lower(name) == lower(provider)) return name;
    return std::nullopt;
}

std::string checked_repo_path(const std::string& raw) {
    auto path = store::normalize_workspace_path(raw);
    int segments = static_cast<int>(std::count(path.begin(), path.end(), '/'));
    if (path.rfind("/Repos/", 0) != 0 || segments != 3)
        throw api::invalid_parameter("Repos paths must be in /Repos/{folder}/{repo} format, not " + raw);
    return path;
}

bool is_repo_folder(store::EngineRoot& root, const std::string& path, std::int64_t object_id) {
    if (path.rfind("/Repos/", 0) != 0) return false;
    auto stmt = root.db().prepare("SELECT 1 FROM repos WHERE repo_id = ? AND path = ?");
    stmt.bind(1, object_id).bind(2, path);
    return stmt.step();
}

std::optional<fs::path> repo_root_on_disk(store::EngineRoot& root, const std::string& path) {
    if (path.rfind("/Repos/", 0) != 0) return std::nullopt;
    auto third = path.find('/', path.find('/', 7) + 1);
    if (path.find('/', 7) == std::string::npos || third == std::string::npos) return std::nullopt;
    auto repo_path = path.substr(0, third);
    auto stmt = root.db().prepare(
        "SELECT 1 FROM repos r JOIN workspace_objects w ON w.path = r.path AND w.object_id = r.repo_id WHERE r.path = ?");
    stmt.bind(1, repo_path);
    if (!stmt.step()) return std::nullopt;
    return workspace::WorkspaceStore(root).disk_path(repo_path);
}

Json RepoService::create(const CreateRequest& request) {
    git::check_url(request.url);
    std::string provider;
    if (request.provider && request.provider->find_first_not_of(" \t") != std::string::npos) {
        auto canonical = canonical_provider(*request.provider);
        if (!canonical)
            throw api::invalid_parameter("Invalid Git provider: " + *request.provider +
                                         " (expected gitHub, gitLab, bitbucketCloud, azureDevOpsServices, gitHubEnterprise, "
                                         "bitbucketServer, gitLabEnterpriseEdition or awsCodeCommit)");
        provider = *canonical;
    } else {
        throw api::invalid_parameter("Missing required field: provider");  // required by Databricks, local URLs too
    }
    if (git::is_local_url(request.url) && request.url.rfind("file://", 0) != 0 && request.url.front() != '/')
        throw api::invalid_parameter("A local repository must be given by an absolute path or a file:// URL, not " + request.url);
    auto name = git::repo_name_from_url(request.url);
    auto path = checked_repo_path(request.path ? *request.path : "/Repos/" + identity::current_user() + "/" + name);
    workspace::WorkspaceStore store(root_);
    if (store.find(path)) throw api::already_exists("Path (" + path + ") already exists.");

    git::check_local_repository(request.url);
    StagingDir clone(root_.tmp_dir(), "clone");
    std::vector<std::string> args = {"clone", "--quiet", "--origin", "origin"};
    if (!request.sparse_patterns.empty()) args.push_back("--no-checkout");
    args.insert(args.end(), {"--", request.url, clone.path().string()});
    git::check(args, {}, "Cannot clone " + git::redact_url(request.url));
    auto branch = git::current_branch(clone.path());
    if (!request.sparse_patterns.empty()) {
        set_sparse(clone.path(), request.sparse_patterns);
        if (branch) git::check({"checkout", "--quiet", *branch}, clone.path(), "Cannot check out " + *branch, "GIT_CONFLICT");
    }
    auto head = git::resolve_commit(clone.path(), "HEAD");  // none for an empty repository

    StagingDir tree(root_.tmp_dir(), "repo");
    auto objects = stage_checkout(clone.path(), tree.path());
    std::int64_t repo_id = 0;
    std::optional<std::int64_t> stale;
    auto& db = root_.db();
    db.write_transaction([&] {
        if (store.find(path)) throw api::already_exists("Path (" + path + ") already exists.");
        auto previous = db.prepare("SELECT repo_id FROM repos WHERE path = ?");
        previous.bind(1, path);
        if (previous.step()) {
            stale = previous.integer(0);  // its folder was deleted through the workspace API
            db.prepare("DELETE FROM repos WHERE repo_id = ?").bind(1, *stale).run();
        }
        ensure_folders(root_, path);
        repo_id = store.require(path).object_id;
        replace_rows(db, path, objects);
        auto now = store::now_ms();
        db.prepare("INSERT INTO repos (repo_id, path, url, provider, branch, head_commit_id, sparse_patterns, created_at, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, repo_id)
            .bind(2, path)
            .bind(3, request.url)
            .bind(4, provider)
            .bind_optional(5, branch)
            .bind_optional(6, head)
            .bind_optional(7, request.sparse_patterns.empty() ? std::nullopt : std::optional(sparse_json(request.sparse_patterns)))
            .bind(8, now)
            .bind(9, now)
            .run();
        install_tree(tree, store.disk_path(path), root_.tmp_dir());
        auto target = clone_dir(root_, repo_id);
        store::remove_tree(target, root_.tmp_dir());  // left by a repo whose row is gone
        if (::rename(clone.path().c_str(), target.c_str()) != 0) store::throw_io_error("cannot move the clone to", target, errno);
        clone.release();
    });
    if (stale) store::remove_tree(clone_dir(root_, *stale), root_.tmp_dir());
    return get(repo_id);
}

Json RepoService::get(std::int64_t repo_id) { return require_live(root_, repo_id).to_json(); }

Json RepoService::list(const std::optional<std::string>& path_prefix, const std::optional<std::string>& page_token) {
    std::string prefix = "/Repos";
    if (path_prefix && !path_prefix->empty()) {
        auto normalized = store::normalize_workspace_path(*path_prefix);
        if (normalized != "/") prefix = normalized;
    }
    std::vector<RepoRow> rows;
    {
        auto stmt = root_.db().prepare(std::string(kColumns) + "WHERE substr(path, 1, ?) = ? AND path > ? ORDER BY path LIMIT ?");
        stmt.bind(1, static_cast<std::int64_t>(prefix.size())).bind(2, prefix).bind(3, page_token.value_or("")).bind(4, kPageSize + 1);
        while (stmt.step()) rows.push_back(read_row(stmt));
    }
    Json repos = Json::array();
    bool more = static_cast<std::int64_t>(rows.size()) > kPageSize;
    if (more) rows.pop_back();
    for (const auto& row : rows) {
        if (is_live(root_, row)) repos.push_back(row.to_json());
        else forget(root_, row);
    }
    Json result = Json::object();
    if (!repos.empty()) result["repos"] = std::move(repos);
    if (more) result["next_page_token"] = rows.back().path;
    return result;
}

void RepoService::update(std::int64_t repo_id, const UpdateRequest& request) {
    if (request.branch && request.tag) throw api::invalid_parameter("Only one of branch and tag can be given");
    if (!request.branch && !request.tag && !request.sparse_patterns)
        throw api::invalid_parameter("Give the branch or the tag to check out");
    auto row = require_live(root_, repo_id);
    git::FileLock lock(repos_dir(root_) / (std::to_string(repo_id) + ".lock"));
    auto clone = clone_dir(root_, repo_id);
    if (!fs::is_directory(clone / ".git"))
        throw api::ApiError(500, "INTERNAL_ERROR",
                            "The git clone of repo " + std::to_string(repo_id) + " is missing from " + clone.string() +
                                "; delete the repo and create it again");
    if (request.sparse_patterns) {
        if (!row.sparse_patterns)
            throw api::invalid_parameter("Sparse checkout was not enabled when repo " + std::to_string(repo_id) + " was created");
        set_sparse(clone, *request.sparse_patterns);
        row.sparse_patterns = sparse_json(*request.sparse_patterns);
    }
    if (request.branch || request.tag) {
        const auto& kind = request.branch ? std::string("branch") : std::string("tag");
        const auto& name = request.branch ? *request.branch : *request.tag;
        check_ref_name(clone, kind, name);
        git::check({"fetch", "--quiet", "--prune", "--force", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"},
                   clone, "Cannot fetch from " + git::redact_url(row.url));
        auto commit = git::resolve_commit(clone, request.branch ? "refs/remotes/origin/" + name : "refs/tags/" + name);
        if (!commit)
            throw api::ApiError(400, "GIT_UNKNOWN_REF",
                                "The " + kind + " '" + name + "' does not exist in " + git::redact_url(row.url));
        if (request.branch)
            git::check({"checkout", "--quiet", "--force", "-B", name, *commit}, clone, "Cannot check out branch " + name, "GIT_CONFLICT");
        else
            git::check({"checkout", "--quiet", "--force", "--detach", *commit}, clone, "Cannot check out tag " + name, "GIT_CONFLICT");
        row.branch = request.branch;
        row.head_commit_id = commit;
    }

    StagingDir tree(root_.tmp_dir(), "repo");
    auto objects = stage_checkout(clone, tree.path());
    auto& db = root_.db();
    db.write_transaction([&] {
        if (!is_live(root_, row)) throw repo_not_found(repo_id);
        replace_rows(db, row.path, objects);
        db.prepare("UPDATE repos SET branch = ?, head_commit_id = ?, sparse_patterns = ?, updated_at = ? WHERE repo_id = ?")
            .bind_optional(1, row.branch)
            .bind_optional(2, row.head_commit_id)
            .bind_optional(3, row.sparse_patterns)
            .bind(4, store::now_ms())
            .bind(5, repo_id)
            .run();
        install_tree(tree, workspace::WorkspaceStore(root_).disk_path(row.path), root_.tmp_dir());
    });
}

void RepoService::remove(std::int64_t repo_id) {
    auto row = find_row(root_, repo_id);
    if (!row) throw repo_not_found(repo_id);
    git::FileLock lock(repos_dir(root_) / (std::to_string(repo_id) + ".lock"));
    bool live = false;
    root_.db().write_transaction([&] {
        live = is_live(root_, *row);
        if (live) delete_rows(root_.db(), row->path);
        root_.db().prepare("DELETE FROM repos WHERE repo_id = ?").bind(1, repo_id).run();
    });
    if (live) store::remove_tree(workspace::WorkspaceStore(root_).disk_path(row->path), root_.tmp_dir());
    store::remove_tree(clone_dir(root_, repo_id), root_.tmp_dir());
    std::error_code ignored;
    fs::remove(repos_dir(root_) / (std::to_string(repo_id) + ".lock"), ignored);
    if (!live) throw repo_not_found(repo_id);
}

}  // namespace brix::engine::repos
