#include "server/presigned.hpp"

#include <httplib.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <ctime>
#include <map>
#include <stdexcept>

namespace brix::server {
namespace {

using api::Json;

constexpr std::int64_t kLongestLifetimeSeconds = 3600;

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// The signed text: method, percent-decoded path, and the decoded query parameters sorted, the
// signature itself left out. Decoded, so that how a client re-encodes the URL does not matter.
std::string canonical(const std::string& method, const std::string& path, const std::multimap<std::string, std::string>& query) {
    std::string text = method + "\n" + path + "\n";
    for (const auto& [key, value] : query)
        if (key != kSignatureParam) text += key + "=" + value + "&";
    return text;
}

// "2025-01-31T12:00:00Z" (fractions and offsets as RFC 3339 allows); nullopt when unreadable.
std::optional<std::int64_t> parse_rfc3339(const std::string& text) {
    std::tm parts{};
    const char* rest = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &parts);
    if (!rest) return std::nullopt;
    if (*rest == '.')
        while (std::isdigit(static_cast<unsigned char>(*++rest))) {
        }
    std::int64_t offset = 0;
    if (*rest == '+' || *rest == '-') {
        int hours = 0, minutes = 0;
        if (std::sscanf(rest + 1, "%2d:%2d", &hours, &minutes) != 2) return std::nullopt;
        offset = (*rest == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
        rest += 6;
    } else if (*rest == 'Z' || *rest == 'z') {
        ++rest;
    } else {
        return std::nullopt;
    }
    if (*rest) return std::nullopt;
    return static_cast<std::int64_t>(::timegm(&parts)) - offset;
}

std::int64_t expiry(const api::Request& request) {
    auto given = request.param("expire_time");
    if (!given && request.body.is_object() && request.body.contains("expire_time") && request.body["expire_time"].is_string())
        given = request.body["expire_time"].get<std::string>();
    auto longest = now_seconds() + kLongestLifetimeSeconds;
    if (!given) return longest;
    auto parsed = parse_rfc3339(*given);
    if (!parsed) throw api::invalid_parameter("expire_time must be an RFC 3339 time such as 2025-01-31T12:00:00Z, not " + *given);
    if (*parsed <= now_seconds()) throw api::invalid_parameter("expire_time " + *given + " is in the past");
    return std::min(*parsed, longest);
}

}  // namespace

UrlSigner::UrlSigner() : secret_(32, '\0') {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(secret_.data()), static_cast<int>(secret_.size())) != 1)
        throw std::runtime_error("cannot make a secret for presigned URLs");
}

std::string UrlSigner::mac(const std::string& text) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 15];
    }
    return hex;
}

std::string UrlSigner::sign(const std::string& method, const std::string& base_url, const std::string& relative_url,
                            std::int64_t expires) const {
    auto question = relative_url.find('?');
    auto path = httplib::detail::decode_url(relative_url.substr(0, question), false);
    httplib::Params query;
    if (question != std::string::npos) httplib::detail::parse_query_text(relative_url.substr(question + 1), query);
    query.emplace(kExpiresParam, std::to_string(expires));
    auto signature = mac(canonical(method, path, query));
    return base_url + relative_url + (question == std::string::npos ? "?" : "&") + kExpiresParam + "=" +
           std::to_string(expires) + "&" + kSignatureParam + "=" + signature;
}

UrlSigner::Verdict UrlSigner::check(const std::string& method, const httplib::Request& req) const {
    if (!req.has_param(kSignatureParam)) return Verdict::Unsigned;
    if (req.get_param_value_count(kSignatureParam) != 1 || req.get_param_value_count(kExpiresParam) != 1)
        return Verdict::Invalid;
    auto given = req.get_param_value(kSignatureParam);
    auto expected = mac(canonical(method, req.path, req.params));
    // Compared in constant time: the answer's timing tells nothing about the secret.
    unsigned char difference = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < std::min(given.size(), expected.size()); ++i)
        difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
    if (difference != 0) return Verdict::Invalid;
    std::int64_t expires = 0;
    try {
        expires = std::stoll(req.get_param_value(kExpiresParam));
    } catch (const std::exception&) {
        return Verdict::Invalid;
    }
    return now_seconds() < expires ? Verdict::Valid : Verdict::Expired;
}

void UrlSigner::sign_answer(const api::Request& request, Json& answer, const std::string& base_url) const {
    if (request.method != api::Method::Post) return;
    if (request.path == "/api/2.0/fs/create-upload-part-urls") {
        auto expires = expiry(request);
        for (auto& part : answer["upload_part_urls"]) part["url"] = sign("PUT", base_url, part["url"].get<std::string>(), expires);
    } else if (request.path == "/api/2.0/fs/create-abort-upload-url") {
        auto& url = answer["abort_upload_url"]["url"];
        url = sign("DELETE", base_url, url.get<std::string>(), expiry(request));
    } else if (request.path == "/api/2.0/fs/create-download-url") {
        answer["url"] = sign("GET", base_url, answer["url"].get<std::string>(), expiry(request));
    }
}

void send_signature_error(httplib::Response& res, UrlSigner::Verdict verdict) {
    bool expired = verdict == UrlSigner::Verdict::Expired;
    res.status = 403;
    res.set_content(std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>") +
                        (expired ? "Request has expired" : "The request signature does not match") + "</Message></Error>",
                    "application/xml");
}

}  // namespace brix::server
