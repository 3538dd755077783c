// coerce() and validate(): a JSON value against a type spec of the API table (api/schema.hpp).

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "api/schema.hpp"

namespace brix::api::schema {
namespace {

enum class Kind { String, Integer, Number, Boolean, Object, Any, List, Map, Fields, Enum };

// A spec with named types looked up: for List and Map `inner` is the element spec, for Fields
// the {name: {"type", "required"}} object, for Enum the array of values.
struct Spec {
    Kind kind = Kind::Any;
    const Json* inner = nullptr;
};

Spec definition_spec(const Json& definition) {
    if (auto fields = definition.find("fields"); fields != definition.end()) return {Kind::Fields, &*fields};
    if (auto values = definition.find("enum"); values != definition.end()) return {Kind::Enum, &*values};
    return {};
}

// A type name the table does not define cannot be checked; it is taken as "any" (the generator
// refuses to write a table with a dangling name).
Spec resolve(const Json& spec) {
    if (spec.is_string()) {
        const auto& name = spec.get_ref<const std::string&>();
        static const std::pair<std::string_view, Kind> kPrimitives[] = {
            {"string", Kind::String}, {"integer", Kind::Integer}, {"number", Kind::Number},
            {"boolean", Kind::Boolean}, {"object", Kind::Object}, {"any", Kind::Any}};
        for (const auto& [primitive, kind] : kPrimitives)
            if (name == primitive) return {kind, nullptr};
        const Json* definition = type(name);
        return definition ? definition_spec(*definition) : Spec{};
    }
    if (spec.is_array() && spec.size() == 2 && spec[0].is_string()) {
        if (spec[0] == "list") return {Kind::List, &spec[1]};
        if (spec[0] == "map") return {Kind::Map, &spec[1]};
    }
    if (spec.is_object()) return definition_spec(spec);
    return {};
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return number;
}

// JSON number syntax only: from_chars alone would also read "inf" and "nan".
std::optional<double> parse_number(const std::string& text) {
    if (text.empty() || text.find_first_not_of("-+.eE0123456789") != std::string::npos) return std::nullopt;
    double number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) return std::nullopt;
    return number;
}

std::optional<std::int64_t> integral(double number) {
    // 2^63 is exactly representable; anything from it up does not fit an int64.
    if (std::trunc(number) != number || number < -9223372036854775808.0 || number >= 9223372036854775808.0) return std::nullopt;
    return static_cast<std::int64_t>(number);
}

Json coerce_scalar(const Json& value, Kind kind) {
    switch (kind) {
    case Kind::String:
        if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
        if (value.is_number()) return value.dump();
        break;
    case Kind::Integer:
        if (value.is_string()) {
            if (auto number = parse_integer(value.get_ref<const std::string&>())) return *number;
        } else if (value.is_number_float()) {
            if (auto number = integral(value.get<double>())) return *number;
        }
        break;
    case Kind::Number:
        if (value.is_string()) {
            const auto& text = value.get_ref<const std::string&>();
            if (auto number = parse_integer(text)) return *number;
            if (auto number = parse_number(text)) return *number;
        }
        break;
    case Kind::Boolean:
        if (value == "true" || value == "True") return true;
        if (value == "false" || value == "False") return false;
        break;
    default:
        break;
    }
    return value;
}

std::string join(const std::string& path, std::string_view field) {
    return path.empty() ? std::string(field) : path + "." + std::string(field);
}

std::string describe(const Json& value) {
    if (value.is_string()) {
        auto text = value.get<std::string>();
        if (text.size() > 40) text = text.substr(0, 37) + "...";
        return "string " + Json(text).dump();
    }
    if (value.is_number_integer()) return "integer " + value.dump();
    if (value.is_number()) return "number " + value.dump();
    if (value.is_boolean()) return "boolean " + value.dump();
    return value.is_object() ? "object" : "array";
}

class Validator {
public:
    std::vector<std::string> problems;

