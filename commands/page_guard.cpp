#include "commands/page_guard.hpp"

#include <functional>
#include <stdexcept>

namespace brix::commands {

const std::string& PageGuard::next_token(const std::string& token) {
    if (!tokens_.insert(token).second)
        throw std::runtime_error("the server sent the page token \"" + token + "\" twice while listing " + listing_ +
                                 ": stopping rather than reading the same pages forever");
    return token;
}

void PageGuard::check_progress(const std::string& items_json, std::int64_t offset) {
    auto page = std::hash<std::string>{}(items_json);
    if (items_json == "[]" || page == last_page_)
        throw std::runtime_error("the server said " + listing_ + " has more after offset " + std::to_string(offset) +
                                 " but the page there brought nothing new: stopping rather than reading it forever");
    last_page_ = page;
}

}  // namespace brix::commands
