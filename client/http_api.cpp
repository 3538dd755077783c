#include "client/http_api.hpp"

#include <sys/utsname.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <optional>
#include <random>
#include <thread>

#include "api/base64.hpp"
#include "client/curl_library.hpp"
#include "client/dbfs_reader.hpp"
#include "client/multipart_form.hpp"
#include "client/resend_policy.hpp"
#include "client/user_agent.hpp"

#ifndef BRIX_VERSION
#define BRIX_VERSION "0.0.0"
#endif

namespace brix::client {
namespace {

using api::Json;
using api::Method;

constexpr std::size_t kBlockBytes = 1 << 20;
// Databricks takes a dbfs/put file part of up to 2 GB; larger files go in blocks.
constexpr std::uint64_t kMaxFormFileBytes = 2'000'000'000;
constexpr const char* kOctetStream = "application/octet-stream";
constexpr const char* kJson = "application/json";

// A request that failed without an HTTP answer, and whether it may have reached the server.
struct TransportError : api::ApiError {
    TransportError(api::ApiError error, Delivery how) : api::ApiError(std::move(error)), delivery(how) {}
    Delivery delivery;
};

// Failures before a connection exists: the request provably never left.
bool before_connecting(CURLcode code) {
    return code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY || code == CURLE_COULDNT_CONNECT ||
           code == CURLE_SSL_CONNECT_ERROR;
}

struct Response {
    long status = 0;
    std::string body;
    std::string retry_after;
    std::string reason;  // X-Databricks-Reason-Phrase
    Json headers = Json::object();
};

class HttpApi : public api::Api {
public:
    explicit HttpApi(HttpConfig config) : config_(std::move(config)) {
        curl_ = lib_.easy_init();
        if (!curl_) throw std::runtime_error("cannot initialise libcurl");
    }
    ~HttpApi() override { lib_.easy_cleanup(curl_); }

    using api::Api::call;

    Json call(const api::Request& request) override {
        auto response = with_retries(request, [&] {
            std::string body = request.body.is_null() ? "" : request.body.dump();
            return perform(request, body.empty() ? nullptr : &body, nullptr, nullptr);
        });
        if (request.method == Method::Head) return response.headers;
        if (response.body.empty()) return Json::object();
        auto json = Json::parse(response.body, nullptr, false);
        if (json.is_discarded())
            throw api::ApiError(static_cast<int>(response.status), "UNPARSEABLE_HTTP_ERROR",
                                "the server at " + config_.host + " did not answer with JSON: " + response.body.substr(0, 200));
        return json;
    }

    // DBFS streams only as a multipart dbfs/put of a file of known size; anything else (stdin,
    // over 2 GB) goes in 1 MB base64 blocks (create / add-block / close).
    Json upload(const api::Request& request, api::ByteSource& body) override {
        if (request.path != "/api/2.0/dbfs/put") return json_answer(perform(request, nullptr, &body, nullptr));
        auto path = request.param("path").value_or("");
        auto overwrite = request.param("overwrite").value_or("false") == "true";
        if (auto size = body.size(); size && *size <= kMaxFormFileBytes) {
            MultipartForm form({{"path", path}, {"overwrite", overwrite ? "true" : "false"}}, "contents", body, *size);
            // The fields travel in the form, and only there.
            api::Request form_post{request.method, request.path, {}, nullptr};
            try {
                return json_answer(perform(form_post, nullptr, &form, nullptr, form.content_type()));
            } catch (const api::ApiError&) {
                if (form.file_ended_early()) throw api::ApiError(0, "IO_ERROR", "the file became shorter while it was uploaded");
                throw;
            }
        }
        auto handle = call(Method::Post, "/api/2.0/dbfs/create", {}, {{"path", path}, {"overwrite", overwrite}})["handle"];
        std::string block(kBlockBytes, '\0');
        for (;;) {
            std::size_t filled = 0;
            while (filled < block.size()) {
                auto n = body.read(block.data() + filled, block.size() - filled);
                if (n == 0) break;
                filled += n;
            }
            if (filled == 0) break;
            // Written by hand: base64 needs no escaping, and dumping a 1.4 MB string through the
            // JSON library costs more than sending it.
            auto block_body = "{\"handle\":" + handle.dump() + ",\"data\":\"" + api::base64_encode(std::string_view(block.data(), filled)) + "\"}";
            // A block sent twice is appended twice: never resent once it may have arrived.
            api::Request add_block{Method::Post, "/api/2.0/dbfs/add-block", {}, Json{{"handle", handle}}};
            with_retries(add_block, [&] { return perform(add_block, &block_body, nullptr, nullptr); });
            if (filled < block.size()) break;
        }
        call(Method::Post, "/api/2.0/dbfs/close", {}, {{"handle", handle}});
        return Json::object();
    }