    void check(const Json& value, const Json& spec, const std::string& path) {
        if (value.is_null()) return;
        auto resolved = resolve(spec);
        switch (resolved.kind) {
        case Kind::String: expect(value.is_string(), "string", value, path); break;
        case Kind::Integer: check_integer(value, path); break;
        case Kind::Number: expect(value.is_number(), "number", value, path); break;
        case Kind::Boolean: expect(value.is_boolean(), "boolean", value, path); break;
        case Kind::Object: expect(value.is_object(), "object", value, path); break;
        case Kind::Any: break;
        case Kind::List:
            if (!expect(value.is_array(), "array", value, path)) break;
            for (std::size_t i = 0; i < value.size(); ++i) check(value[i], *resolved.inner, path + "[" + std::to_string(i) + "]");
            break;
        case Kind::Map:
            if (!expect(value.is_object(), "object", value, path)) break;
            for (const auto& [key, item] : value.items()) check(item, *resolved.inner, join(path, key));
            break;
        case Kind::Fields: check_fields(value, *resolved.inner, path); break;
        case Kind::Enum: check_enum(value, *resolved.inner, path); break;
        }
    }

private:
    void report(const std::string& path, const std::string& problem) {
        problems.push_back((path.empty() ? std::string("value") : path) + ": " + problem);
    }

    bool expect(bool ok, const char* wanted, const Json& value, const std::string& path) {
        if (!ok) report(path, std::string("expected ") + wanted + ", got " + describe(value));
        return ok;
    }

    void check_integer(const Json& value, const std::string& path) {
        if (!expect(value.is_number_integer(), "integer", value, path)) return;
        if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            report(path, value.dump() + " is out of the int64 range");
    }

    void check_fields(const Json& value, const Json& fields, const std::string& path) {
        if (!expect(value.is_object(), "object", value, path)) return;
        for (const auto& [key, item] : value.items()) {
            auto field = fields.find(key);
            if (field == fields.end())
                report(join(path, key), "unknown field");
            else
                check(item, field->at("type"), join(path, key));
        }
        for (const auto& [name, field] : fields.items())
            if (field.value("required", false) && value.value(name, Json()).is_null()) report(join(path, name), "missing required field");
    }

    void check_enum(const Json& value, const Json& values, const std::string& path) {
        if (!expect(value.is_string(), "string", value, path)) return;
        for (const auto& allowed : values)
            if (allowed == value) return;
        std::string list;
        for (const auto& allowed : values) list += (list.empty() ? "" : ", ") + allowed.get<std::string>();
        report(path, describe(value).substr(7) + " is not one of " + list);
    }
};

}  // namespace

bool is_known_field(const Json& type_spec, std::string_view field) {
    auto resolved = resolve(type_spec);
    switch (resolved.kind) {
    case Kind::Object:
    case Kind::Any:
    case Kind::Map: return true;
    case Kind::Fields: return resolved.inner->contains(std::string(field));
    default: return false;
    }
}

Json coerce(const Json& value, const Json& type_spec) {
    auto resolved = resolve(type_spec);
    switch (resolved.kind) {
    case Kind::List: {
        if (!value.is_array()) return value;
        Json result = Json::array();
        for (const auto& item : value) result.push_back(coerce(item, *resolved.inner));
        return result;
    }
    case Kind::Map:
    case Kind::Fields: {
        if (!value.is_object()) return value;
        Json result = Json::object();
        for (const auto& [key, item] : value.items()) {
            if (resolved.kind == Kind::Map) {
                result[key] = coerce(item, *resolved.inner);
            } else {
                auto field = resolved.inner->find(key);
                result[key] = field == resolved.inner->end() ? item : coerce(item, field->at("type"));
            }
        }
        return result;
    }
    default: return coerce_scalar(value, resolved.kind);
    }
}

std::vector<std::string> validate(const Json& value, const Json& type_spec, std::string path) {
    Validator validator;
    validator.check(value, type_spec, path);
    return std::move(validator.problems);
}

}  // namespace brix::api::schema
