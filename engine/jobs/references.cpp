#include "engine/jobs/references.hpp"

#include <algorithm>
#include <array>
#include <functional>

#include "api/api.hpp"

namespace brix::engine::jobs {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// Names may be quoted with backticks to carry dots or spaces: {{tasks.`my task`.values.x}}.
std::optional<std::string> unquote(std::string_view reference) {
    std::string out;
    bool quoted = false;
    for (char c : reference) {
        if (c == '`') {
            quoted = !quoted;
            continue;
        }
        if (!quoted && !(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
            return std::nullopt;
        out += c;
    }
    if (quoted || out.empty()) return std::nullopt;
    return out;
}

}  // namespace

bool is_known_namespace(std::string_view reference) {
    static constexpr std::array<std::string_view, 5> namespaces = {"job", "task", "tasks", "workspace", "input"};
    static constexpr std::array<std::string_view, 9> legacy = {"job_id",     "run_id",     "start_date",       "task_retry_count",
                                                               "parent_run_id", "start_time", "task_key", "input", "job_name"};
    auto head = reference.substr(0, reference.find('.'));
    for (auto name : namespaces)
        if (head == name) return true;
    if (reference.find('.') == std::string_view::npos)
        for (auto name : legacy)
            if (reference == name) return true;
    return false;
}

namespace {

// Every well-formed reference in a known namespace is replaced by what `replace` answers for it
// (given the raw text and the unquoted reference); anything else stays as written.
std::string rewrite_references(std::string_view text,
                               const std::function<std::string(std::string_view raw, const std::string& reference)>& replace) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto open = text.find("{{", pos);
        if (open == std::string_view::npos) break;
        auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        out.append(text.substr(pos, open - pos));
        auto raw = text.substr(open, close + 2 - open);
        auto reference = unquote(trim(text.substr(open + 2, close - open - 2)));
        if (!reference || !is_known_namespace(*reference)) out.append(raw);
        else out.append(replace(raw, *reference));
        pos = close + 2;
    }
    out.append(text.substr(pos));
    return out;
}

}  // namespace

std::string substitute_references(std::string_view text, const ReferenceLookup& lookup) {
    return rewrite_references(text, [&](std::string_view raw, const std::string& reference) {
        auto value = lookup(reference);
        if (!value) throw api::invalid_parameter("Unknown dynamic value reference " + std::string(raw));
        return *value;
    });
}

std::string substitute_input(std::string_view text, const api::Json& input) {
    return rewrite_references(text, [&](std::string_view raw, const std::string& reference) {
        if (reference != "input" && reference.rfind("input.", 0) != 0) return std::string(raw);
        const api::Json* value = &input;
        // {{input.a.b}}: one field per dot after "input".
        for (auto start = std::string("input").size(); start < reference.size();) {
            auto end = std::min(reference.find('.', start + 1), reference.size());
            auto field = reference.substr(start + 1, end - start - 1);
            if (!value->is_object() || !value->contains(field))
                throw api::invalid_parameter("Unknown dynamic value reference " + std::string(raw) + ": the iteration's input " +
                                             input.dump() + " has no field '" + field + "'");
            value = &(*value)[field];
            start = end;
        }
        return value->is_string() ? value->get<std::string>() : value->dump();
    });
}

}  // namespace brix::engine::jobs
