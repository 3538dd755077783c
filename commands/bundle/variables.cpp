#include "commands/bundle/variables.hpp"

#include <cstdlib>
#include <map>
#include <set>

#include "cli/context.hpp"

namespace brix::commands::bundle {
namespace {

const std::set<std::string> kDeclarationKeys = {"description", "default", "type", "lookup"};

std::map<std::string, std::string> parse_flags(const std::vector<std::string>& flags) {
    std::map<std::string, std::string> values;
    for (const auto& flag : flags) {
        auto equals = flag.find('=');
        if (equals == std::string::npos || equals == 0)
            throw cli::UsageError("--var takes name=value, not " + flag);
        values[flag.substr(0, equals)] = flag.substr(equals + 1);
    }
    return values;
}

std::optional<std::string> environment_value(const std::string& name) {
    const char* value = std::getenv(("BUNDLE_VAR_" + name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
}

std::string lookup_message(const std::string& where) {
    return where + ".lookup is not supported by brix (it looks up a cluster, warehouse or other ID by name): give the ID as the value";
}

// A target writes either the value itself or {default: value}.
std::optional<api::Json> target_value(const api::Json& entry, const std::string& where, Diagnostics& diagnostics) {
    if (!entry.is_object()) return entry;
    if (entry.contains("lookup")) {
        diagnostics.error(lookup_message(where));
        return std::nullopt;
    }
    if (entry.contains("default")) return entry["default"];
    return entry;  // a complex value written out as a mapping
}

}  // namespace

void resolve_variables(api::Json& document, const VariableSources& sources, Diagnostics& diagnostics) {
    auto flags = parse_flags(sources.flags);
    if (!document.contains("variables") || document["variables"].is_null()) document["variables"] = api::Json::object();
    auto& declared = document["variables"];
    if (!declared.is_object()) {
        diagnostics.error("variables must be a mapping of names to {description, default}");
        return;
    }
    for (const auto& [name, value] : flags)
        if (!declared.contains(name)) diagnostics.error("--var " + name + ": no variable " + name + " is declared under variables");
    if (sources.target_values.is_object())
        for (const auto& [name, value] : sources.target_values.items())
            if (!declared.contains(name))
                diagnostics.error("targets." + sources.target + ".variables." + name + ": no variable " + name + " is declared under variables");

    for (auto& [name, declaration] : declared.items()) {
        auto where = "variables." + name;
        if (!declaration.is_object()) declaration = api::Json{{"default", declaration}};
        for (const auto& [key, unused] : declaration.items())
            if (!kDeclarationKeys.count(key)) diagnostics.warning(where + "." + key + " is not a variable setting brix knows; it is ignored");
        if (declaration.contains("lookup")) diagnostics.error(lookup_message(where));

        std::optional<api::Json> value;
        if (auto flag = flags.find(name); flag != flags.end()) value = flag->second;
        else if (auto env = environment_value(name)) value = *env;
        else if (sources.target_values.is_object() && sources.target_values.contains(name))
            value = target_value(sources.target_values[name], "targets." + sources.target + ".variables." + name, diagnostics);
        else if (declaration.contains("default")) value = declaration["default"];

        if (!value) {
            if (!declaration.contains("lookup"))
                diagnostics.error("no value for variable " + name + ": give it a default, a value in targets." + sources.target +
                                  ".variables, --var " + name + "=VALUE, or the BUNDLE_VAR_" + name + " environment variable");
            continue;
        }
        bool complex = declaration.value("type", "") == "complex";
        if (complex != value->is_structured())
            diagnostics.error(where + (complex ? " has type complex, so its value must be a mapping or a list"
                                               : " holds a mapping or a list: declare it with type: complex"));
        declaration["value"] = *value;
    }
}

}  // namespace brix::commands::bundle
