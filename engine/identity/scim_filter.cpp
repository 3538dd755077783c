// SCIM filters: `<attribute> <op> "<value>"` comparisons joined by `and` / `or` (and binds
// tighter), which is what scripts send (`userName eq "ana@example.com"`). Attribute names and
// operators are case-insensitive; string comparisons too, as SCIM does for userName.
#include <algorithm>
#include <cctype>
#include <vector>

#include "engine/identity/scim.hpp"
#include "engine/identity/scim_attributes.hpp"

namespace brix::engine::identity {
namespace {

using api::Json;

api::ApiError bad_filter(const std::string& filter, const std::string& why) {
    return api::invalid_parameter("Invalid filter '" + filter + "': " + why);
}

struct Comparison {
    std::string attribute;  // lower-cased
    std::string op;         // lower-cased
    std::string value;
};

// Splits on whitespace, keeping quoted strings (single or double quotes) whole.
std::vector<std::string> tokens_of(const std::string& filter) {
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i < filter.size()) {
        if (std::isspace(static_cast<unsigned char>(filter[i]))) {
            ++i;
            continue;
        }
        if (filter[i] == '"' || filter[i] == '\'') {
            auto end = filter.find(filter[i], i + 1);
            if (end == std::string::npos) throw bad_filter(filter, "a quoted value is not closed");
            tokens.push_back(filter.substr(i, end - i + 1));
            i = end + 1;
            continue;
        }
        auto start = i;
        while (i < filter.size() && !std::isspace(static_cast<unsigned char>(filter[i]))) ++i;
        tokens.push_back(filter.substr(start, i - start));
    }
    return tokens;
}

std::string attribute_text(const Json& resource, const std::string& attribute) {
    for (const auto& [key, value] : resource.items()) {
        if (ascii_lower(key) != attribute) continue;
        if (value.is_string()) return value.get<std::string>();
        if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
        if (value.is_number()) return value.dump();
    }
    return "";
}

bool holds(const Json& resource, const Comparison& test) {
    auto actual = ascii_lower(attribute_text(resource, test.attribute));
    auto wanted = ascii_lower(test.value);
    if (test.op == "eq") return actual == wanted;
    if (test.op == "ne") return actual != wanted;
    if (test.op == "co") return actual.find(wanted) != std::string::npos;
    if (test.op == "sw") return actual.rfind(wanted, 0) == 0;
    return actual.size() >= wanted.size() && actual.compare(actual.size() - wanted.size(), wanted.size(), wanted) == 0;
}

}  // namespace

bool matches_filter(const Json& resource, const std::string& filter) {
    auto tokens = tokens_of(filter);
    if (tokens.empty()) return true;
    // A disjunction of conjunctions: evaluated left to right.
    bool any = false;
    bool all = true;
    std::size_t i = 0;
    while (true) {
        if (i + 3 > tokens.size()) throw bad_filter(filter, "expected <attribute> <operator> \"<value>\"");
        Comparison test{ascii_lower(tokens[i]), ascii_lower(tokens[i + 1]), tokens[i + 2]};
        static const std::vector<std::string> kOps = {"eq", "ne", "co", "sw", "ew"};
        if (std::find(kOps.begin(), kOps.end(), test.op) == kOps.end())
            throw bad_filter(filter, "unsupported operator '" + tokens[i + 1] + "' (eq, ne, co, sw, ew)");
        if (test.value.size() >= 2 && (test.value.front() == '"' || test.value.front() == '\''))
            test.value = test.value.substr(1, test.value.size() - 2);
        all = all && holds(resource, test);
        i += 3;
        if (i == tokens.size()) break;
        auto joiner = ascii_lower(tokens[i++]);
        if (joiner == "or") {
            any = any || all;
            all = true;
        } else if (joiner != "and") {
            throw bad_filter(filter, "expected 'and' or 'or', not '" + tokens[i - 1] + "'");
        }
    }
    return any || all;
}

}  // namespace brix::engine::identity
