#include "commands/fs/copy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "api/streams.hpp"
#include "commands/local_files.hpp"

namespace brix::commands::fs {
namespace {

// Between two remote filers the bytes pass through an unnamed temporary file, which the kernel
// removes however the process ends.
void copy_through_temp_file(Filer& from, const std::string& source, Filer& to, const std::string& target, bool overwrite,
                            cli::Progress& progress) {
    const char* tmp = std::getenv("TMPDIR");
    int fd = ::open(tmp && *tmp ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error(std::string("cannot create a temporary file: ") + std::strerror(errno));
    api::FdSource staged(fd, true);
    {
        api::FdSink sink(fd);
        cli::ProgressSink counted(sink, progress);  // the download is the half that counts
        from.read(source, counted);
    }
    ::lseek(fd, 0, SEEK_SET);
    to.write(target, staged, overwrite);
}

struct PlannedFile {
    std::string source;
    std::string target;
    std::uint64_t size = 0;
};

struct Plan {
    std::vector<PlannedFile> files;
    int not_copied = 0;  // items of the source that cannot be copied, each reported
};

// Walks the source tree: creates the target folders and lists what to copy. What exists already
// is found with one listing per folder rather than one lookup per file.
void plan_tree(Filer& from, const std::string& source, Filer& to, const std::string& target, const CopyOptions& options,
               cli::Progress& progress, Plan& plan) {
    to.mkdirs(target);
    std::set<std::string> existing;
    if (!options.overwrite)
        for (const auto& entry : to.list(target)) existing.insert(base_name(entry.path));
    for (const auto& entry : from.list(source)) {
        auto name = base_name(entry.path);
        auto destination = child_path(target, name);
        // A link to a folder is not followed (a link to a parent folder would never end); what
        // cannot be copied is reported, and the copy ends with an error once the rest is done.
        auto why = entry.is_dir && entry.is_link ? std::string("symbolic link to a folder") : entry.uncopyable;
        if (!why.empty()) {
            progress.warn(stderr, "Error: " + from.display(entry.path) + ": " + why + "; not copied");
            ++plan.not_copied;
            continue;
        }
        if (entry.is_dir) {
            plan_tree(from, entry.path, to, destination, options, progress, plan);
            continue;
        }
        if (existing.count(name)) {
            progress.warn(stderr, to.display(destination) + " already exists. Skip.");
            continue;
        }
        plan.files.push_back({entry.path, destination, entry.size});
    }
}

// Copies the planned files with up to `concurrency` threads, each with its own filers (and so its
// own connection). The first failure stops new copies; those under way finish, then it is thrown.
class ParallelCopy {
public:
    ParallelCopy(const std::vector<PlannedFile>& plan, const CopyOptions& options, cli::Progress& progress)
        : plan_(plan), options_(options), progress_(progress), lines_(plan.size()) {}

    void run(Location& source, Location& target) {
        auto threads = std::min<std::size_t>(std::max(options_.concurrency, 1u), plan_.size());
        std::vector<std::thread> helpers;
        for (std::size_t i = 1; i < threads; ++i)
            helpers.emplace_back([&] {
                guarded([&] {
                    bool remote = source.kind != FilerKind::Local || target.kind != FilerKind::Local;
                    auto api = remote ? options_.open_api() : nullptr;
                    auto from = make_filer(source.kind, api.get());
                    auto to = make_filer(target.kind, api.get());
                    work(*from, *to);
                });
            });
        guarded([&] { work(*source.filer, *target.filer); });
        for (auto& helper : helpers) helper.join();
        if (failure_) std::rethrow_exception(failure_);
    }

private:
    void guarded(const std::function<void()>& body) {
        try {
            body();
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!failure_) failure_ = std::current_exception();
            stop_ = true;
        }
    }

    void work(Filer& from, Filer& to) {
        for (;;) {
            if (stop_) return;
            auto index = next_++;
            if (index >= plan_.size()) return;
            const auto& file = plan_[index];
            copy_file(from, file.source, to, file.target, options_.overwrite, progress_);
            finished(index, from.display(file.source) + " -> " + to.display(file.target));
        }
    }

    // Lines come out in the order of the plan, whichever copy ends first, so logs compare.
    void finished(std::size_t index, std::string line) {
        std::lock_guard lock(mutex_);
        lines_[index] = std::move(line);
        progress_.set_status(std::to_string(++done_) + "/" + std::to_string(plan_.size()) + " files");
        for (; printed_ < plan_.size() && lines_[printed_]; ++printed_)
            if (options_.verbose) progress_.note(stdout, *lines_[printed_]);
    }

    const std::vector<PlannedFile>& plan_;
    const CopyOptions& options_;
    cli::Progress& progress_;
    std::atomic<std::size_t> next_{0};
    std::size_t done_ = 0;
    std::size_t printed_ = 0;
    std::vector<std::optional<std::string>> lines_;  // each finished copy's line, until printed
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::exception_ptr failure_;
};

void copy_tree(Location& source, Location& target, const CopyOptions& options) {
    cli::Progress progress("fs cp", cli::ProgressUnit::Bytes, options.progress);
    Plan plan;
    plan_tree(*source.filer, source.path, *target.filer, target.path, options, progress, plan);
    std::uint64_t total = 0;
    for (const auto& file : plan.files) total += file.size;
    progress.set_total(total);
    ParallelCopy(plan.files, options, progress).run(source, target);
    if (plan.not_copied > 0) throw std::runtime_error(std::to_string(plan.not_copied) + " item(s) not copied");
}

std::filesystem::path without_trailing_slash(std::string path) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return std::filesystem::path(path).lexically_normal();
}

// Whether `target` is `source` or lies under it, on the same side: such a copy would walk into
// what it creates, folder after folder, until the path is too long.
bool copies_into_itself(const Location& source, const Location& target) {
    if (source.kind != target.kind) return false;
    auto from = without_trailing_slash(source.path), to = without_trailing_slash(target.path);
    if (source.kind == FilerKind::Local) {
        std::error_code error;
        from = std::filesystem::weakly_canonical(std::filesystem::absolute(from), error);
        to = std::filesystem::weakly_canonical(std::filesystem::absolute(to), error);
    }
    auto relative = to.lexically_relative(from);
    return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

void copy_file(Filer& from, const std::string& source, Filer& to, const std::string& target, bool overwrite,
               cli::Progress& progress) {
    if (to.is_local())
        return static_cast<LocalFiler&>(to).receive(target, overwrite, [&](api::ByteSink& sink) {
            cli::ProgressSink counted(sink, progress);
            from.read(source, counted);
        });
    if (from.is_local()) {
        auto file = open_local_file(source);
        cli::ProgressSource counted(file, progress);
        return to.write(target, counted, overwrite);
    }
    copy_through_temp_file(from, source, to, target, overwrite, progress);
}

void copy(Location& source, Location& target, const CopyOptions& options) {
    auto from = source.filer->stat(source.path);
    if (!from) {
        if (source.filer->is_local()) throw std::runtime_error("The local file " + source.path + " does not exist.");
        throw api::not_found("No file or directory exists on path " + source.display() + ".");
    }
    if (from->is_dir) {
        if (!options.recursive) throw std::runtime_error(source.display() + " is a directory. You must provide --recursive (-r)");
        auto existing = target.filer->stat(target.path);
        if (existing && !existing->is_dir) throw std::runtime_error("Cannot copy a directory onto the file " + target.display());
        if (copies_into_itself(source, target))
            throw std::runtime_error("cannot copy a folder into itself: " + source.display() + " into " + target.display());
        return copy_tree(source, target, options);
    }
    // A file goes inside an existing folder, and inside a target ending in "/" (created if
    // missing), as the help's `fs cp data.csv dbfs:/landing/` promises.
    auto destination = target.path;
    auto existing = target.filer->stat(destination);
    if ((existing && existing->is_dir) || (!destination.empty() && destination.back() == '/'))
        destination = child_path(destination, base_name(source.path));
    cli::Progress progress("fs cp", cli::ProgressUnit::Bytes, options.progress);
    progress.set_total(from->size);
    copy_file(*source.filer, source.path, *target.filer, destination, options.overwrite, progress);
}

}  // namespace brix::commands::fs
