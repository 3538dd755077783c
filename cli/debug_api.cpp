#include "cli/debug_api.hpp"

#include <chrono>
#include <cstdio>
#include <set>
#include <string>

namespace brix::cli {
namespace {

constexpr std::size_t kMaxLoggedString = 96;
constexpr std::size_t kMaxLoggedBody = 512;

bool is_secret_field(const std::string& key) {
    static const std::set<std::string> secrets = {"token", "token_value", "access_token", "client_secret", "password",
                                                  "string_value", "bytes_value", "value", "Authorization"};
    return secrets.count(key) > 0;
}

std::string describe(const api::Request& request) {
    std::string line = std::string(api::method_name(request.method)) + " " + request.path;
    char separator = '?';
    for (const auto& [key, value] : request.query) {
        line += separator + key + "=" + (is_secret_field(key) ? "[REDACTED]" : value);
        separator = '&';
    }
    return line;
}

std::string shorten(std::string text) {
    if (text.size() > kMaxLoggedBody) text = text.substr(0, kMaxLoggedBody) + "...(" + std::to_string(text.size()) + " bytes)";
    return text;
}

}  // namespace

api::Json redacted(const api::Json& body) {
    if (body.is_object()) {
        api::Json out = api::Json::object();
        for (const auto& [key, value] : body.items()) out[key] = is_secret_field(key) ? api::Json("[REDACTED]") : redacted(value);
        return out;
    }
    if (body.is_array()) {
        api::Json out = api::Json::array();
        for (const auto& value : body) out.push_back(redacted(value));
        return out;
    }
    if (body.is_string() && body.get_ref<const std::string&>().size() > kMaxLoggedString)
        return body.get<std::string>().substr(0, kMaxLoggedString) + "...";
    return body;
}

template <typename Work>
auto DebugApi::traced(const api::Request& request, std::string_view kind, Work&& work) -> decltype(work()) {
    auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    };
    std::string line = "> " + describe(request);
    if (!request.body.is_null()) line += " " + shorten(redacted(request.body).dump(-1, ' ', false, api::Json::error_handler_t::replace));
    std::fprintf(stderr, "%s%s\n", line.c_str(), kind.empty() ? "" : (" [" + std::string(kind) + "]").c_str());
    try {
        if constexpr (std::is_void_v<decltype(work())>) {
            work();
            std::fprintf(stderr, "< 200 OK (%.1f ms)\n", elapsed());
        } else {
            auto result = work();
            std::fprintf(stderr, "< 200 OK (%.1f ms) %s\n", elapsed(),
                         shorten(redacted(result).dump(-1, ' ', false, api::Json::error_handler_t::replace)).c_str());
            return result;
        }
    } catch (const api::ApiError& error) {
        std::fprintf(stderr, "< %d %s (%.1f ms) %s\n", error.http_status(), error.error_code().c_str(), elapsed(),
                     shorten(error.message()).c_str());
        throw;
    }
}

api::Json DebugApi::call(const api::Request& request) {
    return traced(request, "", [&] { return inner_->call(request); });
}

api::Json DebugApi::upload(const api::Request& request, api::ByteSource& body) {
    return traced(request, "upload", [&] { return inner_->upload(request, body); });
}

void DebugApi::download(const api::Request& request, api::ByteSink& sink) {
    traced(request, "download", [&] { inner_->download(request, sink); });
}

}  // namespace brix::cli
