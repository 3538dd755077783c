#include "server/handler.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <optional>

#include "api/base64.hpp"
#include "api/json_body.hpp"
#include "api/streams.hpp"
#include "engine/local_api.hpp"
#include "server/connection.hpp"
#include "server/http_server.hpp"
#include "server/presigned.hpp"
#include "server/recorder.hpp"

namespace brix::server {
namespace {

using api::Json;
using api::Method;

// Each server thread has its own engine handle: SQLite connections are not shared across threads.
engine::LocalApi& thread_api(const std::filesystem::path& root) {
    thread_local std::unique_ptr<engine::LocalApi> api;
    if (!api) api = std::make_unique<engine::LocalApi>(root, engine::jobs::RunExecution::InProcess);
    return *api;
}

std::optional<Method> parse_method(const std::string& name) {
    static const std::map<std::string, Method> methods = {{"GET", Method::Get},   {"HEAD", Method::Head},
                                                          {"POST", Method::Post}, {"PUT", Method::Put},
                                                          {"PATCH", Method::Patch}, {"DELETE", Method::Delete}};
    auto it = methods.find(name);
    if (it == methods.end()) return std::nullopt;
    return it->second;
}

void send_json(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    // Assigned, not passed to set_content, which copies: a listing's answer can be megabytes.
    res.body = api::dump_json_body(body);
    res.set_header("Content-Type", "application/json");
}

// The message also travels in X-Databricks-Reason-Phrase, as Databricks sends it: answers to HEAD
// have no body, and clients read the header then.
void send_error(httplib::Response& res, const api::ApiError& error) {
    auto phrase = error.message();
    for (auto& c : phrase)
        if (c == '\r' || c == '\n') c = ' ';
    res.set_header("X-Databricks-Reason-Phrase", phrase);
    send_json(res, error.http_status() > 0 ? error.http_status() : 500, error.to_json());
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

bool is_upload(Method method, const std::string& path) {
    return (method == Method::Put && starts_with(path, "/api/2.0/fs/files/")) ||
           (method == Method::Post && starts_with(path, "/api/2.0/workspace-files/import-file/"));
}

bool is_download(const api::Request& request) {
    if (request.method != Method::Get) return false;
    if (starts_with(request.path, "/api/2.0/fs/files/")) return true;
    return request.path == "/api/2.0/workspace/export" && request.param("direct_download").value_or("false") == "true";
}

// An unnamed file in the engine's tmp/ holds a streamed body; the kernel frees it however we end.
int unnamed_temp_file(const std::filesystem::path& root) {
    int fd = ::open((root / "tmp").c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) throw api::ApiError(500, "IO_ERROR", "cannot create a temporary file");
    return fd;
}

void authenticate(const httplib::Request& req, const std::filesystem::path& root) {
    auto header = req.get_header_value("Authorization");
    if (header.empty())
        throw api::ApiError(401, "UNAUTHENTICATED", "No access token: send 'Authorization: Bearer <token>'.");
    if (!starts_with(header, "Bearer ") || !thread_api(root).accepts_token(header.substr(7)))
        throw api::ApiError(403, "PERMISSION_DENIED", "Invalid access token.");
}

std::string base_url(const httplib::Request& req) { return "http://" + req.get_header_value("Host"); }

std::string percent_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Fields of an x-www-form-urlencoded body, plus the query string.
std::map<std::string, std::string> form_fields(const httplib::Request& req, const httplib::ContentReader* reader) {
    std::map<std::string, std::string> fields;
    for (const auto& [key, value] : req.params) fields[key] = value;
    std::string body = req.body;
    if (reader) (*reader)([&](const char* data, std::size_t length) {
            body.append(data, length);
            return body.size() < 65536;
        });
    std::size_t start = 0;
    while (start < body.size()) {
        auto end = body.find('&', start);
        if (end == std::string::npos) end = body.size();
        auto pair = body.substr(start, end - start);
        auto equals = pair.find('=');
        if (equals != std::string::npos) fields[percent_decode(pair.substr(0, equals))] = percent_decode(pair.substr(equals + 1));
        start = end + 1;
    }
    return fields;
}

// Host metadata and the OAuth machine-to-machine flow: a client id and secret that are a token's
// id and value get a short-lived access token.
bool answer_discovery(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
                      const std::filesystem::path& root) {
    if (req.path == "/.well-known/databricks-config") {
        send_json(res, 200, Json{{"oidc_endpoint", base_url(req) + "/oidc"}, {"workspace_id", "1"}});
        return true;
    }
    if (req.path == "/oidc/.well-known/oauth-authorization-server") {
        send_json(res, 200, Json{{"issuer", base_url(req) + "/oidc"},
                                 {"authorization_endpoint", base_url(req) + "/oidc/v1/authorize"},
                                 {"token_endpoint", base_url(req) + "/oidc/v1/token"}});
        return true;
    }
    if (req.path != "/oidc/v1/token") return false;
    auto fields = form_fields(req, reader);
    auto secret = fields["client_secret"];
    if (auto header = req.get_header_value("Authorization"); secret.empty() && starts_with(header, "Basic ")) {
        auto decoded = api::base64_decode(header.substr(6)).value_or("");
        secret = decoded.substr(decoded.find(':') + 1);
    }
    if (fields["grant_type"] != "client_credentials" || !thread_api(root).accepts_token(secret)) {
        send_json(res, 401, Json{{"error", "invalid_client"}, {"error_description", "Unknown client credentials"}});
        return true;
    }
    auto token = thread_api(root).create_token("OAuth access token", 3600);
    send_json(res, 200, Json{{"access_token", token["token_value"]}, {"token_type", "Bearer"}, {"expires_in", 3600}, {"scope", "all-apis"}});
    return true;
}

api::Request build_request(const httplib::Request& req, Method method) {
    api::Request request;
    request.method = method;
    request.path = req.path;
    for (const auto& [key, value] : req.params)
        if (key != kExpiresParam && key != kSignatureParam) request.query.emplace_back(key, value);
    return request;
}

Json parse_body(const std::string& body) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
    try {
        return api::parse_json_body(body);
    } catch (const Json::exception&) {
        throw api::ApiError(400, "MALFORMED_REQUEST", "Could not parse the request body as JSON");
    }
}

// A body that ends before its Content-Length (or last chunk), as when the client is killed
// mid-upload, is refused: half a file must never be stored as the whole.
void require_complete(bool complete) {
    if (!complete) throw api::ApiError(400, "MALFORMED_REQUEST", "The request body ended before it was complete");
}

// A multipart form's text fields, and the file part of a dbfs/put (`contents` or `file`), which is
// spooled to an unnamed file: it may be up to 2 GB.
struct ReceivedForm {
    std::map<std::string, std::string> fields;
    int file_fd = -1;
    ReceivedForm() = default;
    ReceivedForm(const ReceivedForm&) = delete;
    ~ReceivedForm() {
        if (file_fd >= 0) ::close(file_fd);
    }
};

void read_multipart(const httplib::ContentReader& reader, const api::Request& request, const ServeOptions& options,
                    ReceivedForm& form) {
    const bool dbfs_put = request.path == "/api/2.0/dbfs/put";
    std::string current;
    bool to_file = false;
    std::size_t text_bytes = 0;
    std::optional<api::FdSink> spool;
    require_complete(reader(
        [&](const httplib::MultipartFormData& part) {
            current = part.name;
            to_file = dbfs_put && (current == "contents" || current == "file");
            if (to_file) {
                if (form.file_fd >= 0) ::close(form.file_fd);
                form.file_fd = unnamed_temp_file(options.root);
                spool.emplace(form.file_fd);
            } else {
                form.fields[current].clear();
            }
            return true;
        },
        [&](const char* data, std::size_t length) {
            if (to_file) {
                spool->write(data, length);
                return true;
            }
            if ((text_bytes += length) > options.max_json_bytes)
                throw api::ApiError(413, "REQUEST_LIMIT_EXCEEDED",
                                    "The form fields are larger than " + std::to_string(options.max_json_bytes) + " bytes");
            form.fields[current].append(data, length);
            return true;
        }));
}

// Legacy clients upload with multipart forms: dbfs/put (file part `contents` or `file`; brix's
// own `fs cp` too) and workspace/import (file part `content`).
Json call_multipart(engine::LocalApi& api, api::Request request, ReceivedForm& form) {
    auto field = [&](const char* name) -> std::optional<std::string> {
        auto it = form.fields.find(name);
        if (it == form.fields.end()) return std::nullopt;
        return it->second;
    };
    if (request.path == "/api/2.0/dbfs/put") {
        request.query = {{"path", field("path").value_or("")}, {"overwrite", field("overwrite").value_or("false")}};
        if (form.file_fd < 0) {  // a form without a file part writes an empty file
            api::StringSource empty("");
            return api.upload(request, empty);
        }
        ::lseek(form.file_fd, 0, SEEK_SET);
        api::FdSource source(form.file_fd);
        return api.upload(request, source);
    }
    Json body = Json::object();
    for (const auto& [name, value] : form.fields) body[name] = value;
    if (request.path == "/api/2.0/workspace/import" && body.contains("content"))
        body["content"] = api::base64_encode(body["content"].get<std::string>());
    if (body.contains("overwrite")) body["overwrite"] = body["overwrite"] == "true" || body["overwrite"] == "True";
    request.body = std::move(body);
    return api.call(request);
}

// A Files API download also carries the file's Last-Modified, which the SDKs send back as
// If-Unmodified-Since when they resume a broken download.
// A request with a Range header gets 206 and those bytes (cpp-httplib cuts them from the content).
void send_download(engine::LocalApi& api, const api::Request& request, const httplib::Request& req, httplib::Response& res,
                   const std::filesystem::path& root) {
    if (starts_with(request.path, "/api/2.0/fs/files/")) {
        auto headers = api.call({Method::Head, request.path, {}, nullptr});
        if (auto modified = headers.find("Last-Modified"); modified != headers.end() && modified->is_string())
            res.set_header("Last-Modified", modified->get<std::string>());
    }
    int fd = unnamed_temp_file(root);
    try {
        api::FdSink sink(fd);
        api.download(request, sink);
    } catch (...) {
        ::close(fd);
        throw;
    }
    struct stat info {};
    ::fstat(fd, &info);
    auto size = static_cast<std::size_t>(info.st_size);
    res.status = req.ranges.empty() ? 200 : 206;
    res.set_content_provider(
        size, "application/octet-stream",
        [fd](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            std::vector<char> buffer(std::min<std::size_t>(length, 1 << 20));
            auto n = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(offset));
            if (n <= 0) return false;
            sink.write(buffer.data(), static_cast<std::size_t>(n));
            return true;
        },
        [fd](bool) { ::close(fd); });
}

// A request without Content-Length or chunked encoding has no body; reading one would wait forever.
bool has_body(const httplib::Request& req) {
    return req.get_header_value("Content-Length") != "" && req.get_header_value("Content-Length") != "0"
               ? true
               : req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
}

// Answers one request; `body` gets the request body when it was JSON, for the recorder.
void answer(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
            const ServeOptions& options, Json& recorded_body) {
    if (reader && !has_body(req)) reader = nullptr;
    try {
        if (answer_discovery(req, res, reader, options.root)) return;
        auto marked = req.get_header_value(kOriginalMethodHeader);  // a GET with a body; see http_connection.hpp
        const auto& method_name = marked.empty() ? req.method : marked;
        // A presigned URL (server/presigned.hpp) stands in for the bearer token.
        auto signature = options.signer->check(method_name, req);
        if (signature == UrlSigner::Verdict::Expired || signature == UrlSigner::Verdict::Invalid)
            return send_signature_error(res, signature);
        if (signature == UrlSigner::Verdict::Unsigned) authenticate(req, options.root);
        auto method = parse_method(method_name);
        if (!method) throw api::ApiError(405, "METHOD_NOT_ALLOWED", "Method " + req.method + " is not supported");
        auto request = build_request(req, *method);
        auto& api = thread_api(options.root);

        if (is_upload(*method, req.path)) {
            int fd = unnamed_temp_file(options.root);
            api::FdSource source(fd, true);
            api::FdSink spool(fd);
            if (reader)
                require_complete((*reader)([&](const char* data, std::size_t length) {
                    spool.write(data, length);
                    return true;
                }));
            ::lseek(fd, 0, SEEK_SET);
            auto answer = api.upload(request, source);
            if (answer.contains("etag")) {  // a part of a multipart upload: answered as cloud storage does
                res.status = 200;
                res.set_header("ETag", answer["etag"].get<std::string>());
                return;
            }
            return send_json(res, 200, answer);
        }
        if (reader && req.is_multipart_form_data()) {
            ReceivedForm form;
            read_multipart(*reader, request, options, form);
            return send_json(res, 200, call_multipart(api, request, form));
        }

        std::string body = req.body;
        if (reader) {
            require_complete((*reader)([&](const char* data, std::size_t length) {
                if (body.size() + length > options.max_json_bytes)
                    throw api::ApiError(413, "REQUEST_LIMIT_EXCEEDED",
                                        "The request body is larger than " + std::to_string(options.max_json_bytes) + " bytes");
                body.append(data, length);
                return true;
            }));
        }
        if (body.size() > options.max_json_bytes)
            throw api::ApiError(413, "REQUEST_LIMIT_EXCEEDED", "The request body is too large");
        request.body = parse_body(body);
        recorded_body = request.body;
        if (is_download(request)) return send_download(api, request, req, res, options.root);
        auto answer = api.call(request);
        options.signer->sign_answer(request, answer, base_url(req));
        if (*method == Method::Head) {
            res.status = 200;
            for (const auto& [name, value] : answer.items())
                if (value.is_string()) res.set_header(name.c_str(), value.get<std::string>());
            return;
        }
        send_json(res, 200, answer);
    } catch (const api::ApiError& error) {
        send_error(res, error);
    } catch (const std::exception& error) {
        send_error(res, api::ApiError(500, "INTERNAL_ERROR", error.what()));
    }
}

void handle(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader, const ServeOptions& options) {
    Json recorded_body = nullptr;
    answer(req, res, reader, options, recorded_body);
    if (!options.recorder) return;
    auto marked = req.get_header_value(kOriginalMethodHeader);
    options.recorder->record(marked.empty() ? req.method : marked, req, recorded_body, res);
}

}  // namespace

void install_handlers(httplib::Server& server, const ServeOptions& options) {
    const std::string any = "[\\s\\S]*";  // any path, control characters included: the engine refuses those itself
    server.Get(any, [&options](const httplib::Request& req, httplib::Response& res) { handle(req, res, nullptr, options); });
    auto with_reader = [&options](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        handle(req, res, &reader, options);
    };
    server.Post(any, with_reader);
    server.Put(any, with_reader);
    server.Patch(any, with_reader);
    server.Delete(any, with_reader);
}

}  // namespace brix::server
