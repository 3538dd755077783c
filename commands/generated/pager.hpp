#pragma once
// List calls read every page, as the SDKs' iterators (and so the Go CLI) do, in the style the
// route pages in:
//   token   page_token in the request, next_page_token in the answer (most routes)
//   scim    startIndex (1-based) and count; the items are "Resources" (users, groups, ...)
//   page    page = 1, 2, ... until a page comes back empty (legacy SQL queries and dashboards)
//   offset  offset += the items read, while has_more says so or items keep coming
//   none    one call
// A server that repeats itself (the same page token again, or the same page at a new offset)
// would make that loop endless: it stops with an error instead.

#include <cstddef>
#include <optional>

#include "api/api.hpp"
#include "commands/generated/command_table.hpp"

namespace brix::commands::generated {

// The items of one page: the answer itself when it is an array, else its first array field
// (the key differs per route: "catalogs", "Resources", "statuses", ...); empty when it has none.
api::Json page_items(const api::Json& page);

// Every item of the listing, from the first request on (which may carry a start token or
// index the user gave); at most `limit` items when one is set.
api::Json list_all(api::Api& api, const ListSpec& list, api::Request request, std::optional<std::size_t> limit);

}  // namespace brix::commands::generated
