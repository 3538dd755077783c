#include "commands/local_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace brix::commands {
namespace {

namespace stdfs = std::filesystem;

std::runtime_error local_error(const std::string& what, const stdfs::path& path, int error_number) {
    return std::runtime_error(what + " " + path.string() + ": " + std::strerror(error_number));
}

struct ResolvedTarget {
    stdfs::path path;  // symbolic links followed (but not the magic links of /proc)
    LocalTargetKind kind = LocalTargetKind::Missing;
    bool in_place = false;
    struct stat info {};
};

LocalTargetKind kind_of(const struct stat& info) {
    if (S_ISDIR(info.st_mode)) return LocalTargetKind::Directory;
    if (S_ISREG(info.st_mode)) return LocalTargetKind::File;
    return LocalTargetKind::Stream;
}

// /dev/stdout, /dev/fd/N and /proc/self/fd/N lead into /proc, where a link names an open
// descriptor ("pipe:[123]", a deleted file ...), not a path to follow by its text.
bool inside_proc(const stdfs::path& dir) {
    char* real = ::realpath(dir.empty() ? "." : dir.c_str(), nullptr);
    if (!real) return false;
    std::string text(real);
    std::free(real);
    return text == "/proc" || text.rfind("/proc/", 0) == 0;
}

ResolvedTarget resolve_target(const stdfs::path& target) {
    ResolvedTarget resolved{target};
    for (int hops = 0; hops < 40; ++hops) {
        if (::lstat(resolved.path.c_str(), &resolved.info) != 0) {
            if (errno != ENOENT) throw local_error("cannot write", target, errno);
            resolved.kind = hops == 0 ? LocalTargetKind::Missing : LocalTargetKind::Dangling;
            return resolved;
        }
        if (!S_ISLNK(resolved.info.st_mode)) {
            resolved.kind = kind_of(resolved.info);
            // A second hard link would be split by a rename: such a file is written in place.
            resolved.in_place = resolved.kind == LocalTargetKind::Stream ||
                                (resolved.kind == LocalTargetKind::File && resolved.info.st_nlink > 1);
            return resolved;
        }
        if (inside_proc(resolved.path.parent_path())) {
            // An open descriptor, whatever it leads to: written through, never replaced.
            if (::stat(resolved.path.c_str(), &resolved.info) != 0) throw local_error("cannot write", target, errno);
            resolved.kind = S_ISDIR(resolved.info.st_mode) ? LocalTargetKind::Directory : LocalTargetKind::Stream;
            resolved.in_place = true;
            return resolved;
        }
        char link[PATH_MAX];
        auto length = ::readlink(resolved.path.c_str(), link, sizeof link - 1);
        if (length < 0) throw local_error("cannot write", target, errno);
        stdfs::path next(std::string(link, static_cast<std::size_t>(length)));
        resolved.path = next.is_absolute() ? next : resolved.path.parent_path() / next;
    }
    throw local_error("cannot write", target, ELOOP);
}

std::string random_suffix() { return std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()); }

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

LocalTargetKind local_target_kind(const stdfs::path& target) { return resolve_target(target).kind; }

LocalFileWriter::LocalFileWriter(stdfs::path target) : shown_(std::move(target)) {
    auto resolved = resolve_target(shown_);
    target_ = resolved.path;
    if (resolved.kind == LocalTargetKind::Directory) throw std::runtime_error(shown_.string() + " is a directory");
    if (resolved.kind == LocalTargetKind::Dangling)
        throw std::runtime_error("not writing through the dangling symbolic link " + shown_.string());
    if (resolved.in_place) {
        in_place_ = true;
        fd_ = ::open(target_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd_ < 0) throw local_error("cannot write", shown_, errno);
        return;
    }
    auto directory = stdfs::absolute(target_).parent_path();
    if (resolved.kind == LocalTargetKind::Missing) stdfs::create_directories(directory);
    // A new file gets 0666 less the umask, as cp and shell redirections give it.
    fd_ = ::open(directory.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (fd_ < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        staging_ = directory / ("." + target_.filename().string() + ".brix-" + random_suffix());
        fd_ = ::open(staging_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ < 0) staging_.clear();
    }
    if (fd_ < 0) throw local_error("cannot write into", directory, errno);
    if (resolved.kind == LocalTargetKind::File) {
        // The replacement keeps the replaced file's mode and, where allowed, its owner.
        ::fchmod(fd_, resolved.info.st_mode & 07777);
        if (resolved.info.st_uid != ::geteuid() || resolved.info.st_gid != ::getegid())
            [[maybe_unused]] auto ignored = ::fchown(fd_, resolved.info.st_uid, resolved.info.st_gid);
    }
}

LocalFileWriter::~LocalFileWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !staging_.empty()) ::unlink(staging_.c_str());
}

void LocalFileWriter::Sink::write(const char* data, std::size_t size) {
    while (size > 0) {
        auto n = ::write(writer_.fd_, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw local_error("cannot write", writer_.shown_, errno);
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

void LocalFileWriter::commit(LocalOverwrite overwrite) {
    auto exists = [&] { return std::runtime_error(shown_.string() + " already exists; use --overwrite to replace it"); };
    if (in_place_ || !staging_.empty()) {
        if (::close(std::exchange(fd_, -1)) != 0) throw local_error("cannot write", shown_, errno);
        if (in_place_) return;
        unsigned flags = overwrite == LocalOverwrite::Forbidden ? RENAME_NOREPLACE : 0;
        if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), flags) != 0) {
            if (errno == EEXIST) throw exists();
            throw local_error("cannot write", shown_, errno);
        }
        committed_ = true;
        return;
    }
    auto proc = "/proc/self/fd/" + std::to_string(fd_);
    if (overwrite == LocalOverwrite::Forbidden) {
        if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, target_.c_str(), AT_SYMLINK_FOLLOW) == 0) return;
        if (errno == EEXIST) throw exists();
        throw local_error("cannot write", shown_, errno);
    }
    // An unnamed file cannot replace an existing one directly: link it under a private name
    // beside the target, then rename over the target in one step.
    auto staging = target_;
    staging += ".brix-" + random_suffix();
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, staging.c_str(), AT_SYMLINK_FOLLOW) != 0)
        throw local_error("cannot write", shown_, errno);
    if (::rename(staging.c_str(), target_.c_str()) != 0) {
        int error = errno;
        ::unlink(staging.c_str());
        throw local_error("cannot write", shown_, error);
    }
}

}  // namespace brix::commands
