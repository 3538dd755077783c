#pragma once
// Rows of uc_securables: one per catalog, schema and volume, keyed by kind and full name, with
// the fields the API reports kept as a JSON document (`info`).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/catalog/names.hpp"
#include "engine/store/database.hpp"

namespace brix::engine::catalog {

struct Securable {
    Kind kind = Kind::Catalog;
    std::string full_name;
    std::string parent;  // "" for a catalog, the catalog for a schema, "c.s" for a volume
    api::Json info = api::Json::object();
};

std::optional<Securable> find_securable(store::Database& db, Kind kind, const std::string& full_name);
// The children of `parent` in name order, those after `after` (a page token), at most `limit` (0: all).
std::vector<Securable> list_securables(store::Database& db, Kind kind, const std::string& parent,
                                       const std::string& after, std::int64_t limit);
std::int64_t count_securables(store::Database& db, Kind kind, const std::string& parent);
void insert_securable(store::Database& db, const Securable& row);
void save_securable(store::Database& db, const Securable& row);
// Removes the row and everything under it (a catalog's schemas and their volumes).
void erase_securable(store::Database& db, Kind kind, const std::string& full_name);
// Renames the row and rewrites the full names of everything under it.
void rename_securable(store::Database& db, Kind kind, const std::string& from, const std::string& to);

}  // namespace brix::engine::catalog
