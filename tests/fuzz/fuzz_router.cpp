// The REST router of the local engine, through the entry the CLI uses (api::Api on a LocalApi),
// on a fresh engine root for every input so that a crash reproduces from its input alone.
//
// Input: up to kMaxRequests requests separated by a line "%%". Each request is
//   [UPLOAD |DOWNLOAD ]METHOD PATH[?k=v&k2=v2...]\n
//   BODY
// METHOD is GET, HEAD, POST, PUT, PATCH or DELETE. A plain request's BODY is JSON (blank for
// none), parsed as `brix serve` parses it; a request whose body does not parse is skipped, as
// serve answers it before the router. UPLOAD sends BODY as raw bytes through Api::upload;
// DOWNLOAD reads through Api::download.
//
// Properties: every call returns or throws api::ApiError with a 4xx/5xx status and an error
// code (LocalApi promises that one error type); nothing is created beside the engine root.
//
// Starting a run forks a worker, which is this binary again: LLVMFuzzerInitialize makes it exit
// at once, so runs are created and stay unexecuted. git (repos) may only use local folders.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"
#include "api/json_body.hpp"
#include "api/streams.hpp"
#include "engine/local_api.hpp"

namespace {

namespace fs = std::filesystem;
using brix::api::Json;
using brix::api::Method;

constexpr std::size_t kMaxRequests = 16;
constexpr std::string_view kSeparator = "\n%%\n";

[[noreturn]] void fail(const char* property, std::string_view detail) {
    std::fprintf(stderr, "property violated: %s: %.*s\n", property, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

// <TMPDIR>/brix-fuzz-router-<pid>/root: the folder around the root must stay empty but for it.
struct Sandbox {
    fs::path parent;
    fs::path root;
};

Sandbox& sandbox() {
    static Sandbox box = [] {
        Sandbox made;
        made.parent = fs::temp_directory_path() / ("brix-fuzz-router-" + std::to_string(::getpid()));
        made.root = made.parent / "root";
        fs::remove_all(made.parent);
        fs::create_directories(made.parent);
        std::atexit([] { fs::remove_all(sandbox().parent); });
        return made;
    }();
    return box;
}

std::optional<Method> method_of(std::string_view name) {
    if (name == "GET") return Method::Get;
    if (name == "HEAD") return Method::Head;
    if (name == "POST") return Method::Post;
    if (name == "PUT") return Method::Put;
    if (name == "PATCH") return Method::Patch;
    if (name == "DELETE") return Method::Delete;
    return std::nullopt;
}

enum class Kind { Json, Upload, Download };

struct ParsedRequest {
    Kind kind = Kind::Json;
    brix::api::Request request;
    std::string_view body;
};

std::string_view take_word(std::string_view& text) {
    const auto space = text.find(' ');
    const auto word = text.substr(0, space);
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
    return word;
}

std::optional<ParsedRequest> parse_request(std::string_view record) {
    const auto newline = record.find('\n');
    std::string_view line = record.substr(0, newline);
    ParsedRequest parsed;
    parsed.body = newline == std::string_view::npos ? std::string_view{} : record.substr(newline + 1);
    auto word = take_word(line);
    if (word == "UPLOAD" || word == "DOWNLOAD") {
        parsed.kind = word == "UPLOAD" ? Kind::Upload : Kind::Download;
        word = take_word(line);
    }
    const auto method = method_of(word);
    if (!method) return std::nullopt;
    parsed.request.method = *method;
    const auto question = line.find('?');
    parsed.request.path = std::string(line.substr(0, question));
    if (question != std::string_view::npos) {
        auto query = line.substr(question + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const auto pair = query.substr(0, amp);
            query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
            const auto equals = pair.find('=');
            parsed.request.query.emplace_back(std::string(pair.substr(0, equals)),
                                              equals == std::string_view::npos ? "" : std::string(pair.substr(equals + 1)));
        }
    }
    return parsed;
}

// As brix serve does (server/handler.cpp): blank is no body; malformed JSON never reaches the router.
std::optional<Json> parse_body(std::string_view body) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Json();
    try {
        return brix::api::parse_json_body(body);
    } catch (const Json::exception&) {
        return std::nullopt;
    }
}

// BRIX_FUZZ_VERBOSE=1 prints each request and its answer: for writing seeds and reading crashes.
const bool verbose = std::getenv("BRIX_FUZZ_VERBOSE") != nullptr;

void log(std::string_view what, std::string_view text) {
    if (verbose) std::fprintf(stderr, "%.*s %.*s\n", static_cast<int>(what.size()), what.data(), static_cast<int>(text.size()), text.data());
}

// Serves one request; the answer as serve would write it (a dump that must not throw).
std::string send(brix::engine::LocalApi& api, ParsedRequest& parsed) {
    constexpr auto replace = Json::error_handler_t::replace;
    switch (parsed.kind) {
        case Kind::Json: {
            auto body = parse_body(parsed.body);
            if (!body) return "(body is not JSON: not sent)";
            parsed.request.body = std::move(*body);
            return api.call(parsed.request).dump(-1, ' ', false, replace);
        }
        case Kind::Upload: {
            brix::api::StringSource source(parsed.body);
            return api.upload(parsed.request, source).dump(-1, ' ', false, replace);
        }
        case Kind::Download: {
            brix::api::StringSink sink;
            api.download(parsed.request, sink);
            return std::to_string(sink.bytes().size()) + " bytes";
        }
    }
    return {};
}

void run_requests(std::string_view input) {
    brix::engine::LocalApi api(sandbox().root);
    std::size_t count = 0;
    while (count++ < kMaxRequests) {
        const auto end = input.find(kSeparator);
        const auto record = input.substr(0, end);
        if (auto parsed = parse_request(record)) {
            log(">", record.substr(0, record.find('\n')));
            try {
                log("<", send(api, *parsed));
            } catch (const brix::api::ApiError& error) {
                log("< error", error.to_json().dump(-1, ' ', false, Json::error_handler_t::replace));
                if (error.http_status() < 400 || error.http_status() > 599 || error.error_code().empty())
                    fail("malformed ApiError", error.what());
            } catch (const std::exception& error) {
                fail("an exception other than ApiError left LocalApi", error.what());
            }
        }
        if (end == std::string_view::npos) break;
        input.remove_prefix(end + kSeparator.size());
    }
}

void check_nothing_beside_root() {
    for (const auto& entry : fs::directory_iterator(sandbox().parent))
        if (entry.path() != sandbox().root) fail("written outside the engine root", entry.path().string());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    // A run worker started by jobs/run-now or runs/submit: leave the run unexecuted.
    if (*argc >= 2 && std::string_view((*argv)[1]) == "__execute-run") ::_exit(0);
    // Repos may clone only from local folders: no network, whatever URL the fuzzer makes up.
    ::setenv("GIT_ALLOW_PROTOCOL", "file", 1);
    ::setenv("GIT_TERMINAL_PROMPT", "0", 1);
    // Clusters come up at once, so the answers do not depend on timing.
    ::setenv("BRIX_CLUSTER_STARTUP_MS", "0", 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fs::remove_all(sandbox().root);
    run_requests(std::string_view(reinterpret_cast<const char*>(data), size));
    check_nothing_beside_root();
    return 0;
}
