#include "engine/store/migrations.hpp"

namespace brix::engine::store {

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
        // 2: jobs, runs (job runs and their task runs in one table), task values, secrets.
        R"sql(
        CREATE TABLE jobs (
            job_id       INTEGER PRIMARY KEY AUTOINCREMENT,
            settings     TEXT NOT NULL,
            created_time INTEGER NOT NULL,
            creator      TEXT NOT NULL
        );
        INSERT INTO sqlite_sequence (name, seq) VALUES ('jobs', 100);
        CREATE TABLE runs (
            run_id            INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id            INTEGER,
            parent_run_id     INTEGER,
            task_key          TEXT,
            attempt_number    INTEGER NOT NULL DEFAULT 0,
            original_attempt_run_id INTEGER,
            run_type          TEXT NOT NULL,
            run_name          TEXT,
            settings          TEXT NOT NULL,
            overriding        TEXT,
            life_cycle_state  TEXT NOT NULL,
            result_state      TEXT,
            state_message     TEXT NOT NULL DEFAULT '',
            outcome           TEXT,
            created_time      INTEGER NOT NULL,
            start_time        INTEGER NOT NULL DEFAULT 0,
            end_time          INTEGER NOT NULL DEFAULT 0,
            setup_duration    INTEGER NOT NULL DEFAULT 0,
            execution_duration INTEGER NOT NULL DEFAULT 0,
            executor_pid      INTEGER,
            executor_started  TEXT,
            task_pid          INTEGER,
            cancel_requested  INTEGER NOT NULL DEFAULT 0,
            idempotency_token TEXT,
            metrics           TEXT,
            output            TEXT
        );
        INSERT INTO sqlite_sequence (name, seq) VALUES ('runs', 1000);
        CREATE INDEX runs_by_job ON runs (job_id, run_id);
        CREATE INDEX runs_by_parent ON runs (parent_run_id);
        CREATE INDEX runs_active ON runs (life_cycle_state);
        CREATE UNIQUE INDEX runs_by_token ON runs (idempotency_token) WHERE idempotency_token IS NOT NULL;
        CREATE TABLE task_values (
            job_run_id INTEGER NOT NULL,
            task_key   TEXT NOT NULL,
            key        TEXT NOT NULL,
            value      TEXT NOT NULL,
            PRIMARY KEY (job_run_id, task_key, key)
        );
        CREATE TABLE secret_scopes (
            name         TEXT PRIMARY KEY,
            backend_type TEXT NOT NULL DEFAULT 'DATABRICKS',
            created_time INTEGER NOT NULL
        );
        CREATE TABLE secrets (
            scope        TEXT NOT NULL REFERENCES secret_scopes (name) ON DELETE CASCADE,
            key          TEXT NOT NULL,
            value        BLOB NOT NULL,
            last_updated INTEGER NOT NULL,
            PRIMARY KEY (scope, key)
        );
        )sql",
        // 3: access tokens for `brix serve`, kept as SHA-256 hashes only.
        R"sql(
        CREATE TABLE tokens (
            token_id      TEXT PRIMARY KEY,
            token_hash    TEXT NOT NULL UNIQUE,
            comment       TEXT NOT NULL DEFAULT '',
            creation_time INTEGER NOT NULL,
            expiry_time   INTEGER NOT NULL DEFAULT -1
        );
        )sql",
        // 4: secret scope ACLs (stored and reported; the local engine's one user manages every scope).
        R"sql(
        CREATE TABLE secret_acls (
            scope      TEXT NOT NULL REFERENCES secret_scopes (name) ON DELETE CASCADE,
            principal  TEXT NOT NULL,
            permission TEXT NOT NULL CHECK (permission IN ('READ', 'WRITE', 'MANAGE')),
            PRIMARY KEY (scope, principal)
        );
        )sql",
        // 5: repos (a git clone under repos/<repo_id>, mirrored into the workspace; repo_id is the
        // object_id of the repo's folder), clusters (local execution environments) and the commit
        // each run with git_source ran.
        R"sql(
        CREATE TABLE repos (
            repo_id         INTEGER PRIMARY KEY,
            path            TEXT NOT NULL UNIQUE,
            url             TEXT NOT NULL,
            provider        TEXT NOT NULL,
            branch          TEXT,
            head_commit_id  TEXT,
            sparse_patterns TEXT,
            created_at      INTEGER NOT NULL,
            updated_at      INTEGER NOT NULL
        );
        CREATE TABLE clusters (
            cluster_id          TEXT PRIMARY KEY,
            spec                TEXT NOT NULL,
            state               TEXT NOT NULL,
            state_message       TEXT NOT NULL DEFAULT '',
            creator             TEXT NOT NULL,
            cluster_source      TEXT NOT NULL DEFAULT 'API',
            start_time          INTEGER NOT NULL DEFAULT 0,
            ready_at            INTEGER NOT NULL DEFAULT 0,
            terminated_time     INTEGER NOT NULL DEFAULT 0,
            last_restarted_time INTEGER NOT NULL DEFAULT 0,
            last_activity_time  INTEGER NOT NULL DEFAULT 0,
            termination_reason  TEXT
        );
        CREATE TABLE run_git_snapshots (
            run_id      INTEGER PRIMARY KEY,
            git_url     TEXT NOT NULL,
            used_commit TEXT NOT NULL
        );
        )sql",
        // 6: runs/list of one job walks that job's job runs newest first without stepping over its
        // task runs (runs_by_job holds both; a 200-task job has 200 task runs per job run).
        R"sql(
        CREATE INDEX runs_listed_by_job ON runs (job_id, run_id) WHERE parent_run_id IS NULL;
        )sql",
        // 7: Unity Catalog names (a volume's files live under dbfs/Volumes/<catalog>/<schema>/<volume>),
        // SCIM principals, object ACLs (Permissions API) and cluster libraries. The `main` catalog
        // and its `default` schema exist from the start, as in a new workspace.
        R"sql(
        CREATE TABLE uc_securables (
            kind      TEXT NOT NULL CHECK (kind IN ('CATALOG', 'SCHEMA', 'VOLUME')),
            full_name TEXT NOT NULL,
            parent    TEXT NOT NULL,
            info      TEXT NOT NULL,
            PRIMARY KEY (kind, full_name)
        );
        CREATE INDEX uc_by_parent ON uc_securables (kind, parent, full_name);
        INSERT INTO uc_securables (kind, full_name, parent, info) VALUES
            ('CATALOG', 'main', '', json_object('name', 'main', 'owner', 'System user', 'catalog_type', 'MANAGED_CATALOG',
                'comment', 'Main catalog (auto-created)', 'created_at', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
                'created_by', 'System user', 'updated_at', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
                'updated_by', 'System user')),
            ('SCHEMA', 'main.default', 'main', json_object('name', 'default', 'owner', 'System user',
                'comment', 'Default schema (auto-created)', 'created_at', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
                'created_by', 'System user', 'updated_at', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
                'updated_by', 'System user', 'schema_id', lower(hex(randomblob(16)))));
        CREATE TABLE principals (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            kind      TEXT NOT NULL CHECK (kind IN ('USER', 'GROUP', 'SERVICE_PRINCIPAL')),
            name      TEXT NOT NULL,
            resource  TEXT NOT NULL,
            UNIQUE (kind, name)
        );
        INSERT INTO sqlite_sequence (name, seq) VALUES ('principals', 7000000000000000);
        INSERT INTO principals (kind, name, resource) VALUES
            ('GROUP', 'admins', '{"displayName": "admins"}'),
            ('GROUP', 'users', '{"displayName": "users"}');
        CREATE TABLE object_acls (
            object_type     TEXT NOT NULL,
            object_id       TEXT NOT NULL,
            principal_kind  TEXT NOT NULL CHECK (principal_kind IN ('USER', 'GROUP', 'SERVICE_PRINCIPAL')),
            principal       TEXT NOT NULL,
            permission      TEXT NOT NULL,
            position        INTEGER NOT NULL,
            PRIMARY KEY (object_type, object_id, principal_kind, principal)
        );
        CREATE TABLE cluster_libraries (
            cluster_id TEXT NOT NULL,
            library    TEXT NOT NULL,
            status     TEXT NOT NULL CHECK (status IN ('INSTALLED', 'UNINSTALL_ON_RESTART')),
            marked_at  INTEGER NOT NULL DEFAULT 0,
            position   INTEGER NOT NULL,
            PRIMARY KEY (cluster_id, library)
        );
        )sql",
        // 8: repairs of job runs (runs/repair). A repair's task runs are the run's task runs from
        // first_task_run_id on (up to the next repair's); `previous` keeps the state and end time
        // the run had before the repair, for repair_history.
        R"sql(
        CREATE TABLE run_repairs (
            repair_id         INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id            INTEGER NOT NULL,
            created_time      INTEGER NOT NULL,
            first_task_run_id INTEGER NOT NULL,
            previous          TEXT NOT NULL
        );
        CREATE INDEX run_repairs_by_run ON run_repairs (run_id, repair_id);
        )sql",
    };
    return steps;
}

}  // namespace brix::engine::store
