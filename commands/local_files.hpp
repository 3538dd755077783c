#pragma once
// The local side of transfers: reading a user's file with a clear error, and writing one so that
// a killed brix never leaves a partial file behind (an unnamed O_TMPFILE linked into place).

#include <filesystem>
#include <string>

#include "api/streams.hpp"

namespace brix::commands {



// Opens a local file to upload; errors read "The local file X does not exist." and the like.
api::FdSource open_local_file(const std::string& path);
std::string read_local_file(const std::string& path);

enum class LocalOverwrite { Allowed, Forbidden };

class LocalFileWriter {
public:
    explicit LocalFileWriter(std::filesystem::path target);  // creates missing parent folders
    ~LocalFileWriter();
    LocalFileWriter(const LocalFileWriter&) = delete;
    LocalFileWriter& operator=(const LocalFileWriter&) = delete;

    api::ByteSink& sink() { return sink_; }
    // Makes the file visible at the target, all at once.
    void commit(LocalOverwrite overwrite);

private:
    std::filesystem::path target_;
    int fd_;
    api::FdSink sink_;
};

}  // namespace brix::commands
