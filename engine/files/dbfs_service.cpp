#include "engine/files/dbfs_service.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "api/streams.hpp"
#include "engine/store/file_ops.hpp"
#include "engine/store/paths.hpp"

namespace brix::engine::files {
namespace {

constexpr std::int64_t kHandleIdleMs = 10 * 60 * 1000;

std::int64_t mtime_ms(const struct stat& info) {
    return static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000;
}

api::ApiError file_exists_error(const std::string& path, int status) {
    return api::already_exists("A file or directory already exists at the input path dbfs:" + path + ".", status);
}

}  // namespace

api::Json to_file_info(const FileStat& stat) {
    return api::Json{{"path", stat.path},
                     {"is_dir", stat.is_dir},
                     {"file_size", stat.is_dir ? 0 : stat.size},
                     {"modification_time", stat.modified_ms}};
}

fs::path DbfsService::disk_path(const std::string& path) const {
    return path == "/" ? root_.dbfs_dir() : root_.dbfs_dir() / path.substr(1);
}

std::optional<FileStat> DbfsService::stat(const std::string& path) const {
    struct stat info {};
    if (::stat(disk_path(path).c_str(), &info) != 0) return std::nullopt;
    return FileStat{path, S_ISDIR(info.st_mode), static_cast<std::uint64_t>(info.st_size), mtime_ms(info)};
}

FileStat DbfsService::require(const std::string& path) const {
    auto found = stat(path);
    if (!found) throw api::not_found("No file or directory exists on path dbfs:" + path + ".");
    return *found;
}

std::vector<FileStat> DbfsService::list(const std::string& path) const {
    auto self = require(path);
    if (!self.is_dir) return {self};
    std::vector<FileStat> entries;
    for (const auto& entry : fs::directory_iterator(disk_path(path))) {
        if (auto child = stat(store::join_path(path, entry.path().filename().string()))) entries.push_back(*child);
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return entries;
}

void DbfsService::mkdirs(const std::string& path) {
    std::string prefix;
    for (std::size_t pos = 1; pos <= path.size(); ++pos) {
        if (pos != path.size() && path[pos] != '/') continue;
        prefix = path.substr(0, pos);
        if (::mkdir(disk_path(prefix).c_str(), 0755) == 0 || errno != EEXIST) continue;
        if (auto existing = stat(prefix); existing && !existing->is_dir)
            throw api::already_exists("Cannot create directory dbfs:" + path + " because dbfs:" + prefix +
                                      " is an existing file.");
    }
    if (!stat(path)) store::throw_io_error("cannot create", disk_path(path), errno);
}

void DbfsService::make_parents(const std::string& path) {
    auto parent = store::parent_path(path);
    if (parent != "/") mkdirs(parent);
}

void DbfsService::put(const std::string& path, api::ByteSource& body, bool overwrite, int conflict_status) {
    if (path == "/") throw file_exists_error(path, conflict_status);
    auto existing = stat(path);
    if (existing && (existing->is_dir || !overwrite)) throw file_exists_error(path, conflict_status);
    make_parents(path);
    store::TempFile content(root_.tmp_dir());
    content.copy_from(body);
    // Checked again at the rename: another writer may have won the race meanwhile.
    if (!content.install(disk_path(path), overwrite ? store::Replace::Allowed : store::Replace::Forbidden))
        throw file_exists_error(path, conflict_status);
}

void DbfsService::remove(const std::string& path, bool recursive) {
    auto existing = stat(path);
    if (!existing) return;  // deleting what is not there succeeds, as on Databricks
    auto disk = disk_path(path);
    if (!existing->is_dir) {
        if (::unlink(disk.c_str()) != 0 && errno != ENOENT) store::throw_io_error("cannot delete", disk, errno);
        return;
    }
    if (path == "/") throw api::invalid_parameter("The DBFS root cannot be deleted");
    if (!recursive && !fs::is_empty(disk))
        throw api::ApiError(400, "IO_ERROR",
                            "Directory is not empty. Use recursive delete or remove contents first: dbfs:" + path);
    store::remove_tree(disk, root_.tmp_dir());
}

void DbfsService::move(const std::string& source, const std::string& destination) {
    require(source);
    if (source == "/" || destination == "/" || destination.rfind(source + "/", 0) == 0)
        throw api::invalid_parameter("Cannot move dbfs:" + source + " to dbfs:" + destination);
    if (stat(destination)) throw file_exists_error(destination, 400);
    make_parents(destination);
    if (::renameat2(AT_FDCWD, disk_path(source).c_str(), AT_FDCWD, disk_path(destination).c_str(), RENAME_NOREPLACE) !=
        0) {
        if (errno == EEXIST) throw file_exists_error(destination, 400);
        if (errno == ENOENT) throw api::not_found("No file or directory exists on path dbfs:" + source + ".");
        store::throw_io_error("cannot move to", disk_path(destination), errno);
    }
}

std::string DbfsService::read(const std::string& path, std::uint64_t offset, std::uint64_t length) const {
    auto file = require(path);
    if (file.is_dir) throw api::invalid_parameter("Cannot read dbfs:" + path + " because it is a directory.");
    std::string out;
    if (offset >= file.size) return out;
    out.resize(std::min<std::uint64_t>(length, file.size - offset));
    int fd = ::open(disk_path(path).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) store::throw_io_error("cannot read", disk_path(path), errno);
    auto n = ::pread(fd, out.data(), out.size(), static_cast<off_t>(offset));
    ::close(fd);
    if (n < 0) store::throw_io_error("cannot read", disk_path(path), errno);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

void DbfsService::stream(const std::string& path, std::uint64_t offset, api::ByteSink& sink) const {
    if (require(path).is_dir) throw api::invalid_parameter("Cannot read dbfs:" + path + " because it is a directory.");
    store::stream_file(disk_path(path), offset, sink);
}

std::int64_t DbfsService::create(const std::string& path, bool overwrite) {
    auto existing = stat(path);
    if (existing && (existing->is_dir || !overwrite)) throw file_exists_error(path, 400);
    make_parents(path);
    fs::path temp;
    std::int64_t handle = 0;
    root_.db().write_transaction([&] {
        // Idle handles expire, and their partial uploads go with them.
        auto expired = root_.db().prepare("SELECT temp_file FROM dbfs_handles WHERE last_used < ?");
        expired.bind(1, store::now_ms() - kHandleIdleMs);
        while (expired.step()) ::unlink(expired.text(0).c_str());
        root_.db().prepare("DELETE FROM dbfs_handles WHERE last_used < ?").bind(1, store::now_ms() - kHandleIdleMs).run();
        root_.db()
            .prepare("INSERT INTO dbfs_handles (path, overwrite, temp_file, last_used) VALUES (?, ?, '', ?)")
            .bind(1, path)
            .bind(2, std::int64_t{overwrite})
            .bind(3, store::now_ms())
            .run();
        handle = root_.db().last_insert_id();
        temp = root_.tmp_dir() / ("upload-" + std::to_string(handle) + "-" + std::to_string(::getpid()));
        root_.db().prepare("UPDATE dbfs_handles SET temp_file = ? WHERE handle = ?").bind(1, temp.string()).bind(2, handle).run();
    });
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) store::throw_io_error("cannot create", temp, errno);
    ::close(fd);
    return handle;
}

namespace {

struct Handle {
    std::string path;
    bool overwrite;
    fs::path temp_file;
};

Handle find_handle(store::EngineRoot& root, std::int64_t handle) {
    auto stmt = root.db().prepare("SELECT path, overwrite, temp_file FROM dbfs_handles WHERE handle = ?");
    stmt.bind(1, handle);
    if (!stmt.step()) throw api::not_found("Handle " + std::to_string(handle) + " does not exist.");
    return {stmt.text(0), stmt.integer(1) != 0, stmt.text(2)};
}

}  // namespace

void DbfsService::add_block(std::int64_t handle, std::string_view bytes) {
    auto found = find_handle(root_, handle);
    int fd = ::open(found.temp_file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) throw api::not_found("Handle " + std::to_string(handle) + " does not exist.");
    auto written = ::write(fd, bytes.data(), bytes.size());
    int error = errno;
    ::close(fd);
    if (written != static_cast<ssize_t>(bytes.size())) store::throw_io_error("cannot write", found.temp_file, error);
    root_.db().prepare("UPDATE dbfs_handles SET last_used = ? WHERE handle = ?").bind(1, store::now_ms()).bind(2, handle).run();
}

void DbfsService::close(std::int64_t handle) {
    auto found = find_handle(root_, handle);
    root_.db().prepare("DELETE FROM dbfs_handles WHERE handle = ?").bind(1, handle).run();
    auto source = api::FdSource::open_file(found.temp_file.string());
    put(found.path, source, found.overwrite);
    ::unlink(found.temp_file.c_str());
}

}  // namespace brix::engine::files
