#pragma once
// How a generated list command prints: -o json gives the items as one array (every page, without
// the wrapper key), as the Go CLI does; text gives a table of the columns a reader needs, picked
// from what the items hold: an id, a name and a state, each where there is one.

#include <string>
#include <vector>

#include "api/api.hpp"
#include "cli/output.hpp"

namespace brix::commands::generated {

// The keys to show, in order: an id ("id", "*_id"), a name ("name", "full_name", "userName",
// "*_name", ...), a state ("state", "status", "*_state"), chosen among keys with scalar values;
// the first three scalar keys when none of those is there.
std::vector<std::string> table_columns(const api::Json& items);

// One row per item; a missing or non-scalar value is an empty cell. Items that are plain values
// (a list of strings) are one cell each.
std::vector<cli::Row> table_rows(const api::Json& items, const std::vector<std::string>& columns);

// Prints the listing: JSON, or the table (with a header line of the keys on a terminal only, so
// that a piped table stays data).
void print_listing(const api::Json& items, bool as_json);

}  // namespace brix::commands::generated
