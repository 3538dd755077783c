#pragma once
// The generated command groups as data: commands/generated/cli-commands.jsonl, derived from the
// API table by scripts/gen-cli-commands.py and compiled into the binary. One line per group, so
// a command line that names one group parses only that line; `brix --version` and the
// hand-written commands never parse any.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"

namespace brix::commands::generated {

// What a field takes from the command line: scalars become flags or positional arguments,
// compound fields (objects, lists, maps) come only through --json.
enum class FieldKind { String, Integer, Number, Boolean, Enum, Any, Compound };
enum class FieldPlace { Path, Query, Body };

struct Field {
    std::string name;  // the wire name: "catalog_name", "startIndex"
    FieldPlace place = FieldPlace::Body;
    FieldKind kind = FieldKind::String;
    std::string type;  // as the table writes it: "string", "catalog.VolumeType", "list of catalog.Library"
    bool required = false;
    std::vector<std::string> values;  // the enum's values
};

enum class JsonInput { None, Optional, Required };
enum class Paging { None, Token, Scim, Page, Offset };

// A list call reads every page; the page parameter goes in the query or the body.
struct ListSpec {
    Paging paging = Paging::None;
    FieldPlace place = FieldPlace::Query;
};

struct CommandSpec {
    std::string group;               // "catalogs"
    std::vector<std::string> words;  // below the group: {"create"}, {"default-namespace", "get"}
    api::Method method = api::Method::Get;
    std::string path;  // template: "/api/2.1/unity-catalog/catalogs/{name}"
    std::string call;  // "CatalogsAPI.update"
    std::vector<std::string> args;  // positional arguments in order (field names)
    JsonInput json = JsonInput::None;
    std::vector<Field> fields;
    std::optional<ListSpec> list;
    bool prints_answer = true;  // false when the route answers {}

    const Field* field(std::string_view name) const;
    std::string command_words() const;  // "catalogs create"
};

struct GroupSummary {
    std::string name;
    std::string summary;
};

// Every generated group with its one-line summary, sorted by name.
const std::vector<GroupSummary>& group_index();

// Whether the table has a group of this name (no JSON is parsed to answer).
bool has_group(std::string_view name);

// The commands of one group, parsed from its line; empty when there is no such group.
std::vector<CommandSpec> load_group(std::string_view name);

// One command as the table writes it (for tests and load_group).
CommandSpec parse_command(const std::string& group, const api::Json& entry);

}  // namespace brix::commands::generated
