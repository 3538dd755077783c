#pragma once
// A task's own view of the file system, as on a cluster: the host's paths, plus the engine's
// folders bind-mounted at /dbfs, /Workspace and /Volumes, in a private mount namespace, so every
// process of the task (bash, sqlite3, C libraries) sees them — not only Python's own functions.
//
// How: in the forked child, before exec, unshare a mount namespace (root with CAP_SYS_ADMIN), else
// a user namespace with one (any user, where the kernel allows unprivileged user namespaces); then
// build a new root on a tmpfs holding a recursive bind of every top-level entry of the host's "/"
// plus the three engine folders, and pivot into it. The host's "/" is never written to: /dbfs
// need not exist on the host. Everything the child does is a system call on strings prepared
// before the fork (the parent may have threads, so the child must not allocate).
//
// Where namespaces are refused (containers without the capability, seccomp, kernels or AppArmor
// that restrict user namespaces), a probe says so once per process and tasks fall back to the
// Python-level mapping of the runtime's sitecustomize (FileSystemMode::PythonMapping).

#include <filesystem>
#include <string>
#include <vector>

namespace brix::engine::jobs {

enum class FileSystemMode { MountNamespace, PythonMapping };

// "mount_namespace" / "python_mapping": what runs get (brix_metrics.file_system) and the task's
// BRIX_FILE_SYSTEM say.
const char* file_system_mode_name(FileSystemMode mode);

// A host folder seen at `target` inside the task.
struct Bind {
    std::filesystem::path source;
    std::string target;
};

// Where a host path is in the task's view: under a bind's source, at its target; else unchanged.
std::string path_in_task(const std::vector<Bind>& binds, const std::string& host_path);
// The same for each entry of a ':'-separated list (PYTHONPATH).
std::string paths_in_task(const std::vector<Bind>& binds, const std::string& host_paths);

// Every path and string the child needs, computed before the fork.
class NamespacePlan {
public:
    // `scratch`: an existing, empty folder of the engine's where the new root is assembled (it
    // stays empty on the host: the tmpfs is mounted there in the task's namespace only).
    NamespacePlan(const std::vector<Bind>& binds, const std::filesystem::path& scratch);

    // Enters the namespace; call only in a freshly forked child. 0 on success, else the errno of
    // the step that failed, whose name is put in `failed_step`. The working folder is "/".
    int enter(const char** failed_step) const;

private:
    struct Entry {
        enum class Kind { Folder, File, Symlink } kind;
        std::string outer;   // the host path as seen from the old root ("/oldroot/usr")
        std::string inner;   // where it goes in the new root ("/newroot/usr")
        std::string target;  // a symlink's target
    };
    std::string scratch_, newroot_, oldroot_;
    std::string uid_map_, gid_map_;
    std::vector<Entry> entries_;
    std::vector<std::string> made_folders_;  // mount points for the binds, made in the new root
};

// Whether tasks can have a mount namespace here, tried once per process (a throwaway child enters
// one). `reason` tells why not ("unshare: Operation not permitted"). BRIX_TASK_FILE_SYSTEM=
// python_mapping in the engine's environment forces the fallback (what the tests of it use).
struct NamespaceSupport {
    FileSystemMode mode = FileSystemMode::PythonMapping;
    std::string reason;
};
NamespaceSupport namespace_support(const std::filesystem::path& scratch_parent);

}  // namespace brix::engine::jobs
