#pragma once
// Every paging loop of the commands goes through a PageGuard, so a server that never lets a
// listing end (it repeats a page token, or says has_more while the next page brings nothing new)
// stops it with an error instead of keeping brix busy forever.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace brix::commands {

class PageGuard {
public:
    explicit PageGuard(std::string listing) : listing_(std::move(listing)) {}  // "GET /api/2.0/repos", for the error

    // The next page token, passed through; std::runtime_error when the server gave it before.
    const std::string& next_token(const std::string& token);

    // Offset paging: the items of the page just read at `offset`, as JSON text. std::runtime_error
    // when the page is empty or holds the same items as the page before (a server ignoring the offset).
    void check_progress(const std::string& items_json, std::int64_t offset);

private:
    std::string listing_;
    std::set<std::string> tokens_;
    std::optional<std::size_t> last_page_;
};

}  // namespace brix::commands
