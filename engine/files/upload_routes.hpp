#pragma once
// The Files API's multipart upload and presigned download protocol of the SDKs' FilesExt
// (rest-api.md §9): POST /api/2.0/fs/files{path}?action=initiate-upload | complete-upload |
// abort-upload, POST /api/2.0/fs/create-upload-part-urls, create-abort-upload-url and
// create-download-url. The URLs the engine hands out are relative (path and query of a Files API
// request); `brix serve` makes them absolute, signed and short-lived (server/presigned.hpp), and
// answers them without a bearer token.

#include <string>

#include "api/api.hpp"
#include "engine/catalog/volume_paths.hpp"
#include "engine/files/upload_sessions.hpp"
#include "engine/router.hpp"

namespace brix::engine::files {

// /Volumes/<catalog>/<schema>/<volume>/..., normalised, in a volume that exists (and allows ACCESS);
// INVALID_PARAMETER_VALUE otherwise.
std::string volume_path(store::EngineRoot& root, const std::string& path, catalog::VolumeAccess access);

void add_upload_routes(Router& router, store::EngineRoot& root, std::shared_ptr<UploadSessions> sessions);

// A part of a multipart upload: PUT /api/2.0/fs/files{path}?upload_type=multipart&session_token=&part_number=.
bool is_part_upload(const api::Request& request);
// Stores it; the answer {"etag": ...} is what the server sends as the part's ETag header.
api::Json upload_part(UploadSessions& sessions, const api::Request& request, const std::string& path, api::ByteSource& body);

// DELETE (or POST) /api/2.0/fs/files{path}?action=abort-upload&session_token=.
bool is_abort(const api::Request& request);

}  // namespace brix::engine::files
