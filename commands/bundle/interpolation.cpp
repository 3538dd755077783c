#include "commands/bundle/interpolation.hpp"

#include <cctype>

namespace brix::commands::bundle {
namespace {

using Lookup = std::function<const api::Json*(const std::string&)>;

constexpr int kMostPasses = 64;  // each pass resolves one level of references to references

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

// name(.name|[digits])*
bool valid_reference(std::string_view text) {
    std::size_t at = 0;
    bool expect_name = true;
    while (at < text.size()) {
        if (expect_name) {
            if (!name_start(text[at])) return false;
            while (at < text.size() && name_char(text[at])) ++at;
            expect_name = false;
        } else if (text[at] == '.') {
            ++at;
            expect_name = true;
        } else if (text[at] == '[') {
            auto close = text.find(']', at);
            if (close == std::string_view::npos || close == at + 1) return false;
            for (auto i = at + 1; i < close; ++i)
                if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
            at = close + 1;
        } else {
            return false;
        }
    }
    return !expect_name;
}

struct Occurrence {
    std::size_t begin, end;  // "${" to just after "}"
    std::string reference;
};

std::vector<Occurrence> occurrences(std::string_view text) {
    std::vector<Occurrence> found;
    for (std::size_t at = text.find("${"); at != std::string_view::npos; at = text.find("${", at + 2)) {
        auto close = text.find('}', at + 2);
        if (close == std::string_view::npos) break;
        auto inner = text.substr(at + 2, close - at - 2);
        if (valid_reference(inner)) found.push_back({at, close + 1, std::string(inner)});
    }
    return found;
}

// Whether `value` still holds references that can be resolved (deferred ones do not count:
// they travel along as text until deploy fills them in).
bool pending(const api::Json& value, const DeferredReference& deferred) {
    if (value.is_string()) {
        for (const auto& found : occurrences(value.get_ref<const std::string&>()))
            if (!deferred || !deferred(found.reference)) return true;
        return false;
    }
    if (value.is_structured())
        for (const auto& item : value)
            if (pending(item, deferred)) return true;
    return false;
}

std::string as_text(const api::Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// One string's replacement: a whole-string reference takes the value as it is, others their text.
bool substitute_string(api::Json& value, const Lookup& lookup, const DeferredReference& deferred) {
    const auto text = value.get<std::string>();
    auto found = occurrences(text);
    if (found.empty()) return false;
    auto usable = [&](const Occurrence& occurrence) -> const api::Json* {
        const auto* target = lookup(occurrence.reference);
        return target && !pending(*target, deferred) ? target : nullptr;
    };
    if (found.size() == 1 && found[0].begin == 0 && found[0].end == text.size()) {
        const auto* target = usable(found[0]);
        if (!target) return false;
        value = *target;
        return true;
    }
    std::string result;
    std::size_t copied = 0;
    bool changed = false;
    for (const auto& occurrence : found) {
        const auto* target = usable(occurrence);
        if (!target || target->is_structured()) continue;
        result += text.substr(copied, occurrence.begin - copied) + as_text(*target);
        copied = occurrence.end;
        changed = true;
    }
    if (!changed) return false;
    value = result + text.substr(copied);
    return true;
}

bool substitute_all(api::Json& value, const Lookup& lookup, const DeferredReference& deferred) {
    if (value.is_string()) return substitute_string(value, lookup, deferred);
    bool changed = false;
    if (value.is_structured())
        for (auto& item : value) changed = substitute_all(item, lookup, deferred) || changed;
    return changed;
}

void collect_unresolved(const api::Json& value, const std::string& where, const api::Json& document,
                        const DeferredReference& deferred, std::vector<UnresolvedReference>& out) {
    if (value.is_object()) {
        for (const auto& [key, item] : value.items()) collect_unresolved(item, where.empty() ? key : where + "." + key, document, deferred, out);
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            collect_unresolved(value[i], where + "[" + std::to_string(i) + "]", document, deferred, out);
    } else if (value.is_string()) {
        for (const auto& occurrence : occurrences(value.get_ref<const std::string&>())) {
            if (deferred && deferred(occurrence.reference)) continue;
            const auto* target = find_reference(document, occurrence.reference);
            std::string problem = !target                       ? "does not exist"
                                  : pending(*target, deferred) ? "is part of a circular reference"
                                                               : "is a mapping or a list, which only a whole value can refer to";
            out.push_back({occurrence.reference, where, problem});
        }
    }
}

}  // namespace

std::vector<std::string> references_in(std::string_view text) {
    std::vector<std::string> names;
    for (auto& occurrence : occurrences(text)) names.push_back(std::move(occurrence.reference));
    return names;
}

const api::Json* find_reference(const api::Json& document, std::string_view reference) {
    std::string path(reference);
    // ${var.x} is short for ${variables.x.value}; ${var.x.field} reads into a complex value.
    if (path.starts_with("var.")) {
        auto rest = path.substr(4);
        auto end = rest.find_first_of(".[");
        path = "variables." + rest.substr(0, end) + ".value" + (end == std::string::npos ? "" : rest.substr(end));
    }
    const api::Json* at = &document;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '.') ++pos;
        if (pos >= path.size()) return nullptr;
        if (path[pos] == '[') {
            auto close = path.find(']', pos);
            auto index = std::stoul(path.substr(pos + 1, close - pos - 1));
            if (!at->is_array() || index >= at->size()) return nullptr;
            at = &(*at)[index];
            pos = close + 1;
            continue;
        }
        auto end = path.find_first_of(".[", pos);
        auto key = path.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (!at->is_object()) return nullptr;
        auto found = at->find(key);
        if (found == at->end()) return nullptr;
        at = &*found;
        pos = end == std::string::npos ? path.size() : end;
    }
    return at;
}

std::vector<UnresolvedReference> substitute_references(api::Json& document, const DeferredReference& deferred) {
    for (int pass = 0; pass < kMostPasses; ++pass) {
        // Each pass reads a snapshot, so the order of keys never decides what a reference sees.
        const api::Json snapshot = document;
        Lookup lookup = [&snapshot](const std::string& reference) { return find_reference(snapshot, reference); };
        if (!substitute_all(document, lookup, deferred)) break;
    }
    std::vector<UnresolvedReference> unresolved;
    collect_unresolved(document, "", document, deferred, unresolved);
    return unresolved;
}

void substitute_values(api::Json& value, const Lookup& lookup) { substitute_all(value, lookup, nullptr); }

}  // namespace brix::commands::bundle
