#pragma once
// Jobs with git_source: the task code comes from a git repository at a branch, tag or commit.
// Each URL has one bare mirror under <root>/git-cache/<hash of the URL>, cloned once and fetched
// when a run needs it (under a lock, so concurrent runs share it safely). A run resolves its
// commit once, checks it out into <run folder>/git (every task of the run uses the same commit)
// and records it; runs/get reports it as git_source.git_snapshot.used_commit.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::repos {

struct GitSourceCheckout {
    std::filesystem::path dir;  // working tree of `commit`
    std::string commit;
    std::string url;
};

// Throws INVALID_PARAMETER_VALUE unless git_source has git_url, a known git_provider and at most
// one of git_branch, git_tag, git_commit.
void check_git_source(const api::Json& git_source);

// The checkout of the run (made on first use, reused by the run's later tasks). Throws GIT_*
// errors when the repository or the reference cannot be reached.
GitSourceCheckout checkout_git_source(store::EngineRoot& root, const api::Json& git_source, const std::filesystem::path& run_dir,
                                      std::int64_t job_run_id);

// The commit a run with git_source ran, once a task has checked it out.
std::optional<std::string> used_commit(store::EngineRoot& root, std::int64_t job_run_id);

enum class CodeKind { File, Notebook };

// Code a task names by a path relative to the repository root. A notebook may be named without
// its extension (.py, .sql, .scala, .r, .ipynb), as Databricks lets git tasks name it.
struct GitCode {
    std::filesystem::path disk_path;
    std::string relative_path;  // "notebooks/etl.py"
    std::string language;       // notebooks: PYTHON, SQL, SCALA, R
    std::string source;         // notebooks: SOURCE text (a Jupyter notebook converted)
};
std::optional<GitCode> find_git_code(const GitSourceCheckout& checkout, const std::string& path, CodeKind kind);

// `target` (a %run argument) relative to the folder of `from` ("a/b.py" + "../c" -> "c").
std::string join_git_path(const std::string& from, const std::string& target);

}  // namespace brix::engine::repos
