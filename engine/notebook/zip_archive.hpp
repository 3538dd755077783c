#pragma once
// ZIP archives in memory, as much of the format as DBC archives use: stored and deflated entries,
// no encryption, no ZIP64. Pure transforms over zlib, like the rest of the notebook codec.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace brix::engine::notebook {

struct ZipEntry {
    std::string name;  // "folder/" for a folder entry
    std::string data;
};

// Throws INVALID_PARAMETER_VALUE for bytes that are not such an archive, and for one whose entries
// would unpack to more than `max_unpacked` bytes in all.
std::vector<ZipEntry> read_zip(std::string_view archive, std::size_t max_unpacked);
std::string write_zip(const std::vector<ZipEntry>& entries);

}  // namespace brix::engine::notebook
