#pragma once
// The local side of transfers: reading a user's file with a clear error, and writing one the way
// `cp` does. A new file, or an existing regular file with one link, is written to a temporary file
// and renamed into place, so a killed brix never leaves a partial file (the replaced file's mode
// and owner kept). Anything else is written in place: a device, a FIFO, a socket, /dev/stdout or
// /proc/self/fd/N, and a file with several hard links; a symbolic link is followed to the file it
// names, and stays a link.

#include <filesystem>
#include <string>

#include "api/streams.hpp"

namespace brix::commands {

// Opens a local file to upload; errors read "The local file X does not exist." and the like.
api::FdSource open_local_file(const std::string& path);
std::string read_local_file(const std::string& path);

// What a local write target is once symbolic links are followed.
enum class LocalTargetKind {
    Missing,    // nothing there yet (a new file)
    File,       // a regular file, which writing replaces
    Stream,     // a device, FIFO, socket or /proc/self/fd/N: written in place, never replaced
    Directory,
    Dangling,   // a symbolic link to nothing: never written through, as cp refuses to
};
LocalTargetKind local_target_kind(const std::filesystem::path& target);

enum class LocalOverwrite { Allowed, Forbidden };

class LocalFileWriter {
public:
    // Opens the target (creating missing parent folders); throws for a folder or a dangling link.
    explicit LocalFileWriter(std::filesystem::path target);
    ~LocalFileWriter();
    LocalFileWriter(const LocalFileWriter&) = delete;
    LocalFileWriter& operator=(const LocalFileWriter&) = delete;

    api::ByteSink& sink() { return sink_; }
    // Makes the file visible at the target, all at once. A new file with Forbidden fails if
    // something appeared at the target meanwhile.
    void commit(LocalOverwrite overwrite);

private:
    // Writes to the open file; a failure names the file the user gave.
    class Sink : public api::ByteSink {
    public:
        explicit Sink(const LocalFileWriter& writer) : writer_(writer) {}
        void write(const char* data, std::size_t size) override;
        int fd() const override { return writer_.fd_; }

    private:
        const LocalFileWriter& writer_;
    };

    std::filesystem::path shown_;   // the name the user gave, for messages
    std::filesystem::path target_;  // the file written: symbolic links followed
    std::filesystem::path staging_;  // a named temporary file, where O_TMPFILE is not supported
    bool in_place_ = false;
    bool committed_ = false;
    int fd_ = -1;
    Sink sink_{*this};
};

}  // namespace brix::commands
