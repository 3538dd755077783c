#include "engine/notebook/notebook.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace brix::engine::notebook {

namespace {

constexpr std::array all_languages{Language::Python, Language::Sql, Language::Scala, Language::R};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) {
        return std::tolower(x) == std::tolower(y);
    });
}

}  // namespace

std::optional<Language> language_from_name(std::string_view name) {
    for (Language language : all_languages)
        if (equals_ignoring_case(name, language_name(language))) return language;
    return std::nullopt;
}

std::string_view language_name(Language language) {
    switch (language) {
        case Language::Python: return "PYTHON";
        case Language::Sql: return "SQL";
        case Language::Scala: return "SCALA";
        case Language::R: return "R";
    }
    return "PYTHON";
}

std::optional<Language> language_from_extension(std::string_view path) {
    const auto slash = path.find_last_of('/');
    const auto base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const auto dot = base.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    // Case-insensitive because exports from case-insensitive file systems carry ".SQL" or ".R".
    for (Language language : all_languages)
        if (equals_ignoring_case(base.substr(dot), extension_for(language))) return language;
    return std::nullopt;
}

std::string_view extension_for(Language language) {
    switch (language) {
        case Language::Python: return ".py";
        case Language::Sql: return ".sql";
        case Language::Scala: return ".scala";
        case Language::R: return ".r";
    }
    return ".py";
}

std::string_view comment_prefix(Language language) {
    switch (language) {
        case Language::Python: return "#";
        case Language::Sql: return "--";
        case Language::Scala: return "//";
        case Language::R: return "#";
    }
    return "#";
}

std::string_view source_header(Language language) {
    switch (language) {
        case Language::Python: return "# Databricks notebook source";
        case Language::Sql: return "-- Databricks notebook source";
        case Language::Scala: return "// Databricks notebook source";
        case Language::R: return "# Databricks notebook source";
    }
    return "# Databricks notebook source";
}

std::string_view without_bom(std::string_view content) {
    return content.starts_with("\xEF\xBB\xBF") ? content.substr(3) : content;
}

bool has_source_header(std::string_view content, Language language) {
    content = without_bom(content);
    auto first = content.substr(0, content.find('\n'));
    if (first.ends_with('\r')) first.remove_suffix(1);
    return first == source_header(language);
}

std::optional<Language> detect_source_notebook(std::string_view path, std::string_view content) {
    const auto language = language_from_extension(path);
    if (language && has_source_header(content, *language)) return language;
    return std::nullopt;
}

std::string with_source_header(std::string_view content, Language language) {
    content = without_bom(content);
    if (has_source_header(content, language)) return std::string(content);
    std::string out(source_header(language));
    out += '\n';
    out += content;
    return out;
}

}  // namespace brix::engine::notebook
