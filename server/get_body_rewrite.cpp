#include "server/get_body_rewrite.hpp"

#include <cctype>
#include <cstring>

namespace brix::server {
namespace {

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool announces_body(const std::string& name, const std::string& value) {
    if (name == "content-length") return value.find_first_not_of(" \t0") != std::string::npos;
    if (name == "transfer-encoding") return lower(value).find("chunked") != std::string::npos;
    return false;
}

}  // namespace

std::string rewrite_header_block(const std::string& block) {
    auto line_end = block.find("\r\n");
    if (line_end == std::string::npos) return block;
    auto request_line = block.substr(0, line_end);
    const auto marker = lower(kOriginalMethodHeader);
    std::string headers;
    bool body = false;
    for (auto start = line_end + 2; start < block.size();) {
        auto end = block.find("\r\n", start);
        if (end == std::string::npos) end = block.size();
        auto line = block.substr(start, end - start);
        start = end + 2;
        if (line.empty()) continue;
        auto colon = line.find(':');
        auto name = lower(line.substr(0, colon));
        if (colon != std::string::npos) body = body || announces_body(name, line.substr(colon + 1));
        if (name == marker) continue;
        headers += line + "\r\n";
    }
    for (std::string method : {"GET", "HEAD"}) {
        if (!body || request_line.rfind(method + " ", 0) != 0) continue;
        request_line = "POST" + request_line.substr(method.size());
        headers = std::string(kOriginalMethodHeader) + ": " + method + "\r\n" + headers;
    }
    return request_line + "\r\n" + headers + "\r\n";
}

}  // namespace brix::server
