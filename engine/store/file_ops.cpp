#include "engine/store/file_ops.hpp"

#include "api/streams.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace brix::engine::store {
namespace {

constexpr std::size_t kBufferSize = 1 << 20;
// Kernel copies go in pieces so a progress display can follow the descriptor's offset.
constexpr std::size_t kKernelCopyChunk = 64 << 20;

std::string unique_name(std::string_view prefix) {
    static std::atomic<unsigned> counter{0};
    static const auto seed = std::random_device{}();
    return std::string(prefix) + std::to_string(getpid()) + "-" + std::to_string(seed) + "-" +
           std::to_string(counter++);
}

// A writer killed mid-way (kill -9, power loss) never renames its temporary file into place, and
// nobody else would remove it: the first write of each process removes those of dead processes.
// Only files untouched for an hour go, so a live writer in another PID namespace is safe.
void sweep_orphans(const fs::path& tmp_dir) {
    static std::once_flag once;
    std::call_once(once, [&] {
        std::error_code error;
        const auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(1);
        for (const auto& entry : fs::directory_iterator(tmp_dir, error)) {
            auto name = entry.path().filename().string();
            if (name.rfind("write-", 0) != 0 && name.rfind("trash-", 0) != 0) continue;
            auto pid = static_cast<pid_t>(std::strtol(name.c_str() + 6, nullptr, 10));
            if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
            auto modified = entry.last_write_time(error);
            if (error || modified > cutoff) continue;
            fs::remove_all(entry.path(), error);
        }
    });
}

void write_all(int fd, const char* data, std::size_t size, const fs::path& file) {
    while (size > 0) {
        auto written = ::write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR) continue;
            throw_io_error("cannot write", file, errno);
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
}

// copy_file_range moves bytes inside the kernel (and reflinks where the file system can), which
// is what keeps `fs cp` on par with `cp`. Returns false when the kernel did not finish: it refuses
// many pairs (EXDEV, EINVAL for pipes, EBADF for an O_APPEND target such as `>> log`), and for a
// real failure (a full disk, a read error) it does not say which side failed. Either way the
// caller goes on with read and write from where the copy stopped, whose errors name the right side.
bool kernel_copy(int in, int out, std::uint64_t& copied) {
    for (;;) {
        auto n = copy_file_range(in, nullptr, out, nullptr, kKernelCopyChunk, 0);
        if (n > 0) {
            copied += static_cast<std::uint64_t>(n);
            continue;
        }
        if (n == 0) return true;
        if (errno != EINTR) return false;
    }
}

}  // namespace

[[noreturn]] void throw_io_error(std::string_view what, const fs::path& file, int error_number) {
    // A path too long for the file system is the request's fault, not the server's.
    if (error_number == ENAMETOOLONG) throw api::invalid_parameter("The path is too long: " + file.filename().string());
    throw api::ApiError(500, "IO_ERROR", std::string(what) + " " + file.string() + ": " + std::strerror(error_number));
}

TempFile::TempFile(const fs::path& tmp_dir) : path_(tmp_dir / unique_name("write-")) {
    sweep_orphans(tmp_dir);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) throw_io_error("cannot create", path_, errno);
}

TempFile::~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!installed_) ::unlink(path_.c_str());
}

void TempFile::write(std::string_view bytes) {
    write_all(fd_, bytes.data(), bytes.size(), path_);
    size_ += bytes.size();
}

std::uint64_t TempFile::copy_from(api::ByteSource& source) {
    std::uint64_t copied = 0;
    if (source.fd() >= 0 && kernel_copy(source.fd(), fd_, copied)) {
        size_ += copied;
        return copied;
    }
    std::vector<char> buffer(kBufferSize);
    while (auto n = source.read(buffer.data(), buffer.size())) {
        write_all(fd_, buffer.data(), n, path_);
        copied += n;
    }
    size_ += copied;
    return copied;
}

bool TempFile::install(const fs::path& target, Replace replace) {
    if (::close(fd_) != 0) {
        fd_ = -1;
        throw_io_error("cannot write", path_, errno);
    }
    fd_ = -1;
    ::chmod(path_.c_str(), 0644);
    unsigned flags = replace == Replace::Forbidden ? RENAME_NOREPLACE : 0;
    if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target.c_str(), flags) != 0) {
        if (errno == EEXIST) return false;
        throw_io_error("cannot write", target, errno);
    }
    installed_ = true;
    return true;
}

void stream_file(const fs::path& file, std::uint64_t offset, api::ByteSink& sink) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_io_error("cannot read", file, errno);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    if (offset > 0 && ::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) throw_io_error("cannot read", file, errno);
    std::uint64_t copied = 0;
    if (sink.fd() >= 0 && kernel_copy(fd, sink.fd(), copied)) return;
    std::vector<char> buffer(kBufferSize);
    for (;;) {
        auto n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_io_error("cannot read", file, errno);
        }
        if (n == 0) return;
        sink.write(buffer.data(), static_cast<std::size_t>(n));
    }
}

std::string read_file(const fs::path& file) {
    api::StringSink sink;
    stream_file(file, 0, sink);
    return std::move(sink.bytes());
}

void remove_tree(const fs::path& target, const fs::path& tmp_dir) {
    auto trash = tmp_dir / unique_name("trash-");
    if (::rename(target.c_str(), trash.c_str()) != 0) {
        if (errno == ENOENT) return;
        throw_io_error("cannot delete", target, errno);
    }
    std::error_code ignored;
    fs::remove_all(trash, ignored);
}

}  // namespace brix::engine::store
