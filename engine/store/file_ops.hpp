#pragma once
// Crash-safe file writes. Every write goes to a temporary file under the root's tmp/ folder (same
// file system) and is renamed into place only when complete, so a killed process never leaves a
// partial file where a reader could see it.

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "api/api.hpp"

// One alias for the whole engine: every area deals in paths.
namespace brix::engine {
namespace fs = std::filesystem;
}

namespace brix::engine::store {

enum class Replace { Allowed, Forbidden };

class TempFile {
public:
    explicit TempFile(const fs::path& tmp_dir);
    ~TempFile();  // removes the file unless it was installed
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const fs::path& path() const { return path_; }
    void write(std::string_view bytes);
    std::uint64_t copy_from(api::ByteSource& source);
    std::uint64_t size() const { return size_; }

    // Renames the file to `target`. With Replace::Forbidden the rename fails (returns false) if
    // anything exists there, atomically, so two writers cannot both win.
    bool install(const fs::path& target, Replace replace);

private:
    fs::path path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
    bool installed_ = false;
};

// Streams `file` from `offset` to `sink`, letting the kernel copy when the sink is a file.
void stream_file(const fs::path& file, std::uint64_t offset, api::ByteSink& sink);

std::string read_file(const fs::path& file);

// Moves `target` out of sight first (one rename), then deletes it, so readers see it either
// whole or gone.
void remove_tree(const fs::path& target, const fs::path& tmp_dir);

// The error the API reports for a failed local write, e.g. a full disk.
[[noreturn]] void throw_io_error(std::string_view what, const fs::path& file, int error_number);

}  // namespace brix::engine::store
