#include "engine/notebook/zip_archive.hpp"

#include <zlib.h>

#include <cstdint>

#include "api/api.hpp"

namespace brix::engine::notebook {
namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfCentral = 0x06054b50;
constexpr std::uint16_t kUtf8Names = 0x0800;
constexpr std::uint16_t kStored = 0;
constexpr std::uint16_t kDeflated = 8;
constexpr std::uint16_t kDosDate1980 = 0x21;  // 1980-01-01: entries carry no meaningful time

api::ApiError bad_zip(const std::string& why) { return api::invalid_parameter("Invalid DBC archive: " + why); }

std::uint32_t read_le(std::string_view bytes, std::size_t at, int size) {
    if (at + static_cast<std::size_t>(size) > bytes.size()) throw bad_zip("truncated");
    std::uint32_t value = 0;
    for (int i = size - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
    return value;
}

void write_le(std::string& out, std::uint32_t value, int size) {
    for (int i = 0; i < size; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::string inflate_raw(std::string_view packed, std::size_t size) {
    std::string out(size, '\0');
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) throw bad_zip("cannot start inflating");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    stream.avail_in = static_cast<uInt>(packed.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&stream, Z_FINISH);
    auto produced = stream.total_out;
    inflateEnd(&stream);
    if (rc != Z_STREAM_END || produced != size) throw bad_zip("an entry does not inflate to its size");
    return out;
}

std::string deflate_raw(std::string_view data) {
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw api::ApiError(500, "INTERNAL_ERROR", "cannot start deflating");
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

std::uint32_t crc_of(std::string_view data) {
    return static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

}  // namespace

std::vector<ZipEntry> read_zip(std::string_view archive, std::size_t max_unpacked) {
    if (archive.size() < 22) throw bad_zip("too short to be a ZIP archive");
    // The end record is the last 22 bytes plus a comment of up to 64 KiB.
    std::size_t end = std::string_view::npos;
    for (std::size_t at = archive.size() - 22;; --at) {
        if (read_le(archive, at, 4) == kEndOfCentral) {
            end = at;
            break;
        }
        if (at == 0 || archive.size() - at > 22 + 0xffff) break;
    }
    if (end == std::string_view::npos) throw bad_zip("no end of central directory (not a ZIP archive)");
    auto count = read_le(archive, end + 10, 2);
    std::size_t at = read_le(archive, end + 16, 4);
    std::vector<ZipEntry> entries;
    std::size_t unpacked = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (read_le(archive, at, 4) != kCentralHeader) throw bad_zip("a broken central directory");
        auto flags = read_le(archive, at + 8, 2);
        auto method = read_le(archive, at + 10, 2);
        auto crc = read_le(archive, at + 16, 4);
        std::size_t packed_size = read_le(archive, at + 20, 4);
        std::size_t size = read_le(archive, at + 24, 4);
        auto name_length = read_le(archive, at + 28, 2);
        auto extra_length = read_le(archive, at + 30, 2);
        auto comment_length = read_le(archive, at + 32, 2);
        std::size_t local = read_le(archive, at + 42, 4);
        if (at + 46 + name_length > archive.size()) throw bad_zip("truncated");
        std::string name(archive.substr(at + 46, name_length));
        at += 46 + name_length + extra_length + comment_length;
        if (flags & 1) throw bad_zip(name + " is encrypted");
        if (method != kStored && method != kDeflated) throw bad_zip(name + " uses an unsupported compression method");
        if (packed_size == 0xffffffff || size == 0xffffffff) throw bad_zip("ZIP64 archives are not supported");
        unpacked += size;
        if (unpacked > max_unpacked) throw bad_zip("it unpacks to more than " + std::to_string(max_unpacked) + " bytes");
        if (read_le(archive, local, 4) != kLocalHeader) throw bad_zip("a broken local header for " + name);
        auto data_at = local + 30 + read_le(archive, local + 26, 2) + read_le(archive, local + 28, 2);
        if (data_at + packed_size > archive.size()) throw bad_zip("truncated");
        auto packed = archive.substr(data_at, packed_size);
        std::string data = method == kStored ? std::string(packed) : inflate_raw(packed, size);
        if (data.size() != size || crc_of(data) != crc) throw bad_zip("a checksum mismatch in " + name);
        entries.push_back(ZipEntry{std::move(name), std::move(data)});
    }
    return entries;
}

std::string write_zip(const std::vector<ZipEntry>& entries) {
    std::string out;
    std::string central;
    for (const auto& entry : entries) {
        bool folder = !entry.name.empty() && entry.name.back() == '/';
        auto packed = folder ? std::string() : deflate_raw(entry.data);
        auto method = folder ? kStored : kDeflated;
        auto crc = crc_of(entry.data);
        auto offset = static_cast<std::uint32_t>(out.size());
        auto common = [&](std::string& header) {
            write_le(header, 20, 2);  // version needed: 2.0
            write_le(header, kUtf8Names, 2);
            write_le(header, method, 2);
            write_le(header, 0, 2);  // time
            write_le(header, kDosDate1980, 2);
            write_le(header, crc, 4);
            write_le(header, static_cast<std::uint32_t>(packed.size()), 4);
            write_le(header, static_cast<std::uint32_t>(entry.data.size()), 4);
            write_le(header, static_cast<std::uint32_t>(entry.name.size()), 2);
            write_le(header, 0, 2);  // extra field
        };
        write_le(out, kLocalHeader, 4);
        common(out);
        out += entry.name;
        out += packed;
        write_le(central, kCentralHeader, 4);
        write_le(central, 20, 2);  // made by: 2.0
        common(central);
        write_le(central, 0, 2);                 // comment
        write_le(central, 0, 2);                 // disk
        write_le(central, 0, 2);                 // internal attributes
        write_le(central, folder ? 0x10 : 0, 4);  // external attributes: MS-DOS folder bit
        write_le(central, offset, 4);
        central += entry.name;
    }
    auto central_at = static_cast<std::uint32_t>(out.size());
    out += central;
    write_le(out, kEndOfCentral, 4);
    write_le(out, 0, 4);  // disk numbers
    write_le(out, static_cast<std::uint32_t>(entries.size()), 2);
    write_le(out, static_cast<std::uint32_t>(entries.size()), 2);
    write_le(out, static_cast<std::uint32_t>(central.size()), 4);
    write_le(out, central_at, 4);
    write_le(out, 0, 2);  // comment
    return out;
}

}  // namespace brix::engine::notebook
