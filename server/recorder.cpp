#include "server/recorder.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace brix::server {
namespace {

using Json = nlohmann::ordered_json;

bool is_json_content(const std::string& content_type) {
    auto type = content_type.substr(0, content_type.find(';'));
    for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return type == "application/json" || type == "text/json" || (type.size() > 5 && type.ends_with("+json"));
}

// A key that repeats in the query (lists are sent as repeated keys) becomes a list of strings.
Json query_of(const httplib::Request& req) {
    Json query = Json::object();
    for (const auto& [key, value] : req.params) {
        if (!query.contains(key)) {
            query[key] = value;
        } else {
            if (!query[key].is_array()) query[key] = Json::array({query[key]});
            query[key].push_back(value);
        }
    }
    return query;
}

Json answer_of(const httplib::Response& res) {
    if (res.body.empty() || !is_json_content(res.get_header_value("Content-Type"))) return nullptr;
    return Json::parse(res.body, nullptr, false);  // a discarded (unparsable) answer records as null
}

}  // namespace

std::unique_ptr<Recorder> Recorder::from_environment() {
    const char* file = std::getenv("BRIX_SERVE_RECORD");
    if (!file || !*file) return nullptr;
    int fd = ::open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error(std::string("cannot open BRIX_SERVE_RECORD file ") + file + ": " + std::strerror(errno));
    return std::unique_ptr<Recorder>(new Recorder(fd));
}

Recorder::~Recorder() { ::close(fd_); }

void Recorder::record(const std::string& method, const httplib::Request& req, const Json& body,
                      const httplib::Response& res) const {
    Json line{{"method", method},
              {"path", req.path},
              {"query", query_of(req)},
              {"user_agent", req.get_header_value("User-Agent")},
              {"content_type", req.get_header_value("Content-Type")},
              {"body", body},
              {"status", res.status},
              {"response_content_type", res.get_header_value("Content-Type")},
              {"response", answer_of(res)}};
    auto text = line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
    // One write per line on a file opened O_APPEND: lines of concurrent requests never interleave.
    const char* data = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        auto written = ::write(fd_, data, left);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;  // a full disk loses records, never answers
        data += written;
        left -= static_cast<std::size_t>(written);
    }
}

}  // namespace brix::server
