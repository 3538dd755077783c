#include "commands/local_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <system_error>

namespace brix::commands {
namespace {

std::runtime_error local_error(const std::string& what, const std::filesystem::path& path, int error_number) {
    return std::runtime_error(what + " " + path.string() + ": " + std::strerror(error_number));
}

int open_unnamed(const std::filesystem::path& directory) {
    int fd = ::open(directory.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) throw local_error("cannot write into", directory, errno);
    return fd;
}

}  // namespace

api::FdSource open_local_file(const std::string& path) {
    try {
        return api::FdSource::open_file(path);
    } catch (const std::system_error& error) {
        if (error.code().value() == ENOENT) throw std::runtime_error("The local file " + path + " does not exist.");
        if (error.code().value() == EISDIR)
            throw std::runtime_error("The local file " + path + " is a directory, not a file.");
        throw std::runtime_error("cannot read " + path + ": " + std::strerror(error.code().value()));
    }
}

std::string read_local_file(const std::string& path) {
    auto source = open_local_file(path);
    api::StringSink sink;
    char buffer[1 << 16];
    while (auto n = source.read(buffer, sizeof buffer)) sink.write(buffer, n);
    return std::move(sink.bytes());
}

LocalFileWriter::LocalFileWriter(std::filesystem::path target)
    : target_(std::move(target)),
      fd_((std::filesystem::create_directories(std::filesystem::absolute(target_).parent_path()), open_unnamed(std::filesystem::absolute(target_).parent_path()))),
      sink_(fd_) {}

LocalFileWriter::~LocalFileWriter() { ::close(fd_); }

void LocalFileWriter::commit(LocalOverwrite overwrite) {
    auto proc = "/proc/self/fd/" + std::to_string(fd_);
    if (overwrite == LocalOverwrite::Forbidden) {
        if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, target_.c_str(), AT_SYMLINK_FOLLOW) == 0) return;
        if (errno == EEXIST) throw std::runtime_error(target_.string() + " already exists; use --overwrite to replace it");
        throw local_error("cannot write", target_, errno);
    }
    // An unnamed file cannot replace an existing one directly: link it under a private name
    // beside the target, then rename over the target in one step.
    auto staging = target_;
    staging += ".brix-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}());
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, staging.c_str(), AT_SYMLINK_FOLLOW) != 0)
        throw local_error("cannot write", target_, errno);
    if (::rename(staging.c_str(), target_.c_str()) != 0) {
        int error = errno;
        ::unlink(staging.c_str());
        throw local_error("cannot write", target_, error);
    }
}

}  // namespace brix::commands
