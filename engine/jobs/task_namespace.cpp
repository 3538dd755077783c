#include "engine/jobs/task_namespace.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <mutex>
#include <optional>

namespace brix::engine::jobs {
namespace {

// The new root is assembled on a tmpfs mounted at the scratch folder: after the first pivot the
// tmpfs is "/", the host's root is at /oldroot and the task's root grows at /newroot.
constexpr const char* kNewRoot = "/newroot";
constexpr const char* kOldRoot = "/oldroot";

// Step names for the report of a failed attempt. Indexes travel through a pipe from the child.
constexpr const char* kSteps[] = {"unshare", "setgroups", "uid_map", "gid_map", "make / a slave mount", "mount tmpfs",
                                  "mkdir", "bind mount", "symlink", "pivot_root", "detach the old root", "chdir"};
enum Step { Unshare, Setgroups, UidMap, GidMap, Slave, Tmpfs, Mkdir, BindMount, Symlink, Pivot, Detach, Chdir };

bool write_proc_file(const char* path, const std::string& text) {
    int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    int error = errno;
    ::close(fd);
    errno = error;
    return written;
}

int pivot_root(const char* new_root, const char* put_old) { return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old)); }

// The child's index into kSteps and errno, as sent through the probe's pipe.
struct Report {
    int step = 0;
    int error = 0;
};

}  // namespace

const char* file_system_mode_name(FileSystemMode mode) {
    return mode == FileSystemMode::MountNamespace ? "mount_namespace" : "python_mapping";
}

std::string path_in_task(const std::vector<Bind>& binds, const std::string& host_path) {
    const Bind* best = nullptr;
    for (const auto& bind : binds) {
        const auto& source = bind.source.native();
        bool under = host_path.rfind(source, 0) == 0 && (host_path.size() == source.size() || host_path[source.size()] == '/');
        if (under && (!best || source.size() > best->source.native().size())) best = &bind;
    }
    return best ? best->target + host_path.substr(best->source.native().size()) : host_path;
}

