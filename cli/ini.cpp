#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/config.hpp"

namespace brix::cli {

namespace {

constexpr std::string_view blanks = " \t\r\f\v";
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr std::string_view default_section = "DEFAULT";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(blanks);
    return text.substr(first, last - first + 1);
}

[[noreturn]] void fail(std::string_view file_name, std::size_t line_number, std::string_view what) {
    throw ConfigError("cannot parse " + std::string(file_name) + " line " +
                      std::to_string(line_number) + ": " + std::string(what));
}

// Index rather than reference: adding a section may reallocate the vector.
std::size_t section_index(IniFile& file, std::string_view name) {
    for (std::size_t i = 0; i < file.sections.size(); ++i) {
        if (file.sections[i].name == name) return i;
    }
    file.sections.push_back(IniSection{std::string(name), {}});
    return file.sections.size() - 1;
}

void set_entry(IniSection& section, std::string_view key, std::string_view value) {
    for (auto& [existing_key, existing_value] : section.entries) {
        if (existing_key == key) {
            existing_value = value;
            return;
        }
    }
    section.entries.emplace_back(key, value);
}

// A line starting with '[' whose header is malformed is reported as such, because
// "expected key = value" would mislead someone who clearly meant a section.
std::string_view section_name(std::string_view line, std::string_view file_name,
                              std::size_t line_number) {
    const auto name = line.back() == ']' ? trim(line.substr(1, line.size() - 2)) : std::string_view{};
    if (name.empty()) fail(file_name, line_number, "expected a section header like '[name]'");
    return name;
}

class Parser {
public:
    explicit Parser(std::string_view file_name) : file_name_(file_name) {}

    void parse_line(std::string_view raw, std::size_t line_number) {
        const auto line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') return;
        if (line.front() == '[') {
            current_ = section_index(file_, section_name(line, file_name_, line_number));
            return;
        }
        parse_entry(line, line_number);
    }

    IniFile take() { return std::move(file_); }

private:
    void parse_entry(std::string_view line, std::size_t line_number) {
        const auto separator = line.find_first_of("=:");
        if (separator == std::string_view::npos) {
            fail(file_name_, line_number, "expected 'key = value' or '[section]'");
        }
        const auto key = trim(line.substr(0, separator));
        if (key.empty()) fail(file_name_, line_number, "missing key before '='");
        if (!current_) current_ = section_index(file_, default_section);
        set_entry(file_.sections[*current_], key, trim(line.substr(separator + 1)));
    }

    std::string_view file_name_;
    IniFile file_;
    std::optional<std::size_t> current_;
};

}  // namespace

std::optional<std::string> IniSection::get(std::string_view key) const {
    for (const auto& [entry_key, value] : entries) {
        if (entry_key == key) return value;
    }
    return std::nullopt;
}

const IniSection* IniFile::find(std::string_view name) const {
    for (const auto& section : sections) {
        if (section.name == name) return &section;
    }
    return nullptr;
}

IniFile parse_ini(std::string_view text, std::string_view file_name) {
    if (text.starts_with(utf8_bom)) text.remove_prefix(utf8_bom.size());
    Parser parser(file_name);
    std::size_t line_number = 1;
    for (std::size_t start = 0; start <= text.size(); ++line_number) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        parser.parse_line(text.substr(start, end - start), line_number);
        start = end + 1;
    }
    return parser.take();
}

std::optional<IniFile> load_ini_file(const std::string& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (status.type() == std::filesystem::file_type::not_found) return std::nullopt;
    if (std::filesystem::is_directory(status)) {
        throw ConfigError("cannot read " + path + ": it is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("cannot read " + path + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_ini(text.str(), path);
}

}  // namespace brix::cli
