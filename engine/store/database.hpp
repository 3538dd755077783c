#pragma once
// A thin RAII layer over SQLite. Several brix processes share one database: WAL mode, a busy
// timeout, and BEGIN IMMEDIATE for every write so writers queue instead of failing.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace brix::engine::store {

class Database;

// A prepared statement borrowed from its Database: when it goes out of scope it is reset and
// handed back, so the next use of the same SQL skips SQLite's parser and planner (which cost more
// than the query itself for the one-row lookups `brix serve` answers most).
class Statement {
public:
    Statement(Database& owner, std::string_view sql);
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
    Database& owner_;
    sqlite3_stmt* stmt_ = nullptr;
    bool reusable_ = false;  // the whole text was one statement, so a later lookup can find it
};

// Looks cached statements up by the caller's string_view without building a std::string.
struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};

class Database {
public:
    explicit Database(const std::string& file);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    std::int64_t last_insert_id() const;
    int changes() const;

    // Runs `work` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it throws.
    void write_transaction(const std::function<void()>& work);

private:
    friend class Statement;
    sqlite3_stmt* borrow(std::string_view sql);
    void give_back(sqlite3_stmt* stmt, bool reusable);
    void migrate();

    sqlite3* db_ = nullptr;
    // Idle prepared statements by SQL text. A statement in use is not here, so a query that runs
    // while another of the same text is open (a nested lookup) prepares its own copy.
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>, SqlHash, std::equal_to<>> idle_;
    std::size_t idle_count_ = 0;
};

}  // namespace brix::engine::store
