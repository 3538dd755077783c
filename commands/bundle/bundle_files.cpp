#include "commands/bundle/bundle_files.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "commands/bundle/glob.hpp"

namespace brix::commands::bundle {
namespace fs = std::filesystem;
namespace {

// Never uploaded, whatever sync.include says: git's data and brix's own local state.
const std::set<std::string> kNeverUploaded = {".git", ".databricks"};

// Left out unless sync.include names them: what builds, virtual environments and tools write.
const std::vector<std::string> kLeftOutByDefault = {
    "build/", "dist/", "__pycache__/", "*.egg-info/", ".venv/", "venv/", "node_modules/", ".pytest_cache/",
    ".mypy_cache/", ".ruff_cache/", ".ipynb_checkpoints/", "*.pyc", "*.pyo", ".DS_Store"};

struct IgnoreRule {
    std::string pattern;
    bool negated = false;
};

// The bundle root's .gitignore, as git reads it: later lines win, "!" takes a path back.
std::vector<IgnoreRule> read_gitignore(const fs::path& root) {
    std::vector<IgnoreRule> rules;
    std::ifstream in(root / ".gitignore");
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        while (!line.empty() && line.back() == ' ') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        IgnoreRule rule;
        rule.negated = line.front() == '!';
        rule.pattern = rule.negated ? line.substr(1) : line;
        rules.push_back(std::move(rule));
    }
    return rules;
}

bool ignored_itself(const std::string& path, PathKind kind, const std::vector<IgnoreRule>& gitignore) {
    for (const auto& pattern : kLeftOutByDefault)
        if (sync_pattern_matches(pattern, path, kind)) return true;
    bool ignored = false;
    for (const auto& rule : gitignore)
        if (sync_pattern_matches(rule.pattern, path, kind)) ignored = !rule.negated;
    return ignored;
}

// As in git, what is inside an ignored folder stays ignored, whatever a later "!" line says.
bool ignored_by_default(const std::string& path, PathKind kind, const std::vector<IgnoreRule>& gitignore) {
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
        if (ignored_itself(path.substr(0, slash), PathKind::Folder, gitignore)) return true;
    return ignored_itself(path, kind, gitignore);
}

bool any_matches(const std::vector<std::string>& patterns, const std::string& path, PathKind kind) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return sync_pattern_matches(p, path, kind); });
}

// A folder nothing inside could be uploaded from is not walked (node_modules, .venv); only
// sync.include can take files back from an ignored folder.
bool skip_folder(const std::string& path, const std::string& name, const SyncRules& rules, const std::vector<IgnoreRule>& gitignore) {
    if (kNeverUploaded.count(name) || any_matches(rules.exclude, path, PathKind::Folder)) return true;
    return rules.include.empty() && ignored_by_default(path, PathKind::Folder, gitignore);
}

std::string first_line(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // a byte order mark some editors add
    return line;
}

const std::map<std::string, std::string>& notebook_headers() {
    static const std::map<std::string, std::string> headers = {{".py", "# Databricks notebook source"},
                                                               {".sql", "-- Databricks notebook source"},
                                                               {".scala", "// Databricks notebook source"},
                                                               {".r", "# Databricks notebook source"},
                                                               {".R", "# Databricks notebook source"}};
    return headers;
}

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

std::uint64_t fnv1a(std::uint64_t hash, const char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= static_cast<unsigned char>(data[i]);
        hash *= kFnvPrime;
    }
    return hash;
}

std::string fingerprint_text(std::uint64_t hash, std::uint64_t size) {
    char text[64];
    std::snprintf(text, sizeof text, "fnv1a64:%016llx:%llu", static_cast<unsigned long long>(hash),
                  static_cast<unsigned long long>(size));
    return text;
}

}  // namespace

FileKind classify_file(const fs::path& file) {
    auto extension = file.extension().string();
    if (extension == ".ipynb") return FileKind::Notebook;
    auto header = notebook_headers().find(extension);
    if (header == notebook_headers().end()) return FileKind::File;
    return first_line(file) == header->second ? FileKind::Notebook : FileKind::File;
}

std::string workspace_name_for(const std::string& path, FileKind kind) {
    if (kind == FileKind::File) return path;
    return (fs::path(path).parent_path() / fs::path(path).stem()).generic_string();
}

std::vector<BundleFile> collect_bundle_files(const fs::path& root, const SyncRules& rules, Diagnostics& diagnostics) {
    auto gitignore = read_gitignore(root);
    std::vector<BundleFile> files;
    std::error_code error;
    fs::recursive_directory_iterator walk(root, fs::directory_options::skip_permission_denied, error);
    if (error) throw std::runtime_error("cannot read the bundle folder " + root.string() + ": " + error.message());
    for (auto it = walk; it != fs::recursive_directory_iterator(); it.increment(error)) {
        if (error) throw std::runtime_error("cannot read the bundle folder " + root.string() + ": " + error.message());
        auto relative = it->path().lexically_relative(root).generic_string();
        if (it->is_directory()) {
            if (skip_folder(relative, it->path().filename().string(), rules, gitignore)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) continue;
        bool wanted = !ignored_by_default(relative, PathKind::File, gitignore) || any_matches(rules.include, relative, PathKind::File);
        if (!wanted || any_matches(rules.exclude, relative, PathKind::File)) continue;
        auto kind = classify_file(it->path());
        files.push_back({relative, kind, workspace_name_for(relative, kind)});
    }
    std::sort(files.begin(), files.end(), [](const BundleFile& a, const BundleFile& b) { return a.path < b.path; });
    std::map<std::string, std::string> taken;  // workspace name -> local file
    for (const auto& file : files) {
        auto [at, fresh] = taken.emplace(file.workspace_name, file.path);
        if (!fresh)
            diagnostics.error(file.path + " and " + at->second + " would both be uploaded as " + file.workspace_name +
                              " (notebooks lose their extension in the workspace); rename one or exclude it with sync.exclude");
    }
    return files;
}

const BundleFile* find_file(const std::vector<BundleFile>& files, const std::string& path) {
    auto found = std::lower_bound(files.begin(), files.end(), path, [](const BundleFile& f, const std::string& p) { return f.path < p; });
    return found != files.end() && found->path == path ? &*found : nullptr;
}

std::string content_fingerprint(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::array<char, 65536> buffer{};
    std::uint64_t hash = kFnvOffset, size = 0;
    while (in) {
        in.read(buffer.data(), buffer.size());
        auto got = static_cast<std::size_t>(in.gcount());
        hash = fnv1a(hash, buffer.data(), got);
        size += got;
    }
    return fingerprint_text(hash, size);
}

std::string text_fingerprint(const std::string& text) {
    return fingerprint_text(fnv1a(kFnvOffset, text.data(), text.size()), text.size());
}

}  // namespace brix::commands::bundle
