#include <unistd.h>

#include <fstream>

#include "engine/runtime/runtime_files.hpp"
#include "engine/store/file_ops.hpp"

namespace brix::engine::runtime {

std::filesystem::path ensure_python_runtime(const std::filesystem::path& root) {
    auto target = root / "runtime" / python_runtime_version();
    if (std::filesystem::is_directory(target)) return target;
    auto staging = root / "tmp" / ("runtime-" + std::to_string(::getpid()) + "-" + python_runtime_version());
    std::filesystem::remove_all(staging);
    for (const auto& file : python_runtime_files()) {
        auto path = staging / file.path;
        std::filesystem::create_directories(path.parent_path());
        std::ofstream out(path, std::ios::binary);
        out << file.content;
        if (!out) store::throw_io_error("cannot write", path, errno);
    }
    std::filesystem::create_directories(target.parent_path());
    std::error_code error;
    std::filesystem::rename(staging, target, error);
    if (error) std::filesystem::remove_all(staging);  // another process unpacked it first
    return target;
}

}  // namespace brix::engine::runtime
