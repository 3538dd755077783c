#pragma once
// A thin RAII layer over SQLite. Several brix processes share one database: WAL mode, a busy
// timeout, and BEGIN IMMEDIATE for every write so writers queue instead of failing.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace brix::engine::store {

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::nullptr_t);
    Statement& bind_optional(int index, const std::optional<std::string>& value);

    // Advances to the next row; false when there is none. Throws on error.
    bool step();
    void run();  // steps to completion

    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::int64_t integer(int column) const;
    bool is_null(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
public:
    explicit Database(const std::string& file);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(db_, sql); }
    std::int64_t last_insert_id() const;
    int changes() const;

    // Runs `work` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it throws.
    void write_transaction(const std::function<void()>& work);

private:
    void migrate();
    sqlite3* db_ = nullptr;
};

}  // namespace brix::engine::store
