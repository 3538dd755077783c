#include "engine/repos/git_source.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <fstream>

#include "engine/notebook/notebook.hpp"
#include "engine/repos/git.hpp"
#include "engine/repos/mirror.hpp"
#include "engine/repos/service.hpp"
#include "engine/store/file_ops.hpp"
#include "engine/store/paths.hpp"
#include "engine/store/sha256.hpp"

namespace brix::engine::repos {
namespace {

using api::Json;
namespace nb = notebook;

const char* const kRefFields[] = {"git_branch", "git_tag", "git_commit"};

std::string text_field(const Json& object, const char* key) {
    auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

bool is_hex(const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

// Serialises work on one mirror; the lock file sits beside it.
fs::path cache_dir(store::EngineRoot& root, const std::string& url) {
    auto dir = root.root() / "git-cache";
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) store::throw_io_error("cannot create", dir, errno);
    return dir / store::sha256_hex(url).substr(0, 16);
}

// The mirror of `url`, cloned on first use and fetched when `wanted` is not already in it.
void refresh_mirror(store::EngineRoot& root, const fs::path& cache, const std::string& url, const std::string& wanted, bool pinned) {
    if (!fs::is_directory(cache)) {
        git::check_local_repository(url);
        StagingDir stage(root.tmp_dir(), "mirror");
        git::check({"clone", "--quiet", "--mirror", "--", url, stage.path().string()}, {}, "Cannot clone " + git::redact_url(url));
        if (::rename(stage.path().c_str(), cache.c_str()) != 0) store::throw_io_error("cannot move the mirror to", cache, errno);
        stage.release();
        return;
    }
    if (pinned && git::resolve_commit(cache, wanted)) return;  // a commit never changes: no need to ask the remote
    git::check({"-c", "gc.auto=0", "fetch", "--quiet", "--prune", "--force", "origin"}, cache,
               "Cannot fetch from " + git::redact_url(url));
}

std::optional<std::string> read_marker(const fs::path& file) {
    std::ifstream in(file);
    std::string commit;
    if (!(in >> commit) || commit.empty()) return std::nullopt;
    return commit;
}

}  // namespace

void check_git_source(const Json& git_source) {
    if (!git_source.is_object()) throw api::invalid_parameter("git_source must be an object");
    auto url = text_field(git_source, "git_url");
    if (url.empty()) throw api::invalid_parameter("git_source.git_url is required");
    git::check_url(url);
    auto provider = text_field(git_source, "git_provider");
    if (provider.empty()) throw api::invalid_parameter("git_source.git_provider is required");
    if (!canonical_provider(provider)) throw api::invalid_parameter("Invalid git_source.git_provider: " + provider);
    int refs = 0;
    for (const char* field : kRefFields) {
        if (!git_source.contains(field) || git_source[field].is_null()) continue;
        if (!git_source[field].is_string() || git_source[field].get<std::string>().empty())
            throw api::invalid_parameter(std::string("git_source.") + field + " must be a non-empty string");
        ++refs;
    }
    if (refs > 1) throw api::invalid_parameter("Give only one of git_source.git_branch, git_tag and git_commit");
    auto commit = text_field(git_source, "git_commit");
    if (!commit.empty() && (!is_hex(commit) || commit.size() < 4 || commit.size() > 40))
        throw api::invalid_parameter("git_source.git_commit must be a commit hash, not " + commit);
}

GitSourceCheckout checkout_git_source(store::EngineRoot& root, const Json& git_source, const fs::path& run_dir, std::int64_t job_run_id) {
    check_git_source(git_source);
    auto url = text_field(git_source, "git_url");
    auto dir = run_dir / "git";
    auto marker = run_dir / "git_commit";
    if (auto commit = read_marker(marker); commit && fs::is_directory(dir)) return {dir, *commit, url};

    auto branch = text_field(git_source, "git_branch");
    auto tag = text_field(git_source, "git_tag");
    auto pinned = text_field(git_source, "git_commit");
    std::string revision = !branch.empty() ? "refs/heads/" + branch : !tag.empty() ? "refs/tags/" + tag : !pinned.empty() ? pinned : "HEAD";
    std::string named = !branch.empty() ? "branch '" + branch + "'" : !tag.empty() ? "tag '" + tag + "'"
                        : !pinned.empty() ? "commit " + pinned : "default branch";
    if (!branch.empty() || !tag.empty()) {
        auto check = git::run({"check-ref-format", revision});
        if (check.exit_code != 0 || branch.rfind('-', 0) == 0 || tag.rfind('-', 0) == 0)
            throw api::invalid_parameter("Invalid git_source " + named);
    }

    auto cache = cache_dir(root, url);
    git::FileLock lock(cache.string() + ".lock");
    refresh_mirror(root, cache, url, revision, !pinned.empty());
    auto commit = git::resolve_commit(cache, revision);
    if (!commit) throw api::ApiError(400, "GIT_UNKNOWN_REF", "The " + named + " does not exist in " + git::redact_url(url));

    fs::create_directories(run_dir);
    StagingDir work(root.tmp_dir(), "checkout");
    git::check({"clone", "--quiet", "--shared", "--no-checkout", "--", cache.string(), work.path().string()}, {},
               "Cannot check out " + git::redact_url(url), "INTERNAL_ERROR");
    git::check({"-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", *commit}, work.path(),
               "Cannot check out " + *commit + " of " + git::redact_url(url), "INTERNAL_ERROR");
    store::remove_tree(dir, root.tmp_dir());  // from an attempt that died before writing the marker
    if (::rename(work.path().c_str(), dir.c_str()) != 0) store::throw_io_error("cannot move the checkout to", dir, errno);
    work.release();
    std::ofstream(marker) << *commit << "\n";
    root.db().write_transaction([&] {
        root.db()
            .prepare("INSERT OR REPLACE INTO run_git_snapshots (run_id, git_url, used_commit) VALUES (?, ?, ?)")
            .bind(1, job_run_id)
            .bind(2, url)
            .bind(3, *commit)
            .run();
    });
    return {dir, *commit, url};
}

std::optional<std::string> used_commit(store::EngineRoot& root, std::int64_t job_run_id) {
    auto stmt = root.db().prepare("SELECT used_commit FROM run_git_snapshots WHERE run_id = ?");
    stmt.bind(1, job_run_id);
    if (!stmt.step()) return std::nullopt;
    return stmt.text(0);
}

std::optional<GitCode> find_git_code(const GitSourceCheckout& checkout, const std::string& path, CodeKind kind) {
    if (path.empty() || path.front() == '/')
        throw api::invalid_parameter("A task from git_source names its code relative to the repository root, not " + path);
    auto relative = store::normalize_path("/" + path, "path").substr(1);
    // A notebook is named without its extension; the bare name is tried last.
    std::vector<std::string> candidates;
    if (kind == CodeKind::Notebook)
        for (const char* extension : {".py", ".sql", ".scala", ".r", ".ipynb"}) candidates.push_back(relative + extension);
    candidates.push_back(relative);
    for (const auto& candidate : candidates) {
        auto disk = checkout.dir / candidate;
        if (candidate.empty() || !fs::is_regular_file(disk) || candidate.rfind(".git/", 0) == 0) continue;
        GitCode code{disk, candidate, "", ""};
        if (kind == CodeKind::File) return code;
        auto content = store::read_file(disk);
        bool ipynb = candidate.size() > 6 && candidate.substr(candidate.size() - 6) == ".ipynb";
        if (ipynb) {
            auto imported = nb::jupyter_to_source(content, std::nullopt);
            code.language = std::string(nb::language_name(imported.language));
            code.source = std::move(imported.source);
        } else {
            code.language = std::string(nb::language_name(nb::language_from_extension(candidate).value_or(nb::Language::Python)));
            code.source = std::move(content);
        }
        return code;
    }
    return std::nullopt;
}

std::string join_git_path(const std::string& from, const std::string& target) {
    auto slash = from.rfind('/');
    auto folder = slash == std::string::npos ? std::string() : from.substr(0, slash);
    return store::normalize_path("/" + folder + "/" + target, "%run path").substr(1);
}

}  // namespace brix::engine::repos
