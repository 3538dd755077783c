#pragma once
// `brix serve`: the local engine behind the Databricks REST API over HTTP, for any Databricks
// client (SDKs, both CLIs, curl, brix itself with a remote profile).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace brix::server {

class Recorder;
class UrlSigner;

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0 = any free port
    std::filesystem::path root;
    std::optional<std::filesystem::path> token_file;
    bool allow_remote = false;
    int threads = 64;
    std::size_t max_json_bytes = 64 * 1024 * 1024;
    int request_timeout_seconds = 300;
    const Recorder* recorder = nullptr;  // BRIX_SERVE_RECORD (server/recorder.hpp): set by serve()
    const UrlSigner* signer = nullptr;   // presigned Files API URLs (server/presigned.hpp): set by serve()
};

// Serves until SIGINT or SIGTERM; returns the process exit code.
int serve(const ServeOptions& options);

}  // namespace brix::server
