#pragma once
// DBFS downloads over the DBFS API: dbfs/read answers at most 1 MB at a time, as base64 inside
// JSON, so a file is many requests. Made one after the other, each waits for the round trip of
// the previous one and for its decoding; here up to kReadsInFlight of them are under way at once
// (each on its own connection and thread, which also decode the blocks in parallel), and the
// blocks are written to the sink in order.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "api/api.hpp"

namespace brix::client {

inline constexpr int kReadsInFlight = 8;
inline constexpr std::int64_t kReadBlockBytes = 1 << 20;  // the most dbfs/read gives at once

// Sends one GET and puts the raw body of its successful answer in `body` (replacing what it
// held; errors are thrown as ApiError, retries are done).
using RawGet = std::function<void(const api::Request& request, std::string& body)>;

// Where the requests go: `own` on the client's own connection (which asks dbfs/get-status and
// reads the first block, so a small file costs what it always did), `connect` makes a fetcher on a
// new connection for each further reader thread.
struct DbfsConnections {
    api::Api& api;
    RawGet own;
    std::function<RawGet()> connect;
};

// Reads `path` from `offset` to its end into `sink`.
void read_dbfs_file(const DbfsConnections& connections, const std::string& path, std::int64_t offset, api::ByteSink& sink);

// One dbfs/read answer, {"bytes_read": N, "data": "<base64>"}, decoded (in the answer's buffer).
struct DbfsBlock {
    std::int64_t bytes_read = 0;
    std::string bytes;
};
DbfsBlock parse_dbfs_read_answer(std::string body, const std::string& path);

}  // namespace brix::client
