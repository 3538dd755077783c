#pragma once
// The Python runtime (dbutils, the notebook runner, /dbfs paths) travels inside the binary and
// is unpacked once per version under <root>/runtime/<version>/.

#include <filesystem>
#include <string>
#include <vector>

namespace brix::engine::runtime {

struct EmbeddedFile {
    const char* path;
    const char* content;
};

const std::vector<EmbeddedFile>& python_runtime_files();
const char* python_runtime_version();

// The folder to put on PYTHONPATH, unpacked on first use (atomically: a rename of a complete folder).
std::filesystem::path ensure_python_runtime(const std::filesystem::path& root);

}  // namespace brix::engine::runtime
