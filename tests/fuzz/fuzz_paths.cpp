// The path normaliser every path-taking route relies on to keep files under the engine root.
// Properties: a normalised path is absolute, has no empty, "." or ".." segments and no control
// characters, is a fixed point, and joined under a root folder stays inside it. A rejected path
// is an INVALID_PARAMETER_VALUE ApiError and nothing else.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "api/api.hpp"
#include "engine/store/paths.hpp"

namespace {

using brix::engine::store::normalize_path;

[[noreturn]] void fail(const char* property, std::string_view path) {
    std::fprintf(stderr, "property violated: %s: \"%.*s\"\n", property, static_cast<int>(path.size()), path.data());
    std::abort();
}

void check_normalized(std::string_view path) {
    if (path.empty() || path.front() != '/') fail("not absolute", path);
    if (path.size() > 1 && path.back() == '/') fail("trailing slash", path);
    for (unsigned char c : path)
        if (c < 0x20 || c == 0x7F) fail("control character", path);
    std::size_t pos = 1;
    while (path.size() > 1 && pos <= path.size()) {
        auto next = path.find('/', pos);
        if (next == std::string_view::npos) next = path.size();
        auto segment = path.substr(pos, next - pos);
        if (segment.empty() || segment == "." || segment == "..") fail("empty, . or .. segment", path);
        pos = next + 1;
    }
    if (normalize_path(path) != path) fail("not a fixed point", path);

    // What the services do with it: root / path without its leading slash.
    const std::filesystem::path root("/engine/root");
    const auto joined = (root / std::string(path.substr(1))).lexically_normal();
    const auto relative = joined.lexically_relative(root);
    if (relative.empty() || *relative.begin() == "..") fail("escapes the root", path);

    const auto parent = brix::engine::store::parent_path(path);
    const auto base = brix::engine::store::base_name(path);
    if (normalize_path(parent) != parent) fail("parent not normalised", path);
    if (base.find('/') != std::string::npos) fail("base name has a slash", path);
    if (path != "/" && brix::engine::store::join_path(parent, base) != path) fail("parent + base != path", path);
}

template <typename Normalize>
void try_normalize(Normalize&& normalize, std::string_view raw) {
    try {
        check_normalized(normalize(raw));
    } catch (const brix::api::ApiError& error) {
        if (error.http_status() != 400 || error.error_code() != "INVALID_PARAMETER_VALUE") fail("unexpected error", raw);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    try_normalize([](std::string_view text) { return normalize_path(text); }, raw);
    try_normalize(brix::engine::store::normalize_workspace_path, raw);
    try_normalize(brix::engine::store::normalize_dbfs_path, raw);
    return 0;
}