std::string paths_in_task(const std::vector<Bind>& binds, const std::string& host_paths) {
    std::string out;
    std::size_t start = 0;
    while (start <= host_paths.size()) {
        auto end = std::min(host_paths.find(':', start), host_paths.size());
        if (start) out += ':';
        out += path_in_task(binds, host_paths.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

NamespacePlan::NamespacePlan(const std::vector<Bind>& binds, const std::filesystem::path& scratch)
    : scratch_(scratch.string()), newroot_(kNewRoot), oldroot_(kOldRoot) {
    uid_map_ = std::to_string(::geteuid()) + " " + std::to_string(::geteuid()) + " 1\n";
    gid_map_ = std::to_string(::getegid()) + " " + std::to_string(::getegid()) + " 1\n";
    auto taken = [&](const std::string& name) {
        for (const auto& bind : binds)
            if (bind.target == "/" + name) return true;
        return false;
    };
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/", error)) {
        auto name = entry.path().filename().string();
        if (taken(name)) continue;  // the engine's folder hides a host folder of the same name
        auto status = entry.symlink_status(error);
        if (error) continue;
        Entry item{Entry::Kind::Folder, oldroot_ + "/" + name, newroot_ + "/" + name, ""};
        if (std::filesystem::is_symlink(status)) {
            item.kind = Entry::Kind::Symlink;
            item.target = std::filesystem::read_symlink(entry.path(), error).string();
            if (error) continue;
        } else if (!std::filesystem::is_directory(status)) {
            item.kind = Entry::Kind::File;
        }
        entries_.push_back(std::move(item));
    }
    for (const auto& bind : binds) {
        // Resolved here: under /oldroot an absolute symlink would point into the half-built root.
        auto source = std::filesystem::weakly_canonical(bind.source, error);
        entries_.push_back(Entry{Entry::Kind::Folder, oldroot_ + (error ? bind.source : source).string(), newroot_ + bind.target, ""});
    }
}

int NamespacePlan::enter(const char** failed_step) const {
    auto fail = [&](Step step) {
        *failed_step = kSteps[step];
        return errno ? errno : EINVAL;
    };
    // root keeps its own user namespace (and so its privileges over the host's files and ports);
    // anyone else, or a root without CAP_SYS_ADMIN, gets one mapping only their own ids.
    bool privileged = ::geteuid() == 0 && ::unshare(CLONE_NEWNS) == 0;
    if (!privileged) {
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return fail(Unshare);
        if (!write_proc_file("/proc/self/setgroups", "deny") && errno != ENOENT) return fail(Setgroups);
        if (!write_proc_file("/proc/self/uid_map", uid_map_)) return fail(UidMap);
        if (!write_proc_file("/proc/self/gid_map", gid_map_)) return fail(GidMap);
    }
    // Nothing mounted from here on may propagate back to the host.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) return fail(Slave);
    if (::mount("tmpfs", scratch_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) return fail(Tmpfs);
    if (::chdir(scratch_.c_str()) != 0) return fail(Chdir);
    if (::mkdir("newroot", 0755) != 0 || ::mkdir("oldroot", 0755) != 0) return fail(Mkdir);
    if (::mount("newroot", "newroot", nullptr, MS_BIND | MS_REC, nullptr) != 0) return fail(BindMount);
    if (pivot_root(".", "oldroot") != 0) return fail(Pivot);
    if (::chdir("/") != 0) return fail(Chdir);
    for (const auto& entry : entries_) {
        if (entry.kind == Entry::Kind::Symlink) {
            if (::symlink(entry.target.c_str(), entry.inner.c_str()) != 0) return fail(Symlink);
            continue;
        }
        if (entry.kind == Entry::Kind::Folder) {
            if (::mkdir(entry.inner.c_str(), 0755) != 0 && errno != EEXIST) return fail(Mkdir);
        } else {
            int fd = ::open(entry.inner.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0) return fail(Mkdir);
            ::close(fd);
        }
        if (::mount(entry.outer.c_str(), entry.inner.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) return fail(BindMount);
    }
    if (::mount(oldroot_.c_str(), oldroot_.c_str(), nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return fail(Detach);
    if (::umount2(oldroot_.c_str(), MNT_DETACH) != 0) return fail(Detach);
    if (::chdir(newroot_.c_str()) != 0) return fail(Chdir);
    if (pivot_root(".", ".") != 0) return fail(Pivot);
    if (::umount2(".", MNT_DETACH) != 0) return fail(Detach);
    if (::chdir("/") != 0) return fail(Chdir);
    // The root itself is a tmpfs of this namespace: read-only, so that writing "/x" fails as on
    // the host instead of vanishing with the task. Only hardening: a refusal changes nothing else.
    (void)::mount("/", "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr);
    return 0;
}

NamespaceSupport namespace_support(const std::filesystem::path& scratch_parent) {
    const char* forced = std::getenv("BRIX_TASK_FILE_SYSTEM");
    if (forced && std::string(forced) == file_system_mode_name(FileSystemMode::PythonMapping))
        return {FileSystemMode::PythonMapping, "BRIX_TASK_FILE_SYSTEM=python_mapping"};
    static std::mutex mutex;
    static std::optional<NamespaceSupport> known;
    std::lock_guard lock(mutex);
    if (known) return *known;

    static std::atomic<int> probes{0};
    auto scratch = scratch_parent / ("namespace-probe-" + std::to_string(::getpid()) + "-" + std::to_string(probes++));
    std::error_code error;
    std::filesystem::create_directories(scratch, error);
    NamespacePlan plan({}, scratch);
    int report_pipe[2];
    if (::pipe2(report_pipe, O_CLOEXEC) != 0) return {FileSystemMode::PythonMapping, std::string("pipe: ") + std::strerror(errno)};
    pid_t pid = ::fork();
    if (pid == 0) {
        const char* step = kSteps[0];
        Report report;
        report.error = plan.enter(&step);
        for (int i = 0; i < static_cast<int>(std::size(kSteps)); ++i)
            if (kSteps[i] == step) report.step = i;
        (void)!::write(report_pipe[1], &report, sizeof report);
        ::_exit(0);
    }
    ::close(report_pipe[1]);
    Report report{0, pid < 0 ? errno : EIO};
    if (pid > 0) {
        if (::read(report_pipe[0], &report, sizeof report) != sizeof report) report = {0, EIO};
        ::waitpid(pid, nullptr, 0);
    }
    ::close(report_pipe[0]);
    std::filesystem::remove(scratch, error);
    NamespaceSupport support;
    if (report.error == 0) support.mode = FileSystemMode::MountNamespace;
    else support.reason = std::string(pid < 0 ? "fork" : kSteps[report.step]) + ": " + std::strerror(report.error);
    known = support;
    return support;
}

}  // namespace brix::engine::jobs
