#pragma once
// commands/generated/cli-commands.jsonl, compiled into the binary by cmake/embed_files.cmake (see
// CMakeLists.txt); only command_table.cpp reads it.

#include <vector>

namespace brix::commands::generated {

struct EmbeddedFile {
    const char* path;  // relative to commands/generated/: "cli-commands.jsonl"
    const char* content;
};

const std::vector<EmbeddedFile>& embedded_command_table();

}  // namespace brix::commands::generated
