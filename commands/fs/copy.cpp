#include "commands/fs/copy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "api/streams.hpp"
#include "cli/output.hpp"
#include "commands/local_files.hpp"

namespace brix::commands::fs {
namespace {

// Between two remote filers the bytes pass through an unnamed temporary file, which the kernel
// removes however the process ends.
void copy_through_temp_file(Filer& from, const std::string& source, Filer& to, const std::string& target, bool overwrite) {
    const char* tmp = std::getenv("TMPDIR");
    int fd = ::open(tmp && *tmp ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error(std::string("cannot create a temporary file: ") + std::strerror(errno));
    api::FdSource staged(fd, true);
    api::FdSink sink(fd);
    from.read(source, sink);
    ::lseek(fd, 0, SEEK_SET);
    to.write(target, staged, overwrite);
}

void copy_tree(Filer& from, const std::string& source, Filer& to, const std::string& target, Overwrite overwrite,
               Verbose verbose) {
    to.mkdirs(target);
    for (const auto& entry : from.list(source)) {
        auto name = base_name(entry.path);
        auto destination = child_path(target, name);
        if (entry.is_dir && entry.is_link) {  // a link to a parent folder would never end
            std::fprintf(stderr, "%s is a symbolic link to a folder. Skip.\n", from.display(entry.path).c_str());
            continue;
        }
        if (entry.is_dir) {
            copy_tree(from, entry.path, to, destination, overwrite, verbose);
            continue;
        }
        if (overwrite == Overwrite::No && to.stat(destination)) {
            std::fprintf(stderr, "%s already exists. Skip.\n", to.display(destination).c_str());
            continue;
        }
        copy_file(from, entry.path, to, destination, overwrite);
        if (verbose == Verbose::Yes) cli::print_line(from.display(entry.path) + " -> " + to.display(destination));
    }
}

}  // namespace

void copy_file(Filer& from, const std::string& source, Filer& to, const std::string& target, Overwrite overwrite) {
    bool replace = overwrite == Overwrite::Yes;
    if (to.is_local())
        return static_cast<LocalFiler&>(to).receive(target, replace, [&](api::ByteSink& sink) { from.read(source, sink); });
    if (from.is_local()) {
        auto file = open_local_file(source);
        return to.write(target, file, replace);
    }
    copy_through_temp_file(from, source, to, target, replace);
}

void copy(Location& source, Location& target, Recursive recursive, Overwrite overwrite, Verbose verbose) {
    auto from = source.filer->stat(source.path);
    if (!from) {
        if (source.filer->is_local()) throw std::runtime_error("The local file " + source.path + " does not exist.");
        throw api::not_found("No file or directory exists on path " + source.display() + ".");
    }
    if (from->is_dir) {
        if (recursive == Recursive::No)
            throw std::runtime_error(source.display() + " is a directory. You must provide --recursive (-r)");
        auto existing = target.filer->stat(target.path);
        if (existing && !existing->is_dir)
            throw std::runtime_error("Cannot copy a directory onto the file " + target.display());
        return copy_tree(*source.filer, source.path, *target.filer, target.path, overwrite, verbose);
    }
    // A file goes inside an existing folder, and inside a target ending in "/" (created if
    // missing), as the help's `fs cp data.csv dbfs:/landing/` promises.
    auto destination = target.path;
    auto existing = target.filer->stat(destination);
    if ((existing && existing->is_dir) || (!destination.empty() && destination.back() == '/'))
        destination = child_path(destination, base_name(source.path));
    copy_file(*source.filer, source.path, *target.filer, destination, overwrite);
}

}  // namespace brix::commands::fs
