#include "engine/store/engine_root.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "engine/store/file_ops.hpp"

namespace brix::engine::store {
namespace {

// The parents of a new root, each created on its own so that a failure names the folder and the
// system's reason (a read-only HOME is "Permission denied" at ~/.local, not "No such file" later).
void make_parents(const fs::path& dir) {
    if (dir.empty() || fs::is_directory(dir)) return;
    make_parents(dir.parent_path());
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_io_error("cannot create engine folder", dir, errno);
}

void make_private_dir(const fs::path& dir) {
    if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
        if (!fs::is_directory(dir)) throw_io_error("not a folder:", dir, ENOTDIR);
        return;
    }
    throw_io_error("cannot create engine folder", dir, errno);
}

}  // namespace

EngineRoot::EngineRoot(fs::path root) : root_(std::move(root)) {
    if (!fs::is_directory(root_)) {
        make_parents(root_.parent_path());
        make_private_dir(root_);
        ::chmod(root_.c_str(), 0700);
    }
    for (const auto& dir : {workspace_dir(), dbfs_dir(), tmp_dir()}) make_private_dir(dir);
}

Database& EngineRoot::db() {
    if (!db_) {
        // Made private before SQLite opens it: SQLite creates the WAL and shared-memory files,
        // which hold recent writes (secret values included), with the database file's mode.
        // O_EXCL: an existing database is never opened here, because closing any descriptor of
        // it would drop every POSIX lock this process holds on it, those of SQLite included.
        auto file = root_ / "brix.db";
        int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
        for (const char* suffix : {"", "-wal", "-shm"}) ::chmod((file.string() + suffix).c_str(), 0600);  // left by an older brix
        db_ = std::make_unique<Database>(file.string());
    }
    return *db_;
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace brix::engine::store
