#include "engine/store/write_intent.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>

#include "engine/store/file_ops.hpp"

namespace brix::engine::store {
namespace {

constexpr std::string_view kStaging = ".new-";

struct Descriptor {
    int fd;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

// One thread's note file: made and locked once, then rewritten in place for each write.
class NoteFile {
public:
    NoteFile(const fs::path& notes_dir, std::string_view kind) {
        static std::atomic<unsigned> counter{0};
        static const auto seed = std::random_device{}();
        auto unique = std::to_string(::getpid()) + "-" + std::to_string(seed) + "-" + std::to_string(counter++);
        if (::mkdir(notes_dir.c_str(), 0700) != 0 && errno != EEXIST) throw_io_error("cannot create", notes_dir, errno);
        path_ = notes_dir / (std::string(kind) + "-" + unique);
        // The note gets its name only once locked, so recovery never takes a note in the making
        // for a dead writer's: an unnamed file linked into place, or where the file system has
        // none, a staging name that recovery leaves alone while it is young.
        fd_ = ::open(notes_dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd_ >= 0) {
            auto proc = "/proc/self/fd/" + std::to_string(fd_);
            if (::flock(fd_, LOCK_EX) != 0 || ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path_.c_str(), AT_SYMLINK_FOLLOW) != 0)
                fail(errno, path_);
            return;
        }
        auto staging = notes_dir / (std::string(kStaging) + unique);
        fd_ = ::open(staging.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd_ < 0) throw_io_error("cannot create", staging, errno);
        if (::flock(fd_, LOCK_EX) != 0 || ::rename(staging.c_str(), path_.c_str()) != 0) {
            int error = errno;
            ::unlink(staging.c_str());
            fail(error, path_);
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
    [[noreturn]] void fail(int error, const fs::path& path) {
        ::close(fd_);
        throw_io_error("cannot create", path, error);
    }

    fs::path path_;
    int fd_ = -1;
};

int note_descriptor(const fs::path& notes_dir, std::string_view kind) {
    thread_local std::map<std::string, std::unique_ptr<NoteFile>> notes;
    auto& note = notes[(notes_dir / std::string(kind)).string()];
    if (!note) note = std::make_unique<NoteFile>(notes_dir, kind);
    return note->fd();
}

}  // namespace

WriteIntent::WriteIntent(const fs::path& notes_dir, std::string_view kind, std::string_view note)
    : fd_(note_descriptor(notes_dir, kind)) {
    auto written = ::pwrite(fd_, note.data(), note.size(), 0);
    if (written != static_cast<ssize_t>(note.size()) || ::ftruncate(fd_, static_cast<off_t>(note.size())) != 0)
        throw_io_error("cannot write a note in", notes_dir, written < 0 || written == static_cast<ssize_t>(note.size()) ? errno : EIO);
}

WriteIntent::~WriteIntent() { [[maybe_unused]] auto ignored = ::ftruncate(fd_, 0); }

void recover_intents(const fs::path& notes_dir, std::string_view kind, const std::function<void(const std::string& note)>& recover) {
    auto prefix = std::string(kind) + "-";
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(notes_dir, error)) {
        auto name = entry.path().filename().string();
        bool staging = name.rfind(kStaging, 0) == 0;
        if (!staging && name.rfind(prefix, 0) != 0) continue;
        // A staging name is a note in the making for a moment, or a writer's that died making it.
        if (staging && entry.last_write_time(error) > fs::file_time_type::clock::now() - std::chrono::minutes(1)) continue;
        Descriptor note{::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC)};
        if (note.fd < 0 || ::flock(note.fd, LOCK_EX | LOCK_NB) != 0) continue;  // its writer is alive
        struct stat info {};
        // Removed by its writer between our open and our lock: that thread ended cleanly.
        if (::fstat(note.fd, &info) != 0 || info.st_nlink == 0) continue;
        std::string text;
        char buffer[4096];
        for (ssize_t n; !staging && (n = ::read(note.fd, buffer, sizeof buffer)) > 0;)
            text.append(buffer, static_cast<std::size_t>(n));
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
