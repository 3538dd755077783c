#pragma once
// The Files API's multipart upload sessions, as the SDKs drive them for streams of unknown length
// and files of 50 MiB or more (rest-api.md §9): initiate-upload opens a session for one path,
// parts arrive by number (in any order, in parallel, again after a failure), complete-upload
// joins the listed parts into the file, abort-upload drops the session.
//
// A session is a folder <root>/uploads/<token>/ holding its target and one file per received part,
// named <number>.<etag>: a part written again gets a new etag, and complete-upload names the
// versions it wants. Nothing in the database, so parallel parts never wait for each other.

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::files {

class UploadSessions {
public:
    explicit UploadSessions(store::EngineRoot& root) : root_(root) {}

    // A new session for the file at `path` (normalised). `overwrite` false: the file must not exist
    // (checked now and again at completion); unset or true: it is replaced.
    std::string initiate(const std::string& path, std::optional<bool> overwrite);

    // Throws 404 NOT_FOUND unless `token` is a session for `path`.
    void require(const std::string& token, const std::string& path) const;

    // Stores one part (1..10000); returns its etag.
    std::string put_part(const std::string& token, const std::string& path, std::int64_t part_number, api::ByteSource& body);

    // `parts`: [{"part_number", "etag"}] in ascending order, each one received. Writes the file
    // from them, in that order, and ends the session.
    void complete(const std::string& token, const std::string& path, const api::Json& parts);

    // Ends the session and drops its parts. Aborting a session that is gone succeeds.
    void abort(const std::string& token, const std::string& path);

private:
    fs::path session_dir(const std::string& token) const;
    store::EngineRoot& root_;
};

}  // namespace brix::engine::files
