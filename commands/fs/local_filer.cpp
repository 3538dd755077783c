#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "commands/fs/filer.hpp"
#include "commands/local_files.hpp"

namespace brix::commands::fs {

namespace stdfs = std::filesystem;

namespace {

void pump(api::ByteSource& source, api::ByteSink& sink) {
    std::vector<char> buffer(1 << 20);
    while (auto n = source.read(buffer.data(), buffer.size())) sink.write(buffer.data(), n);
}

std::int64_t modified_ms(const struct stat& info) {
    return static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000;
}

}  // namespace

std::optional<Entry> LocalFiler::stat(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;
    struct stat link {};
    bool is_link = ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
    Entry entry{path, S_ISDIR(info.st_mode), static_cast<std::uint64_t>(info.st_size), modified_ms(info), is_link};
    // Inside a tree a FIFO would block the copy and a device never end it (a single one named on
    // the command line is read, as cp reads it).
    if (!S_ISDIR(info.st_mode) && !S_ISREG(info.st_mode)) entry.uncopyable = "not a regular file";
    return entry;
}

std::vector<Entry> LocalFiler::list(const std::string& path) {
    std::vector<Entry> entries;
    for (const auto& item : stdfs::directory_iterator(path)) {
        auto child = child_path(path, item.path().filename().string());
        auto entry = stat(child);
        if (!entry) {
            // Listed, yet nothing to stat: a link to nothing (or a file removed meanwhile).
            struct stat link {};
            if (::lstat(child.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
                entries.push_back(Entry{child, false, 0, 0, true, "dangling symbolic link"});
            continue;
        }
        entries.push_back(*entry);
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return entries;
}

void LocalFiler::mkdirs(const std::string& path) { stdfs::create_directories(path); }

void LocalFiler::remove(const std::string& path, bool recursive) {
    if (recursive) stdfs::remove_all(path);
    else stdfs::remove(path);
}

void LocalFiler::read(const std::string& path, api::ByteSink& sink) {
    auto source = open_local_file(path);
    pump(source, sink);
}

void LocalFiler::write(const std::string& path, api::ByteSource& source, bool overwrite) {
    receive(path, overwrite, [&](api::ByteSink& sink) { pump(source, sink); });
}

void LocalFiler::receive(const std::string& path, bool overwrite, const std::function<void(api::ByteSink&)>& produce) {
    auto kind = local_target_kind(path);
    if (kind == LocalTargetKind::Directory) throw std::runtime_error(path + " is a directory");
    // Only a file is replaced: a device, FIFO or open descriptor is written to, as by cp.
    if (!overwrite && kind == LocalTargetKind::File) throw std::runtime_error(path + " already exists; use --overwrite to replace it");
    LocalFileWriter writer(path);
    produce(writer.sink());
    writer.commit(overwrite ? LocalOverwrite::Allowed : LocalOverwrite::Forbidden);
}

}  // namespace brix::commands::fs
