#pragma once
// Unity Catalog names. Catalogs, schemas and volumes form a three-level namespace addressed by
// full names ("main", "main.default", "main.default.landing"); every name is stored lower-case,
// as Unity Catalog does, so "Main.Default" names the same schema.

#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"

namespace brix::engine::catalog {

enum class Kind { Catalog, Schema, Volume };

// What the API calls each kind in messages and errors.
struct KindText {
    const char* noun;           // "Catalog"
    const char* row_kind;       // the uc_securables.kind value
    std::size_t parts;          // parts of a full name
    const char* exists_code;    // error_code of a duplicate create
    const char* missing_code;   // error_code of a lookup that finds nothing
};
const KindText& text_of(Kind kind);

// A name part checked against Unity Catalog's rules (not empty, at most 255 characters, no
// period, space, slash or control character) and lower-cased. `field` names the request field.
std::string checked_name(std::string_view name, std::string_view field);

// "c.s.v" split into checked, lower-cased parts; the number of parts must fit the kind.
std::vector<std::string> split_full_name(std::string_view full_name, Kind kind);
std::string join_full_name(const std::vector<std::string>& parts, std::size_t count);

api::ApiError already_exists(Kind kind, const std::string& full_name);
api::ApiError does_not_exist(Kind kind, const std::string& full_name);

}  // namespace brix::engine::catalog
