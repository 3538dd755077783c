#pragma once
// The shell completion scripts of completions/ (brix.bash, _brix for zsh, brix.fish), compiled
// into the binary by cmake/embed_files.cmake so `brix completion SHELL` can print them.

#include <vector>

namespace brix::cli::completion {

struct EmbeddedFile {
    const char* path;  // relative to completions/, e.g. "brix.bash"
    const char* content;
};

const std::vector<EmbeddedFile>& completion_scripts();

}  // namespace brix::cli::completion
