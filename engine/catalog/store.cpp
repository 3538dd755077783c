#include "engine/catalog/store.hpp"

namespace brix::engine::catalog {
namespace {

Securable securable_of(Kind kind, store::Statement& stmt) {
    return Securable{kind, stmt.text(0), stmt.text(1), api::Json::parse(stmt.text(2))};
}

// Every row below `full_name`: its own full name is a prefix followed by a period, and names
// never contain a period.
const char* const kBelow = "(full_name LIKE ? || '.%' ESCAPE '\\')";

std::string like_escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::optional<Securable> find_securable(store::Database& db, Kind kind, const std::string& full_name) {
    auto stmt = db.prepare("SELECT full_name, parent, info FROM uc_securables WHERE kind = ? AND full_name = ?");
    stmt.bind(1, text_of(kind).row_kind).bind(2, full_name);
    if (!stmt.step()) return std::nullopt;
    return securable_of(kind, stmt);
}

std::vector<Securable> list_securables(store::Database& db, Kind kind, const std::string& parent,
                                       const std::string& after, std::int64_t limit) {
    auto stmt = db.prepare("SELECT full_name, parent, info FROM uc_securables WHERE kind = ? AND parent = ? "
                           "AND full_name > ? ORDER BY full_name LIMIT ?");
    stmt.bind(1, text_of(kind).row_kind).bind(2, parent).bind(3, after).bind(4, limit > 0 ? limit : -1);
    std::vector<Securable> rows;
    while (stmt.step()) rows.push_back(securable_of(kind, stmt));
    return rows;
}

std::int64_t count_securables(store::Database& db, Kind kind, const std::string& parent) {
    auto stmt = db.prepare("SELECT count(*) FROM uc_securables WHERE kind = ? AND parent = ?");
    stmt.bind(1, text_of(kind).row_kind).bind(2, parent);
    stmt.step();
    return stmt.integer(0);
}

void insert_securable(store::Database& db, const Securable& row) {
    db.prepare("INSERT INTO uc_securables (kind, full_name, parent, info) VALUES (?, ?, ?, ?)")
        .bind(1, text_of(row.kind).row_kind)
        .bind(2, row.full_name)
        .bind(3, row.parent)
        .bind(4, row.info.dump())
        .run();
}

void save_securable(store::Database& db, const Securable& row) {
    db.prepare("UPDATE uc_securables SET info = ? WHERE kind = ? AND full_name = ?")
        .bind(1, row.info.dump())
        .bind(2, text_of(row.kind).row_kind)
        .bind(3, row.full_name)
        .run();
}

void erase_securable(store::Database& db, Kind kind, const std::string& full_name) {
    db.prepare("DELETE FROM uc_securables WHERE kind = ? AND full_name = ?")
        .bind(1, text_of(kind).row_kind)
        .bind(2, full_name)
        .run();
    db.prepare(std::string("DELETE FROM uc_securables WHERE ") + kBelow).bind(1, like_escaped(full_name)).run();
}

void rename_securable(store::Database& db, Kind kind, const std::string& from, const std::string& to) {
    db.prepare("UPDATE uc_securables SET full_name = ? WHERE kind = ? AND full_name = ?")
        .bind(1, to)
        .bind(2, text_of(kind).row_kind)
        .bind(3, from)
        .run();
    auto offset = static_cast<std::int64_t>(from.size()) + 1;
    db.prepare(std::string("UPDATE uc_securables SET full_name = ? || substr(full_name, ?), "
                           "parent = ? || substr(parent, ?) WHERE ") + kBelow)
        .bind(1, to)
        .bind(2, offset)
        .bind(3, to)
        .bind(4, offset)
        .bind(5, like_escaped(from))
        .run();
}

}  // namespace brix::engine::catalog
