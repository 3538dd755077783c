#include "engine/store/database.hpp"

#include <sqlite3.h>

#include <cstring>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/store/migrations.hpp"

namespace brix::engine::store {
namespace {

constexpr int kBusyTimeoutMs = 30000;
// Enough for every distinct query of the engine; SQL built with values inline would otherwise
// grow the cache without bound, so past this statements are finalized instead of kept.
constexpr std::size_t kMaxIdleStatements = 256;

// SQLite says "disk I/O error" for a full disk too: the system's reason tells them apart.
std::string reason(sqlite3* db) {
    std::string message = sqlite3_errmsg(db);
    if (int error = sqlite3_system_errno(db); error != 0 && (sqlite3_errcode(db) == SQLITE_IOERR || sqlite3_errcode(db) == SQLITE_FULL))
        message += std::string(" (") + std::strerror(error) + ")";
    return message;
}

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    throw api::ApiError(500, "INTERNAL_ERROR", std::string(what) + ": " + reason(db));
}

// SQLite's memory statistics put one process-wide mutex around every allocation it makes, so
// the threads of `brix serve` would queue on it; nothing here reads those statistics. This must
// run before SQLite initialises, i.e. before the first connection opens.
void configure_sqlite_once() {
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
}

}  // namespace

Statement::Statement(Database& owner, std::string_view sql)
    : owner_(owner), stmt_(owner.borrow(sql)), reusable_(stmt_ && sql == sqlite3_sql(stmt_)) {}

Statement::~Statement() { owner_.give_back(stmt_, reusable_); }

Statement& Statement::bind(int index, std::string_view value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind(index, nullptr);
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(owner_.db_, "database error");
}

void Statement::run() {
    while (step()) {
    }
}

std::string Statement::text(int column) const {
    auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Database::Database(const std::string& file) {
    configure_sqlite_once();
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw api::ApiError(500, "INTERNAL_ERROR", "cannot open " + file + ": " + message);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    // A small page cache per connection: `brix serve` keeps one connection per thread.
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-1024;");
    migrate();
}

Database::~Database() {
    for (auto& [sql, statements] : idle_)
        for (auto* stmt : statements) sqlite3_finalize(stmt);
    sqlite3_close(db_);
}

sqlite3_stmt* Database::borrow(std::string_view sql) {
    if (auto it = idle_.find(sql); it != idle_.end() && !it->second.empty()) {
        auto* stmt = it->second.back();
        it->second.pop_back();
        --idle_count_;
        return stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        fail(db_, "cannot prepare statement");
    return stmt;
}

// Reset ends the statement's read (or write) of the database as finalize would. Statements are
// kept under the text SQLite compiled (sqlite3_sql).
void Database::give_back(sqlite3_stmt* stmt, bool reusable) {
    if (!stmt) return;
    sqlite3_reset(stmt);
    if (!reusable || idle_count_ >= kMaxIdleStatements) {
        sqlite3_finalize(stmt);
        return;
    }
    sqlite3_clear_bindings(stmt);
    std::string_view sql = sqlite3_sql(stmt);
    auto it = idle_.find(sql);
    if (it == idle_.end()) it = idle_.emplace(std::string(sql), std::vector<sqlite3_stmt*>{}).first;
    it->second.push_back(stmt);
    ++idle_count_;
}

void Database::exec(std::string_view sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? reason(db_) : "unknown error";
        sqlite3_free(error);
        throw api::ApiError(500, "INTERNAL_ERROR", "database error: " + message);
    }
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

void Database::write_transaction(const std::function<void()>& work) {
    exec("BEGIN IMMEDIATE");
    try {
        work();
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

// Each migration runs once, in its own transaction, numbered by PRAGMA user_version; the
// check is one read so opening an up-to-date root costs nothing.
void Database::migrate() {
    const auto& steps = migrations();
    auto current = [&] {
        auto stmt = prepare("PRAGMA user_version");
        stmt.step();
        return static_cast<std::size_t>(stmt.integer(0));
    };
    if (current() >= steps.size()) return;
    write_transaction([&] {
        for (auto version = current(); version < steps.size(); ++version) {
            exec(steps[version]);
            exec("PRAGMA user_version = " + std::to_string(version + 1));
        }
    });
}

}  // namespace brix::engine::store
