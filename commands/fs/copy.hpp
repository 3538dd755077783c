#pragma once

#include "commands/fs/filer.hpp"

namespace brix::commands::fs {

enum class Recursive { No, Yes };
enum class Overwrite { No, Yes };
enum class Verbose { No, Yes };

// `fs cp` semantics: a file into an existing folder lands inside it; a folder needs Recursive
// and copies its contents into the target (created); parents are always created.
void copy(Location& source, Location& target, Recursive recursive, Overwrite overwrite, Verbose verbose);

// Copies one file between any two filers.
void copy_file(Filer& from, const std::string& source, Filer& to, const std::string& target, Overwrite overwrite);

}  // namespace brix::commands::fs
