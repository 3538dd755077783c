// The ~/.databrickscfg parser. Properties: it either returns or throws ConfigError; what it
// returns is well formed (unique non-empty trimmed names, keys without separators or newlines);
// writing the result back as "[section]" / "key = value" lines and parsing that gives the same
// sections and entries. Each value also goes through the host normaliser, as resolution does,
// which must either refuse it or keep a host name.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "cli/config.hpp"

namespace {

using brix::cli::IniFile;

[[noreturn]] void fail(const char* property, std::string_view what) {
    std::fprintf(stderr, "property violated: %s: \"%.*s\"\n", property, static_cast<int>(what.size()), what.data());
    std::abort();
}

bool is_trimmed(std::string_view text) {
    constexpr std::string_view blanks = " \t\r\f\v";
    return text.empty() || (blanks.find(text.front()) == std::string_view::npos &&
                            blanks.find(text.back()) == std::string_view::npos);
}

void check_well_formed(const IniFile& file) {
    std::set<std::string> names;
    for (const auto& section : file.sections) {
        if (section.name.empty() || !is_trimmed(section.name)) fail("section name empty or untrimmed", section.name);
        if (section.name.find('\n') != std::string::npos) fail("newline in a section name", section.name);
        if (!names.insert(section.name).second) fail("section listed twice", section.name);
        std::set<std::string> keys;
        for (const auto& [key, value] : section.entries) {
            if (key.empty() || !is_trimmed(key)) fail("key empty or untrimmed", key);
            if (key.find_first_of("=:\n") != std::string::npos) fail("separator or newline in a key", key);
            if (!is_trimmed(value) || value.find('\n') != std::string::npos) fail("value untrimmed or multi-line", value);
            if (!keys.insert(key).second) fail("key listed twice", key);
        }
    }
}

std::string render(const IniFile& file) {
    std::string text;
    for (const auto& section : file.sections) {
        text += "[" + section.name + "]\n";
        for (const auto& [key, value] : section.entries) text += key + " = " + value + "\n";
    }
    return text;
}

bool same(const IniFile& a, const IniFile& b) {
    if (a.sections.size() != b.sections.size()) return false;
    for (std::size_t i = 0; i < a.sections.size(); ++i)
        if (a.sections[i].name != b.sections[i].name || a.sections[i].entries != b.sections[i].entries) return false;
    return true;
}

// A normalised host always names a host: "scheme://authority[/path]" with a non-empty authority.
void check_host(std::string_view host) {
    const auto url = brix::cli::normalise_host(host);
    if (!url) return;
    const auto authority_start = url->find("://");
    if (authority_start == std::string::npos) fail("normalised host without a scheme", *url);
    const auto authority = std::string_view(*url).substr(authority_start + 3);
    if (authority.empty() || authority.front() == '/') fail("normalised host without a host name", host);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    IniFile file;
    try {
        file = brix::cli::parse_ini(text, "fuzz.cfg");
    } catch (const brix::cli::ConfigError&) {
        return 0;
    }
    check_well_formed(file);
    const auto rendered = render(file);
    try {
        if (!same(brix::cli::parse_ini(rendered, "rendered.cfg"), file)) fail("render + parse changed the file", rendered);
    } catch (const brix::cli::ConfigError& error) {
        fail("rendered file does not parse", error.what());
    }
    for (const auto& section : file.sections)
        for (const auto& entry : section.entries) check_host(entry.second);
    return 0;
}
