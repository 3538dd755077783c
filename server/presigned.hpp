#pragma once
// Presigned URLs, as cloud storage hands them out, for the Files API's multipart upload and
// download protocol (engine/files/upload_routes.hpp). The engine answers create-upload-part-urls,
// create-abort-upload-url and create-download-url with relative Files API URLs; the server makes
// each absolute (pointing back at itself), short-lived and signed: an HMAC-SHA256, with a secret
// made at start-up and never written anywhere, of the method, the path and every query parameter.
// A request that carries a valid, unexpired signature needs no bearer token, as a presigned URL
// needs none; it authorizes that one request and nothing else.

#include <cstdint>
#include <string>

#include "api/api.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace brix::server {

// The query parameters a signed URL carries.
inline constexpr const char* kExpiresParam = "X-Brix-Expires";
inline constexpr const char* kSignatureParam = "X-Brix-Signature";

class UrlSigner {
public:
    UrlSigner();  // a new random secret

    enum class Verdict { Unsigned, Valid, Expired, Invalid };
    // Whether `req`, which arrived as `method`, is a presigned request and a good one.
    Verdict check(const std::string& method, const httplib::Request& req) const;

    // Makes the URLs of a create-*-url answer absolute and signed (no-op for other requests):
    // `base_url` is how the client reached this server; expire_time (RFC 3339) in the request
    // sets their end, capped at an hour.
    void sign_answer(const api::Request& request, api::Json& answer, const std::string& base_url) const;

private:
    std::string sign(const std::string& method, const std::string& base_url, const std::string& relative_url,
                     std::int64_t expires) const;
    std::string mac(const std::string& canonical) const;
    std::string secret_;
};

// What cloud storage answers to an expired or forged presigned URL: 403 with an S3-style XML
// <Error>, which the SDKs recognise ("Request has expired" makes them ask for fresh URLs).
void send_signature_error(httplib::Response& res, UrlSigner::Verdict verdict);

}  // namespace brix::server