    // DBFS reads come in windows of at most 1 MB, several at once (client/dbfs_reader.hpp); other
    // downloads stream as they arrive, asking for what the API serves: the Files API defines
    // application/octet-stream, workspace export (direct_download) any type.
    void download(const api::Request& request, api::ByteSink& sink) override {
        if (request.path != "/api/2.0/dbfs/read") {
            bool files_api = request.path.rfind("/api/2.0/fs/files/", 0) == 0;
            perform(request, nullptr, nullptr, &sink, kOctetStream, files_api ? kOctetStream : "*/*");
            return;
        }
        auto connect = [this] {
            auto copy = std::make_shared<HttpApi>(config_);
            copy->oauth_token_ = oauth_token_;
            copy->oauth_expiry_ = oauth_expiry_;
            return copy->raw_get(copy);
        };
        read_dbfs_file({*this, raw_get(nullptr), connect}, request.param("path").value_or(""),
                       std::stoll(request.param("offset").value_or("0")), sink);
    }

private:
    // GETs whose answer's body is kept as it came; `owner` keeps a copy of this client alive.
    RawGet raw_get(std::shared_ptr<HttpApi> owner) {
        return [this, owner](const api::Request& request, std::string& body) {
            struct Append : api::ByteSink {
                std::string& out;
                explicit Append(std::string& into) : out(into) {}
                void write(const char* data, std::size_t size) override { out.append(data, size); }
            } sink(body);
            with_retries(request, [&] {
                body.clear();
                return perform(request, nullptr, nullptr, &sink);
            });
        };
    }

    std::string url_for(const api::Request& request) const {
        std::string url = config_.host;
        std::size_t start = 0;
        while (start < request.path.size()) {
            auto slash = request.path.find('/', start);
            if (slash == std::string::npos) slash = request.path.size();
            if (slash > start) {
                char* escaped = lib_.easy_escape(curl_, request.path.data() + start, static_cast<int>(slash - start));
                url += escaped;
                lib_.free(escaped);
            }
            if (slash < request.path.size()) url += '/';
            start = slash + 1;
        }
        if (is_form_post(request)) return url;
        return url + encoded_query(request, '?');
    }

    // OAuth token requests carry their fields as an x-www-form-urlencoded body.
    static bool is_form_post(const api::Request& request) { return request.path == "/oidc/v1/token"; }

    std::string encoded_query(const api::Request& request, char separator) const {
        std::string url;
        for (const auto& [key, value] : request.query) {
            char* k = lib_.easy_escape(curl_, key.c_str(), static_cast<int>(key.size()));
            char* v = lib_.easy_escape(curl_, value.c_str(), static_cast<int>(value.size()));
            url += separator;
            url += k;
            url += '=';
            url += v;
            lib_.free(k);
            lib_.free(v);
            separator = '&';
        }
        return url;
    }

    static Json json_answer(const Response& response) {
        return response.body.empty() ? Json::object() : Json::parse(response.body, nullptr, false);
    }

    Response perform(const api::Request& request, const std::string* json_body, api::ByteSource* stream_body,
                     api::ByteSink* sink, const std::string& stream_type = kOctetStream, const std::string& accept = kJson) {
        Response response;
        lib_.easy_reset(curl_);
        auto url = url_for(request);
        lib_.easy_setopt(curl_, CURLOPT_URL, url.c_str());
        // Send the path as given: the server, not libcurl, decides what "../" means (and refuses it).
        lib_.easy_setopt(curl_, CURLOPT_PATH_AS_IS, 1L);
        lib_.easy_setopt(curl_, CURLOPT_USERAGENT, config_.user_agent.c_str());
        lib_.easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, config_.connect_timeout_seconds);
        lib_.easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        // Inactivity, not total time: a large transfer may take long as long as bytes move.
        lib_.easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);
        lib_.easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, config_.request_timeout_seconds);
        // Downloads arrive in reads of this size (libcurl's default, 16 KB, costs a system call and
        // a callback per 16 KB of a 1.4 MB dbfs/read answer).
        lib_.easy_setopt(curl_, CURLOPT_BUFFERSIZE, 128L * 1024);

