#pragma once
// DBFS on the local disk: dbfs:/x is <root>/dbfs/x, and /Volumes/c/s/v/x (the Files API) is the
// same tree under dbfs/Volumes, as on Databricks where dbfs:/Volumes/... names the volume.
// The file system itself is the source of truth; every write is a temporary file renamed into
// place, so a reader sees a file whole or not at all.

#include <cstdint>
#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::files {

struct FileStat {
    std::string path;
    bool is_dir = false;
    std::uint64_t size = 0;
    std::int64_t modified_ms = 0;
};

class DbfsService {
public:
    explicit DbfsService(store::EngineRoot& root) : root_(root) {}

    fs::path disk_path(const std::string& path) const;  // `path` normalised
    std::optional<FileStat> stat(const std::string& path) const;
    FileStat require(const std::string& path) const;  // 404 RESOURCE_DOES_NOT_EXIST when missing
    std::vector<FileStat> list(const std::string& path) const;  // a file lists itself

    void mkdirs(const std::string& path);
    // Writes the whole file; parents are created. Throws RESOURCE_ALREADY_EXISTS (`conflict_status`)
    // when something is there and !overwrite.
    void put(const std::string& path, api::ByteSource& body, bool overwrite, int conflict_status = 400);
    void remove(const std::string& path, bool recursive);
    void move(const std::string& source, const std::string& destination);
    std::string read(const std::string& path, std::uint64_t offset, std::uint64_t length) const;
    void stream(const std::string& path, std::uint64_t offset, api::ByteSink& sink) const;

    // The create / add-block / close protocol; handles live in the store so any process may
    // continue an upload another began (brix serve threads, or clients across requests).
    std::int64_t create(const std::string& path, bool overwrite);
    void add_block(std::int64_t handle, std::string_view bytes);
    void close(std::int64_t handle);

private:
    void make_parents(const std::string& path);
    store::EngineRoot& root_;
};

api::Json to_file_info(const FileStat& stat);

}  // namespace brix::engine::files
