#include "api/schema.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>


// api/schema/api-schema.json, placed in the binary by the build (CMakeLists.txt).
extern "C" const char brix_api_schema_start[];
extern "C" const char brix_api_schema_end[];

namespace brix::api::schema {
namespace {

// A path template cut into literal text and parameters: "/api/2.0/repos/" {repo_id}.
struct TemplatePart {
    std::string literal;
    std::string param;  // empty for a literal
    bool rest = false;  // {name*}: the rest of the path, slashes included
};

struct CompiledRoute {
    std::vector<TemplatePart> parts;
    std::size_t literal_chars = 0;
};

struct Table {
    Json document;
    std::vector<Route> routes;
    std::vector<CompiledRoute> compiled;  // same order as routes
    std::map<std::string, const Json*, std::less<>> types;
};

std::vector<TemplatePart> compile_template(const std::string& path) {
    std::vector<TemplatePart> parts;
    std::size_t pos = 0;
    while (pos < path.size()) {
        auto open = path.find('{', pos);
        if (open != pos) {
            parts.push_back({path.substr(pos, open - pos), "", false});
            if (open == std::string::npos) break;
        }
        auto close = path.find('}', open);
        if (close == std::string::npos) throw std::logic_error("api-schema.json: unclosed parameter in " + path);
        std::string name = path.substr(open + 1, close - open - 1);
        bool rest = !name.empty() && name.back() == '*';
        if (rest) name.pop_back();
        parts.push_back({"", name, rest});
        pos = close + 1;
    }
    return parts;
}

// Tries every end of a one-segment parameter, so `{name}:sync` leaves ":sync" to the literal.
bool match_parts(const std::vector<TemplatePart>& parts, std::size_t part, std::string_view path, std::size_t pos,
                 PathParams& bound) {
    if (part == parts.size()) return pos == path.size();
    const auto& current = parts[part];
    if (current.param.empty()) {
        if (path.substr(pos, current.literal.size()) != current.literal) return false;
        return match_parts(parts, part + 1, path, pos + current.literal.size(), bound);
    }
    if (current.rest) {
        if (pos >= path.size() || part + 1 != parts.size()) return false;
        bound.emplace_back(current.param, std::string(path.substr(pos)));
        return true;
    }
    auto segment_end = std::min(path.find('/', pos), path.size());
    for (auto end = segment_end; end > pos; --end) {
        bound.emplace_back(current.param, std::string(path.substr(pos, end - pos)));
        if (match_parts(parts, part + 1, path, end, bound)) return true;
        bound.pop_back();
    }
    return false;
}

// {"fields": {name: {"type": T, "required": true?}}} from the table's {name: T}.
Json fields_spec(const Json& params, const std::vector<std::string>& required) {
    Json fields = Json::object();
    for (const auto& [name, spec] : params.items()) {
        Json field = {{"type", spec}};
        if (std::find(required.begin(), required.end(), name) != required.end()) field["required"] = true;
        fields[name] = std::move(field);
    }
    return Json{{"fields", std::move(fields)}};
}

Route make_route(const Json& entry) {
    Route route;
    route.method = entry.at("method").get<std::string>();
    route.path = entry.at("path").get<std::string>();
    route.service = entry.at("service").get<std::string>();
    route.call = entry.at("call").get<std::string>();
    route.cli = entry.value("cli", "");
    route.content = entry.value("content", "");
    route.required = entry.value("required", std::vector<std::string>{});
    route.query = fields_spec(entry.value("query", Json::object()), route.required);
    if (auto body = entry.find("body"); body != entry.end())
        route.body = body->is_object() ? fields_spec(*body, route.required) : *body;
    route.response = entry.value("response", Json());
    return route;
}

std::unique_ptr<Table> load() {
    auto table = std::make_unique<Table>();
    table->document = Json::parse(brix_api_schema_start, brix_api_schema_end);
    for (const auto& entry : table->document.at("routes")) {
        table->routes.push_back(make_route(entry));
        CompiledRoute compiled{compile_template(table->routes.back().path), 0};
        for (const auto& part : compiled.parts) compiled.literal_chars += part.literal.size();
        table->compiled.push_back(std::move(compiled));
    }
    for (const auto& [name, definition] : table->document.at("types").items()) table->types.emplace(name, &definition);
    return table;
}

// Parsed on first use, once, whichever thread asks first (a static's initialisation is thread-safe).
const Table& table() {
    static const std::unique_ptr<Table> loaded = load();
    return *loaded;
}

}  // namespace

const std::vector<Route>& routes() { return table().routes; }

const Route* find_route(std::string_view method, std::string_view path, PathParams* params) {
    const auto& all = table();
    const Route* best = nullptr;
    std::size_t best_literal = 0;
    PathParams bound, best_bound;
    for (std::size_t i = 0; i < all.routes.size(); ++i) {
        if (all.routes[i].method != method) continue;
        const auto& compiled = all.compiled[i];
        if (best && compiled.literal_chars <= best_literal) continue;
        bound.clear();
        if (!match_parts(compiled.parts, 0, path, 0, bound)) continue;
        best = &all.routes[i];
        best_literal = compiled.literal_chars;
        best_bound = bound;
    }
    if (best && params) *params = std::move(best_bound);
    return best;
}

const Json* type(std::string_view name) {
    const auto& types = table().types;
    auto found = types.find(name);
    return found == types.end() ? nullptr : found->second;
}

bool is_known_field(const Route& route, std::string_view field) {
    const std::string key(field);
    if (route.query.at("fields").contains(key)) return true;
    if (!route.body.is_null() && is_known_field(route.body, field)) return true;
    for (const auto& part : compile_template(route.path))
        if (part.param == field) return true;
    return false;
}

}  // namespace brix::api::schema