        struct curl_slist* headers = nullptr;
        auto accept_header = "Accept: " + accept;
        headers = lib_.slist_append(headers, accept_header.c_str());
        std::string auth;
        auto bearer = bearer_token();
        if (!bearer.empty()) {
            auth = "Authorization: Bearer " + bearer;
            headers = lib_.slist_append(headers, auth.c_str());
        } else if (!config_.username.empty()) {
            auto credentials = config_.username + ":" + config_.password;
            lib_.easy_setopt(curl_, CURLOPT_USERPWD, credentials.c_str());
        }
        auto method = std::string(api::method_name(request.method));
        if (request.method == Method::Head) lib_.easy_setopt(curl_, CURLOPT_NOBODY, 1L);
        else if (request.method != Method::Get) lib_.easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
        // A local file or stdout that fails mid-transfer is reported as itself, after libcurl
        // has unwound: exceptions never cross its C frames.
        struct Sender {
            api::ByteSource* source = nullptr;
            std::exception_ptr failure;
        } sender;
        std::string form;
        if (is_form_post(request)) {
            form = encoded_query(request, '&').substr(1);
            headers = lib_.slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
            lib_.easy_setopt(curl_, CURLOPT_POSTFIELDS, form.c_str());
            lib_.easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form.size()));
        } else if (json_body) {
            headers = lib_.slist_append(headers, "Content-Type: application/json");
            lib_.easy_setopt(curl_, CURLOPT_POSTFIELDS, json_body->data());
            lib_.easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(json_body->size()));
        } else if (stream_body) {
            sender.source = stream_body;
            auto content_type = "Content-Type: " + stream_type;
            headers = lib_.slist_append(headers, content_type.c_str());
            headers = lib_.slist_append(headers, "Expect:");
            lib_.easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
            lib_.easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
            lib_.easy_setopt(curl_, CURLOPT_READDATA, &sender);
            lib_.easy_setopt(curl_, CURLOPT_READFUNCTION, +[](char* buffer, size_t size, size_t count, void* user) -> size_t {
                auto* s = static_cast<Sender*>(user);
                try {
                    return s->source->read(buffer, size * count);
                } catch (...) {
                    s->failure = std::current_exception();
                    return CURL_READFUNC_ABORT;
                }
            });
            if (auto size = stream_body->size())
                lib_.easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(*size));
        }
        lib_.easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);

        struct Receiver {
            Response* response;
            api::ByteSink* sink;
            HttpApi* self;
            std::exception_ptr failure;
        } receiver{&response, sink, this, nullptr};
        lib_.easy_setopt(curl_, CURLOPT_WRITEDATA, &receiver);
        lib_.easy_setopt(curl_, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* user) -> size_t {
            auto* r = static_cast<Receiver*>(user);
            long status = 0;
            r->self->lib_.easy_getinfo(r->self->curl_, CURLINFO_RESPONSE_CODE, &status);
            if (!r->sink || status < 200 || status >= 300) {
                r->response->body.append(data, size * count);
                return size * count;
            }
            try {
                r->sink->write(data, size * count);
                return size * count;
            } catch (...) {
                r->failure = std::current_exception();
                return 0;
            }
        });
        lib_.easy_setopt(curl_, CURLOPT_HEADERDATA, &response);
        lib_.easy_setopt(curl_, CURLOPT_HEADERFUNCTION, +[](char* data, size_t size, size_t count, void* user) -> size_t {
            auto* r = static_cast<Response*>(user);
            std::string line(data, size * count);
            auto colon = line.find(':');
            if (colon != std::string::npos) {
                auto name = line.substr(0, colon);
                auto value = line.substr(colon + 1);
                while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
                while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
                std::string lower = name;
                for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (lower == "retry-after") r->retry_after = value;
                if (lower == "x-databricks-reason-phrase") r->reason = value;
                if (lower == "content-length") r->headers["Content-Length"] = value;
                if (lower == "content-type") r->headers["Content-Type"] = value;
                if (lower == "last-modified") r->headers["Last-Modified"] = value;
            }
            return size * count;
        });

        auto code = lib_.easy_perform(curl_);
        lib_.slist_free_all(headers);
        if (receiver.failure) std::rethrow_exception(receiver.failure);
        if (sender.failure) std::rethrow_exception(sender.failure);
        if (code != CURLE_OK) {
            long sent = 0;
            lib_.easy_getinfo(curl_, CURLINFO_REQUEST_SIZE, &sent);
            api::ApiError error(0, "CONNECTION_ERROR", "cannot reach " + config_.host + ": " + lib_.easy_strerror(code));
            throw TransportError(error, before_connecting(code) || sent == 0 ? Delivery::NotSent : Delivery::MaybeProcessed);
        }
        lib_.easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
        if (response.status >= 400) {
            auto error = parse_error_response(static_cast<int>(response.status), response.body, response.reason);
            if (response.status == 429 || response.status == 503) throw RetryableError{error, response.retry_after};
            throw error;
        }
        return response;
    }

    // PAT, or an OAuth M2M access token fetched from the workspace's /oidc/v1/token and
    // refreshed a minute before it expires.
    std::string bearer_token() {
        if (!config_.token.empty() || config_.client_id.empty()) return config_.token;
        auto now = std::chrono::steady_clock::now();
        if (!oauth_token_.empty() && now < oauth_expiry_) return oauth_token_;
        HttpConfig basic = config_;
        basic.token.clear();
        basic.client_id.clear();
        basic.username = config_.client_id;
        basic.password = config_.client_secret;
        HttpApi token_client(basic);
        api::Request request{Method::Post, "/oidc/v1/token", {{"grant_type", "client_credentials"}, {"scope", "all-apis"}}, nullptr};
        auto answer = token_client.call(request);
        oauth_token_ = answer.value("access_token", "");
        if (oauth_token_.empty()) throw api::ApiError(401, "UNAUTHENTICATED", "the OAuth token endpoint returned no access_token");
        auto lifetime = answer.value("expires_in", 3600);
        oauth_expiry_ = now + std::chrono::seconds(std::max(lifetime - 60, 1));
        return oauth_token_;
    }

    struct RetryableError {
        api::ApiError error;
        std::string retry_after;
    };

    // 429 and 503 (honouring Retry-After) and connection failures are retried with exponential
    // backoff and jitter until the budget is spent; the last error is then reported. A request
    // whose answer was lost after it was sent is resent only when that is harmless (resend_policy.hpp).
    template <typename Attempt>
    Response with_retries(const api::Request& request, Attempt&& attempt) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config_.retry_budget_seconds);
        std::mt19937 random(std::random_device{}());
        double backoff = 0.5;
        int connection_failures = 0;
        for (;;) {
            std::chrono::duration<double> wait{0};
            try {
                return attempt();
            } catch (const RetryableError& retryable) {
                wait = std::chrono::duration<double>(retryable.retry_after.empty() ? backoff : std::atof(retryable.retry_after.c_str()));
                if (std::chrono::steady_clock::now() + wait > deadline) throw retryable.error;
            } catch (const TransportError& error) {
                if (!may_resend(request, error.delivery)) throw api::ApiError(0, "CONNECTION_LOST", lost_answer_message(request));
                if (++connection_failures >= config_.max_connection_attempts) throw api::ApiError(error);
                wait = std::chrono::duration<double>(backoff);
                if (std::chrono::steady_clock::now() + wait > deadline) throw api::ApiError(error);
            }
            wait += std::chrono::duration<double>(std::uniform_real_distribution<double>(0, backoff / 2)(random));
            std::this_thread::sleep_for(wait);
            backoff = std::min(backoff * 2, 10.0);
        }
    }

    HttpConfig config_;
    std::string oauth_token_;
    std::chrono::steady_clock::time_point oauth_expiry_{};
    const CurlLibrary& lib_ = curl_library();
    CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<api::Api> make_http_api(const HttpConfig& config) {
    auto complete = config;
    if (complete.user_agent.empty()) {
        struct utsname system {};
        std::string os = uname(&system) == 0 ? system.sysname : "unknown";
        complete.user_agent = user_agent(BRIX_VERSION, os, complete, [](const std::string& name) -> std::optional<std::string> {
            const char* value = std::getenv(name.c_str());
            return value ? std::optional<std::string>(value) : std::nullopt;
        });
    }
    return std::make_unique<HttpApi>(std::move(complete));
}

}  // namespace brix::client
