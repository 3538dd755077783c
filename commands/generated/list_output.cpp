#include "commands/generated/list_output.hpp"

#include <algorithm>
#include <optional>

namespace brix::commands::generated {
namespace {

using api::Json;

bool is_scalar(const Json& value) { return value.is_string() || value.is_number() || value.is_boolean(); }

bool ends_with(const std::string& text, std::string_view suffix) {
    return text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Every key that holds a scalar in some item, in the order they first appear.
std::vector<std::string> scalar_keys(const Json& items) {
    std::vector<std::string> keys;
    for (const auto& item : items) {
        if (!item.is_object()) continue;
        for (const auto& [key, value] : item.items())
            if (is_scalar(value) && std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
    return keys;
}

// The first of `preferred` among the keys, else the first key with one of the suffixes.
std::optional<std::string> pick(const std::vector<std::string>& keys, std::initializer_list<std::string_view> preferred,
                                std::initializer_list<std::string_view> suffixes) {
    for (auto name : preferred)
        if (std::find(keys.begin(), keys.end(), name) != keys.end()) return std::string(name);
    for (const auto& key : keys)
        for (auto suffix : suffixes)
            if (ends_with(key, suffix)) return key;
    return std::nullopt;
}

std::string cell(const Json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number() || value.is_boolean()) return value.dump();
    return "";
}

}  // namespace

std::vector<std::string> table_columns(const Json& items) {
    auto keys = scalar_keys(items);
    std::vector<std::string> columns;
    auto add = [&](const std::optional<std::string>& key) {
        if (key && std::find(columns.begin(), columns.end(), *key) == columns.end()) columns.push_back(*key);
    };
    add(pick(keys, {"id"}, {"_id", "Id"}));
    add(pick(keys, {"name", "full_name", "display_name", "displayName", "userName", "path", "key"}, {"_name", "Name"}));
    add(pick(keys, {"state", "status", "lifecycle_state", "life_cycle_state"}, {"_state", "_status", "State"}));
    if (columns.empty())
        for (std::size_t i = 0; i < keys.size() && i < 3; ++i) columns.push_back(keys[i]);
    return columns;
}

std::vector<cli::Row> table_rows(const Json& items, const std::vector<std::string>& columns) {
    std::vector<cli::Row> rows;
    for (const auto& item : items) {
        if (!item.is_object()) {
            rows.push_back({is_scalar(item) ? cell(item) : item.dump()});
            continue;
        }
        cli::Row row;
        for (const auto& column : columns) {
            auto found = item.find(column);
            row.push_back(found == item.end() ? "" : cell(*found));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void print_listing(const Json& items, bool as_json) {
    if (as_json) return cli::print_json(items);
    auto columns = table_columns(items);
    auto rows = table_rows(items, columns);
    if (cli::stdout_is_terminal() && !columns.empty() && !rows.empty()) rows.insert(rows.begin(), columns);
    cli::print_table(rows);
}

}  // namespace brix::commands::generated
