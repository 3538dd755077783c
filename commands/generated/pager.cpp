#include "commands/generated/pager.hpp"

#include <set>
#include <stdexcept>
#include <string>

#include "commands/generated/request_builder.hpp"

namespace brix::commands::generated {
namespace {

using api::Json;

// The page parameter lives in the query (GET) or in the body (POST searches).
class PageParameter {
public:
    PageParameter(api::Request& request, FieldPlace place) : request_(request), in_body_(place == FieldPlace::Body && request.body.is_object()) {}

    std::optional<std::string> get(const std::string& name) const {
        if (in_body_) {
            auto found = request_.body.find(name);
            if (found == request_.body.end() || found->is_null()) return std::nullopt;
            return query_text(*found);
        }
        return request_.param(name);
    }

    void set(const std::string& name, const Json& value) {
        if (in_body_) {
            request_.body[name] = value;
            return;
        }
        std::erase_if(request_.query, [&](const auto& entry) { return entry.first == name; });
        request_.query.emplace_back(name, query_text(value));
    }

private:
    api::Request& request_;
    bool in_body_;
};

std::int64_t start_number(const std::optional<std::string>& given, std::int64_t first) {
    if (!given) return first;
    try {
        return std::stoll(*given);
    } catch (const std::exception&) {
        return first;
    }
}

// Collects items and says when the listing is complete.
class Collector {
public:
    explicit Collector(std::optional<std::size_t> limit) : limit_(limit) {}

    // Adds a page's items; false when the limit is reached.
    bool add(const Json& page_items) {
        for (const auto& item : page_items) {
            if (limit_ && items_.size() >= *limit_) return false;
            items_.push_back(item);
        }
        return !limit_ || items_.size() < *limit_;
    }

    // A page equal to the one before it means the server ignored where to start.
    void refuse_repeat(const Json& page_items, const std::string& where) {
        if (!previous_.is_null() && page_items == previous_)
            throw std::runtime_error("the server answered " + where + " with the same items as the page before: stopping, "
                                     "as the listing would never end");
        previous_ = page_items;
    }

    Json take() { return std::move(items_); }

private:
    std::optional<std::size_t> limit_;
    Json items_ = Json::array();
    Json previous_;
};

Json by_token(api::Api& api, const api::Request& request, PageParameter& parameter, Collector& items) {
    std::set<std::string> seen;
    if (auto given = parameter.get("page_token")) seen.insert(*given);
    for (;;) {
        auto page = api.call(request);
        if (!items.add(page_items(page))) break;
        auto next = page.is_object() ? page.value("next_page_token", Json()) : Json();
        if (!next.is_string() || next.get<std::string>().empty()) break;
        auto token = next.get<std::string>();
        if (!seen.insert(token).second)
            throw std::runtime_error("the server sent the page token \"" + token + "\" a second time: stopping, as the listing would never end");
        parameter.set("page_token", token);
    }
    return items.take();
}

// startIndex (SCIM, 1-based), page (1-based) and offset (0-based) count up by what was read.
enum class Counting { ByItems, ByPages };

Json by_position(api::Api& api, const api::Request& request, PageParameter& parameter, Collector& items, const std::string& name,
                 std::int64_t first, Counting counting) {
    auto position = start_number(parameter.get(name), first);
    for (;;) {
        parameter.set(name, position);
        auto page = api.call(request);
        auto page_list = page_items(page);
        if (page_list.empty()) break;
        items.refuse_repeat(page_list, name + "=" + std::to_string(position));
        if (!items.add(page_list)) break;
        position += counting == Counting::ByPages ? 1 : static_cast<std::int64_t>(page_list.size());
        if (!page.is_object()) break;
        if (auto total = page.find("totalResults"); total != page.end() && total->is_number_integer() &&
                                                     position - first >= total->get<std::int64_t>())
            break;
        if (auto more = page.find("has_more"); more != page.end() && more->is_boolean() && !more->get<bool>()) break;
    }
    return items.take();
}

}  // namespace

Json page_items(const Json& page) {
    if (page.is_array()) return page;
    if (!page.is_object()) return Json::array();
    // A SCIM list holds its items in "Resources" (absent when there are none) beside a "schemas"
    // array that is not items.
    if (page.contains("schemas") && page.contains("totalResults"))
        return page.contains("Resources") && page["Resources"].is_array() ? page["Resources"] : Json::array();
    for (const auto& [key, value] : page.items())
        if (value.is_array()) return value;
    return Json::array();
}

Json list_all(api::Api& api, const ListSpec& list, api::Request request, std::optional<std::size_t> limit) {
    PageParameter parameter(request, list.place);
    Collector items(limit);
    switch (list.paging) {
        case Paging::Token: return by_token(api, request, parameter, items);
        case Paging::Scim: return by_position(api, request, parameter, items, "startIndex", 1, Counting::ByItems);
        case Paging::Page: return by_position(api, request, parameter, items, "page", 1, Counting::ByPages);
        case Paging::Offset: return by_position(api, request, parameter, items, "offset", 0, Counting::ByItems);
        case Paging::None: break;
    }
    items.add(page_items(api.call(request)));
    return items.take();
}

}  // namespace brix::commands::generated
