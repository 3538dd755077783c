// YAML job and run definitions to the JSON the API takes. yaml-cpp leaves plain scalars untyped,
// so the YAML 1.2 core schema is applied here: `max_retries: 3` must reach the API as a number
// and `name: "3"` as a string.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <regex>
#include <stdexcept>

#include "commands/jobs/job_input.hpp"

namespace brix::commands::jobs {
namespace {

constexpr int kMaxDepth = 256;  // aliases can make a document refer to itself

std::optional<api::Json> integer_from(const std::string& text, int base, std::size_t skip) {
    const char* first = text.data() + skip;
    const char* last = text.data() + text.size();
    std::int64_t value = 0;
    if (auto [end, error] = std::from_chars(first, last, value, base); error == std::errc{} && end == last) return value;
    std::uint64_t big = 0;
    if (auto [end, error] = std::from_chars(first, last, big, base); error == std::errc{} && end == last) return big;
    return std::nullopt;
}

api::Json plain_scalar(const std::string& text) {
    static const std::regex null_form("~|null|Null|NULL");
    static const std::regex true_form("true|True|TRUE");
    static const std::regex false_form("false|False|FALSE");
    static const std::regex decimal("[-+]?[0-9]+");
    static const std::regex octal("0o[0-7]+");
    static const std::regex hexadecimal("0x[0-9a-fA-F]+");
    static const std::regex floating(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (text.empty() || std::regex_match(text, null_form)) return nullptr;
    if (std::regex_match(text, true_form)) return true;
    if (std::regex_match(text, false_form)) return false;
    if (std::regex_match(text, decimal)) {
        auto digits = text[0] == '+' ? text.substr(1) : text;
        if (auto value = integer_from(digits, 10, 0)) return *value;
    }
    if (std::regex_match(text, octal))
        if (auto value = integer_from(text, 8, 2)) return *value;
    if (std::regex_match(text, hexadecimal))
        if (auto value = integer_from(text, 16, 2)) return *value;
    if (std::regex_match(text, floating)) {
        double value = 0;
        auto digits = text[0] == '+' ? text.substr(1) : text;
        if (auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
            error == std::errc{} && end == digits.data() + digits.size())
            return value;
    }
    return text;  // .inf and .nan have no JSON form, so they stay text like any other word
}

api::Json scalar_to_json(const YAML::Node& node) {
    const auto& tag = node.Tag();
    const auto& text = node.Scalar();
    if (tag == "?") return plain_scalar(text);
    if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" || tag == "tag:yaml.org,2002:bool" ||
        tag == "tag:yaml.org,2002:null") {
        auto value = plain_scalar(text);
        if (!value.is_string()) return value;
        throw std::runtime_error("\"" + text + "\" is not a valid " + tag.substr(tag.rfind(':') + 1));
    }
    return text;  // quoted ("!"), !!str, or a custom tag the API would not know anyway
}

api::Json node_to_json(const YAML::Node& node, int depth);

api::Json mapping_to_json(const YAML::Node& node, int depth) {
    api::Json object = api::Json::object();
    std::vector<YAML::Node> merges;
    for (const auto& entry : node) {
        if (!entry.first.IsScalar()) throw std::runtime_error("mapping keys must be plain text");
        if (entry.first.Tag() == "?" && entry.first.Scalar() == "<<") {
            merges.push_back(entry.second);
            continue;
        }
        object[entry.first.Scalar()] = node_to_json(entry.second, depth + 1);
    }
    // Keys written out win over merged ones, as YAML merge keys specify.
    for (const auto& merge : merges) {
        auto sources = merge.IsSequence() ? std::vector<YAML::Node>(merge.begin(), merge.end()) : std::vector<YAML::Node>{merge};
        for (const auto& source : sources) {
            if (!source.IsMap()) throw std::runtime_error("a merge key (<<) must refer to a mapping");
            auto merged = mapping_to_json(source, depth + 1);
            for (auto& [key, value] : merged.items())
                if (!object.contains(key)) object[key] = value;
        }
    }
    return object;
}

api::Json node_to_json(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth) throw std::runtime_error("the document is nested too deeply (or refers to itself)");
    switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            return nullptr;
        case YAML::NodeType::Scalar:
            return scalar_to_json(node);
        case YAML::NodeType::Sequence: {
            api::Json array = api::Json::array();
            for (const auto& item : node) array.push_back(node_to_json(item, depth + 1));
            return array;
        }
        case YAML::NodeType::Map:
            return mapping_to_json(node, depth);
    }
    return nullptr;
}

}  // namespace

api::Json yaml_to_json(const std::string& text) {
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(text);
    } catch (const YAML::Exception& error) {
        throw std::runtime_error(error.what());
    }
    if (documents.size() > 1) throw std::runtime_error("expected one YAML document, found " + std::to_string(documents.size()));
    return documents.empty() ? api::Json(nullptr) : node_to_json(documents.front(), 0);
}

}  // namespace brix::commands::jobs
