#include "engine/migrations.hpp"

namespace brix::engine {

const std::vector<std::string>& migrations() {
    static const std::vector<std::string> steps = {
        // 1: workspace tree metadata (contents live under workspace/ on disk) and DBFS upload handles.
        R"sql(
        CREATE TABLE workspace_objects (
            object_id   INTEGER PRIMARY KEY AUTOINCREMENT,
            path        TEXT NOT NULL UNIQUE,
            parent      TEXT NOT NULL,
            object_type TEXT NOT NULL CHECK (object_type IN ('DIRECTORY', 'NOTEBOOK', 'FILE')),
            language    TEXT,
            created_at  INTEGER NOT NULL,
            modified_at INTEGER NOT NULL,
            size        INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX workspace_objects_by_parent ON workspace_objects (parent, path);
        INSERT INTO sqlite_sequence (name, seq) VALUES ('workspace_objects', 1000000000);
        INSERT INTO workspace_objects (path, parent, object_type, created_at, modified_at) VALUES
            ('/Users', '/', 'DIRECTORY', 0, 0),
            ('/Shared', '/', 'DIRECTORY', 0, 0),
            ('/Repos', '/', 'DIRECTORY', 0, 0);
        CREATE TABLE dbfs_handles (
            handle    INTEGER PRIMARY KEY AUTOINCREMENT,
            path      TEXT NOT NULL,
            overwrite INTEGER NOT NULL,
            temp_file TEXT NOT NULL,
            last_used INTEGER NOT NULL
        );
        )sql",
    };
    return steps;
}

}  // namespace brix::engine
