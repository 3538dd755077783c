#include "engine/store/write_intent.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <random>

#include "engine/store/file_ops.hpp"

namespace brix::engine::store {
namespace {

std::string intent_prefix(std::string_view kind) { return "intent-" + std::string(kind) + "-"; }

struct Descriptor {
    int fd;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

WriteIntent::WriteIntent(const fs::path& tmp_dir, std::string_view kind, std::string_view note) {
    static std::atomic<unsigned> counter{0};
    static const auto seed = std::random_device{}();
    auto unique = std::to_string(::getpid()) + "-" + std::to_string(seed) + "-" + std::to_string(counter++);
    // Written and locked under a name recovery does not look at, then renamed: recovery never
    // sees a note before its writer holds the lock. (A writer killed before the rename leaves a
    // write-* file, which the temporary-file sweep removes.)
    auto staging = tmp_dir / ("write-" + unique + "-intent");
    fd_ = ::open(staging.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) throw_io_error("cannot create", staging, errno);
    path_ = tmp_dir / (intent_prefix(kind) + unique);
    auto written = ::flock(fd_, LOCK_EX) == 0 ? ::write(fd_, note.data(), note.size()) : -1;
    if (written != static_cast<ssize_t>(note.size()) || ::rename(staging.c_str(), path_.c_str()) != 0) {
        int error = written < 0 || written == static_cast<ssize_t>(note.size()) ? errno : EIO;
        ::unlink(staging.c_str());
        ::close(fd_);
        throw_io_error("cannot write", staging, error);
    }
}

WriteIntent::~WriteIntent() {
    ::unlink(path_.c_str());
    ::close(fd_);
}

void recover_intents(const fs::path& tmp_dir, std::string_view kind, const std::function<void(const std::string& note)>& recover) {
    auto prefix = intent_prefix(kind);
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(tmp_dir, error)) {
        if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
        Descriptor note{::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC)};
        if (note.fd < 0 || ::flock(note.fd, LOCK_EX | LOCK_NB) != 0) continue;  // its writer is alive
        struct stat info {};
        // Removed by its writer between our open and our lock: that write completed.
        if (::fstat(note.fd, &info) != 0 || info.st_nlink == 0) continue;
        std::string text;
        char buffer[4096];
        for (ssize_t n; (n = ::read(note.fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
        try {
            recover(text);
        } catch (const std::exception&) {
            continue;  // the next process tries again
        }
        ::unlink(entry.path().c_str());
    }
}

void crash_point(std::string_view name) {
    static const char* wanted = std::getenv("BRIX_TEST_CRASH_AT");
    if (wanted && name == wanted) ::raise(SIGKILL);
}

}  // namespace brix::engine::store
