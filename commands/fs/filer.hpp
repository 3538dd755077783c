#pragma once
// One interface over the three places `fs` commands reach: the local disk, DBFS (the DBFS API)
// and Unity Catalog volumes (the Files API). Copy, list and delete logic is written once
// against it.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/api.hpp"

namespace brix::cli {
class Context;
}

namespace brix::commands::fs {

struct Entry {
    std::string path;  // in the filer's own terms ("/tmp/x" for DBFS, "/Volumes/..." for volumes)
    bool is_dir = false;
    std::uint64_t size = 0;
    std::int64_t modified_ms = 0;
    bool is_link = false;  // a local symbolic link (is_dir and size describe what it points to)
    // Why a local entry cannot be copied ("dangling symbolic link", "not a regular file"); empty
    // when it can. Only listings carry such entries, so a tree copy can report each one.
    std::string uncopyable = {};
};

class Filer {
public:
    virtual ~Filer() = default;
    virtual std::optional<Entry> stat(const std::string& path) = 0;
    virtual std::vector<Entry> list(const std::string& path) = 0;  // the children of a folder
    virtual void mkdirs(const std::string& path) = 0;
    virtual void remove(const std::string& path, bool recursive) = 0;
    virtual void read(const std::string& path, api::ByteSink& sink) = 0;
    // Writes a whole file, creating missing parent folders; refuses to replace unless `overwrite`.
    virtual void write(const std::string& path, api::ByteSource& source, bool overwrite) = 0;
    virtual std::string display(const std::string& path) const = 0;  // "dbfs:/x", "/Volumes/...", "./x"
    virtual bool is_local() const { return false; }
};

// A local destination is written through a sink, so a download lands in place without a copy.
class LocalFiler : public Filer {
public:
    std::optional<Entry> stat(const std::string& path) override;
    std::vector<Entry> list(const std::string& path) override;
    void mkdirs(const std::string& path) override;
    void remove(const std::string& path, bool recursive) override;
    void read(const std::string& path, api::ByteSink& sink) override;
    void write(const std::string& path, api::ByteSource& source, bool overwrite) override;
    std::string display(const std::string& path) const override { return path; }
    bool is_local() const override { return true; }

    void receive(const std::string& path, bool overwrite, const std::function<void(api::ByteSink&)>& produce);
};

std::unique_ptr<Filer> make_dbfs_filer(api::Api& api);
std::unique_ptr<Filer> make_volumes_filer(api::Api& api);

enum class FilerKind { Local, Dbfs, Volumes };

// A filer of `kind` over `api` (unused for Local): what each thread of a parallel copy opens.
std::unique_ptr<Filer> make_filer(FilerKind kind, api::Api* api);

struct Location {
    std::unique_ptr<Filer> filer;
    std::string path;
    FilerKind kind = FilerKind::Local;
    std::string display() const { return filer->display(path); }
};

// "dbfs:/x" -> DBFS; "dbfs:/Volumes/..." and "/Volumes/..." -> Files API; "file:x" or a plain
// path -> local. Other schemes are usage errors.
Location parse_location(const std::string& argument, cli::Context& context);

std::string child_path(const std::string& parent, const std::string& name);
std::string base_name(const std::string& path);

}  // namespace brix::commands::fs
