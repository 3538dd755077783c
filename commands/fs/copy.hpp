#pragma once

#include <functional>
#include <memory>

#include "cli/progress.hpp"
#include "commands/fs/filer.hpp"

namespace brix::commands::fs {

struct CopyOptions {
    bool recursive = false;
    bool overwrite = false;
    bool verbose = true;       // a "source -> target" line per file copied
    unsigned concurrency = 8;  // files a recursive copy moves at once
    cli::ProgressMode progress = cli::ProgressMode::Auto;
    // Another connection to the same backend, for each extra thread of a recursive copy.
    std::function<std::unique_ptr<api::Api>()> open_api;
};

// `fs cp` semantics: a file into an existing folder lands inside it; a folder needs `recursive`
// and copies its contents into the target (created); parents are always created.
void copy(Location& source, Location& target, const CopyOptions& options);

// Copies one file between any two filers, reporting the bytes to `progress`.
void copy_file(Filer& from, const std::string& source, Filer& to, const std::string& target, bool overwrite,
               cli::Progress& progress);

}  // namespace brix::commands::fs
