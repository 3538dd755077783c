#pragma once
// The local engine's root folder: brix.db (SQLite), workspace/ (workspace object contents by
// path), dbfs/ (DBFS and, under dbfs/Volumes, Unity Catalog volumes), tmp/ (writes in flight) and
// writes/ (the notes that make a workspace write recoverable after a crash).

#include <filesystem>
#include <memory>

#include "engine/store/database.hpp"

// One alias for the whole engine: every area deals in paths.
namespace brix::engine {
namespace fs = std::filesystem;
}

namespace brix::engine::store {

class EngineRoot {
public:
    explicit EngineRoot(fs::path root);

    const fs::path& root() const { return root_; }
    fs::path workspace_dir() const { return root_ / "workspace"; }
    fs::path dbfs_dir() const { return root_ / "dbfs"; }
    fs::path tmp_dir() const { return root_ / "tmp"; }
    fs::path writes_dir() const { return root_ / "writes"; }  // notes of writes in flight (write_intent.hpp)
    Database& db();

private:
    fs::path root_;
    std::unique_ptr<Database> db_;  // opened on first use: commands that never touch it pay nothing
};

std::int64_t now_ms();

}  // namespace brix::engine::store
