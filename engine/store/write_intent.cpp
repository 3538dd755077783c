#include "engine/store/write_intent.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>
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

// One thread's note file: created and locked once, then rewritten in place for each write, so a
// write pays a few syscalls on an open descriptor rather than a file creation (which costs as
// much as the write itself on some file systems).
class NoteFile {
public:
    NoteFile(const fs::path& tmp_dir, std::string_view kind) {
        static std::atomic<unsigned> counter{0};
        static const auto seed = std::random_device{}();
        auto unique = std::to_string(::getpid()) + "-" + std::to_string(seed) + "-" + std::to_string(counter++);
        // Locked under a name recovery does not look at, then renamed: recovery never sees a note
        // before its writer holds the lock. (A writer killed before the rename leaves a write-*
        // file, which the temporary-file sweep removes.)
        auto staging = tmp_dir / ("write-" + unique + "-intent");
        fd_ = ::open(staging.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd_ < 0) throw_io_error("cannot create", staging, errno);
        path_ = tmp_dir / (intent_prefix(kind) + unique);
        if (::flock(fd_, LOCK_EX) != 0 || ::rename(staging.c_str(), path_.c_str()) != 0) {
            int error = errno;
            ::unlink(staging.c_str());
            ::close(fd_);
            throw_io_error("cannot create", path_, error);
        }
    }
    ~NoteFile() {  // the thread ends with nothing in flight
        ::unlink(path_.c_str());
        ::close(fd_);
    }
    NoteFile(const NoteFile&) = delete;
    NoteFile& operator=(const NoteFile&) = delete;

    int fd() const { return fd_; }

private:
    fs::path path_;
    int fd_ = -1;
};

NoteFile& note_file(const fs::path& tmp_dir, std::string_view kind) {
    thread_local std::map<std::string, std::unique_ptr<NoteFile>> notes;
    auto& note = notes[(tmp_dir / std::string(kind)).string()];
    if (!note) note = std::make_unique<NoteFile>(tmp_dir, kind);
    return *note;
}

}  // namespace

WriteIntent::WriteIntent(const fs::path& tmp_dir, std::string_view kind, std::string_view note)
    : fd_(note_file(tmp_dir, kind).fd()) {
    auto written = ::pwrite(fd_, note.data(), note.size(), 0);
    if (written != static_cast<ssize_t>(note.size()) || ::ftruncate(fd_, static_cast<off_t>(note.size())) != 0)
        throw_io_error("cannot write", tmp_dir / intent_prefix(kind), written < 0 ? errno : EIO);
}

WriteIntent::~WriteIntent() { [[maybe_unused]] auto ignored = ::ftruncate(fd_, 0); }

void recover_intents(const fs::path& tmp_dir, std::string_view kind, const std::function<void(const std::string& note)>& recover) {
    auto prefix = intent_prefix(kind);
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(tmp_dir, error)) {
        if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
        Descriptor note{::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC)};
        if (note.fd < 0 || ::flock(note.fd, LOCK_EX | LOCK_NB) != 0) continue;  // its writer is alive
        struct stat info {};
        // Removed by its writer between our open and our lock: that thread ended cleanly.
        if (::fstat(note.fd, &info) != 0 || info.st_nlink == 0) continue;
        std::string text;
        char buffer[4096];
        for (ssize_t n; (n = ::read(note.fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
        try {
            if (!text.empty()) recover(text);
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
