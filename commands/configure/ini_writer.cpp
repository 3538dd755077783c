#include "commands/configure/ini_writer.hpp"

#include <algorithm>
#include <set>

#include "cli/config.hpp"

namespace brix::commands {
namespace {

constexpr std::string_view kLineBlanks = " \t\r\f\v";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kDefaultSection = "DEFAULT";

std::string_view trim(std::string_view text) {
    auto first = text.find_first_not_of(kLineBlanks);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kLineBlanks) - first + 1);
}

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

void validate(std::string_view section, const std::vector<IniChange>& changes) {
    if (trim(section).empty() || trim(section) != section || has_line_break(section) ||
        section.find_first_of("[]") != std::string_view::npos)
        throw cli::ConfigError("invalid profile name '" + std::string(section) + "'");
    for (const auto& change : changes) {
        if (trim(change.key).empty() || trim(change.key) != change.key || has_line_break(change.key) ||
            change.key.find_first_of("=:[#;") != std::string::npos)
            throw cli::ConfigError("invalid configuration key '" + change.key + "'");
        if (change.value && (has_line_break(*change.value) || trim(*change.value) != *change.value))
            throw cli::ConfigError("the value of '" + change.key + "' cannot hold line breaks or surrounding blanks");
    }
}

struct Line {
    std::string text;            // without its line end
    std::string section;         // the section it belongs to
    std::optional<std::string> key;  // for "key = value" lines
    bool header = false;
};

// The same classification as cli::parse_ini, which has already accepted the text.
std::vector<Line> classify(std::string_view text) {
    std::vector<Line> lines;
    std::string section(kDefaultSection);
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        Line line{std::string(text.substr(start, end - start)), section, std::nullopt, false};
        if (!line.text.empty() && line.text.back() == '\r') line.text.pop_back();
        auto content = trim(start == 0 && line.text.starts_with(kUtf8Bom) ? std::string_view(line.text).substr(kUtf8Bom.size())
                                                                          : std::string_view(line.text));
        if (!content.empty() && content.front() == '[') {
            section = std::string(trim(content.substr(1, content.size() - 2)));
            line.section = section;
            line.header = true;
        } else if (!content.empty() && content.front() != '#' && content.front() != ';') {
            line.key = std::string(trim(content.substr(0, content.find_first_of("=:"))));
        }
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

std::string entry(const IniChange& change) { return change.key + " = " + *change.value; }

}  // namespace

std::string update_ini_section(std::string_view text, std::string_view section, const std::vector<IniChange>& changes) {
    validate(section, changes);
    cli::parse_ini(text, "the configuration file");
    const std::string newline = text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
    auto lines = classify(text);

    auto change_for = [&](const std::string& key) {
        return std::find_if(changes.begin(), changes.end(), [&](const IniChange& c) { return c.key == key; });
    };
    std::set<std::string> written;
    std::optional<std::size_t> anchor;  // the line after which new keys go
    std::vector<Line> kept;
    for (auto& line : lines) {
        if (line.section == section && (line.header || line.key)) {
            if (line.key) {
                auto change = change_for(*line.key);
                if (change != changes.end()) {
                    if (!change->value || written.count(change->key)) continue;
                    line.text = entry(*change);
                    written.insert(change->key);
                }
            }
            anchor = kept.size();
        }
        kept.push_back(std::move(line));
    }

    std::vector<std::string> added;
    for (const auto& change : changes)
        if (change.value && !written.count(change.key)) added.push_back(entry(change));

    std::vector<std::string> out;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        out.push_back(std::move(kept[i].text));
        if (anchor && i == *anchor) out.insert(out.end(), added.begin(), added.end());
    }
    if (!anchor && !added.empty()) {
        if (!out.empty() && !trim(out.back()).empty()) out.emplace_back();
        out.push_back("[" + std::string(section) + "]");
        out.insert(out.end(), added.begin(), added.end());
    }
    std::string result;
    for (const auto& line : out) result += line + newline;
    return result;
}

}  // namespace brix::commands
