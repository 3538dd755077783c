#include "api/streams.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace brix::api {

std::size_t StringSource::read(char* buffer, std::size_t size) {
    auto n = std::min(size, bytes_.size());
    bytes_.copy(buffer, n);
    bytes_.remove_prefix(n);
    return n;
}

FdSource FdSource::open_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), path);
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
        ::close(fd);
        throw std::system_error(EISDIR, std::generic_category(), path);
    }
    return FdSource(fd, true, path);
}

FdSource::~FdSource() {
    if (owned_) ::close(fd_);
}

std::size_t FdSource::read(char* buffer, std::size_t size) {
    for (;;) {
        auto n = ::read(fd_, buffer, size);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), name_.empty() ? "read" : "cannot read " + name_);
    }
}

std::optional<std::uint64_t> FdSource::size() const {
    struct stat info {};
    if (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
    return static_cast<std::uint64_t>(info.st_size);
}

void FdSink::write(const char* data, std::size_t size) {
    while (size > 0) {
        auto n = ::write(fd_, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "write");
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

}  // namespace brix::api
