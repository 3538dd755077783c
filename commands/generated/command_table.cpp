#include "commands/generated/command_table.hpp"

#include <stdexcept>

#include "api/json_body.hpp"

// commands/generated/cli-commands.jsonl, compiled in by CMakeLists.txt (.incbin), followed by a 0 byte.
extern "C" const char brix_cli_commands_start[];
extern "C" const char brix_cli_commands_end[];

namespace brix::commands::generated {
namespace {

std::string_view table_text() {
    return {brix_cli_commands_start, static_cast<std::size_t>(brix_cli_commands_end - brix_cli_commands_start)};
}

// The line of a group: it starts with {"group":"<name>", (the generator writes that key first).
std::string_view group_line(std::string_view name) {
    auto text = table_text();
    std::string start = "\n{\"group\":\"" + std::string(name) + "\",";
    auto at = text.find(start);
    if (at == std::string_view::npos) return {};
    auto end = text.find('\n', at + 1);
    return text.substr(at + 1, (end == std::string_view::npos ? text.size() : end) - at - 1);
}

api::Method method_of(const std::string& name) {
    for (auto method : {api::Method::Get, api::Method::Head, api::Method::Post, api::Method::Put, api::Method::Patch,
                        api::Method::Delete})
        if (api::method_name(method) == name) return method;
    throw std::logic_error("cli-commands.jsonl: unknown method " + name);
}

FieldPlace place_of(const std::string& name) {
    if (name == "path") return FieldPlace::Path;
    if (name == "query") return FieldPlace::Query;
    if (name == "body") return FieldPlace::Body;
    throw std::logic_error("cli-commands.jsonl: unknown field place " + name);
}

FieldKind kind_of(const std::string& name) {
    static const std::pair<const char*, FieldKind> kinds[] = {
        {"string", FieldKind::String}, {"integer", FieldKind::Integer}, {"number", FieldKind::Number},
        {"boolean", FieldKind::Boolean}, {"enum", FieldKind::Enum}, {"any", FieldKind::Any},
        {"compound", FieldKind::Compound}};
    for (const auto& [text, kind] : kinds)
        if (name == text) return kind;
    throw std::logic_error("cli-commands.jsonl: unknown field kind " + name);
}

Paging paging_of(const std::string& name) {
    static const std::pair<const char*, Paging> styles[] = {
        {"none", Paging::None}, {"token", Paging::Token}, {"scim", Paging::Scim}, {"page", Paging::Page}, {"offset", Paging::Offset}};
    for (const auto& [text, paging] : styles)
        if (name == text) return paging;
    throw std::logic_error("cli-commands.jsonl: unknown paging " + name);
}

JsonInput json_input_of(const std::string& name) {
    if (name == "none") return JsonInput::None;
    if (name == "optional") return JsonInput::Optional;
    if (name == "required") return JsonInput::Required;
    throw std::logic_error("cli-commands.jsonl: unknown json mode " + name);
}

Field parse_field(const api::Json& entry) {
    Field field;
    field.name = entry.at("name").get<std::string>();
    field.place = place_of(entry.at("in").get<std::string>());
    field.kind = kind_of(entry.at("kind").get<std::string>());
    field.type = entry.at("type").get<std::string>();
    field.required = entry.value("required", false);
    field.values = entry.value("values", std::vector<std::string>{});
    return field;
}

}  // namespace

const Field* CommandSpec::field(std::string_view name) const {
    for (const auto& candidate : fields)
        if (candidate.name == name) return &candidate;
    return nullptr;
}

std::string CommandSpec::command_words() const {
    std::string text = group;
    for (const auto& word : words) text += " " + word;
    return text;
}

const std::vector<GroupSummary>& group_index() {
    static const std::vector<GroupSummary> index = [] {
        auto text = table_text();
        auto first = api::parse_json(text.substr(0, text.find('\n')));
        std::vector<GroupSummary> groups;
        for (const auto& entry : first.at("index")) groups.push_back({entry.at(0).get<std::string>(), entry.at(1).get<std::string>()});
        return groups;
    }();
    return index;
}

bool has_group(std::string_view name) { return !name.empty() && !group_line(name).empty(); }

std::vector<CommandSpec> load_group(std::string_view name) {
    std::vector<CommandSpec> commands;
    auto line = group_line(name);
    if (line.empty()) return commands;
    auto group = api::parse_json(line);
    for (const auto& entry : group.at("commands")) commands.push_back(parse_command(std::string(name), entry));
    return commands;
}

CommandSpec parse_command(const std::string& group, const api::Json& entry) {
    CommandSpec spec;
    spec.group = group;
    spec.words = entry.at("words").get<std::vector<std::string>>();
    spec.method = method_of(entry.at("method").get<std::string>());
    spec.path = entry.at("path").get<std::string>();
    spec.call = entry.at("call").get<std::string>();
    spec.args = entry.at("args").get<std::vector<std::string>>();
    spec.json = json_input_of(entry.at("json").get<std::string>());
    for (const auto& field : entry.at("fields")) spec.fields.push_back(parse_field(field));
    if (auto list = entry.find("list"); list != entry.end())
        spec.list = ListSpec{paging_of(list->at("paging").get<std::string>()), place_of(list->value("in", "query"))};
    spec.prints_answer = entry.value("answer", "json") != "none";
    return spec;
}

}  // namespace brix::commands::generated
