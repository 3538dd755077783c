#include "engine/files/upload_sessions.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <memory>
#include <vector>

#include "api/streams.hpp"
#include "engine/files/dbfs_service.hpp"
#include "engine/store/file_ops.hpp"
#include "engine/store/random_ids.hpp"

namespace brix::engine::files {
namespace {

using api::Json;

constexpr std::int64_t kMaxPartNumber = 10000;
// Sessions nobody completed or aborted (a client that died) are dropped after a day.
constexpr std::int64_t kAbandonedAfterMs = 24 * 3600 * 1000;

api::ApiError no_session(const std::string& path) {
    return api::ApiError(404, "NOT_FOUND", "There is no upload session with this session token for " + path + ".");
}

bool valid_token(const std::string& token) {
    return token.size() == 32 && std::all_of(token.begin(), token.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

fs::path uploads_dir(store::EngineRoot& root) {
    auto dir = root.root() / "uploads";
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) store::throw_io_error("cannot create", dir, errno);
    return dir;
}

Json read_target(const fs::path& dir) {
    std::ifstream in(dir / "target.json");
    if (!in) return nullptr;
    return Json::parse(in, nullptr, false);
}

void drop_abandoned(store::EngineRoot& root) {
    auto now = fs::file_time_type::clock::now();
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(uploads_dir(root), error)) {
        auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - entry.last_write_time(error)).count();
        if (!error && age > kAbandonedAfterMs) store::remove_tree(entry.path(), root.tmp_dir());
    }
}

// The listed parts' files, one after the other.
class PartsSource : public api::ByteSource {
public:
    explicit PartsSource(std::vector<fs::path> files) : files_(std::move(files)) {}
    std::size_t read(char* buffer, std::size_t size) override {
        for (;;) {
            if (current_) {
                if (auto n = current_->read(buffer, size)) return n;
                current_.reset();
            }
            if (next_ == files_.size()) return 0;
            current_ = std::make_unique<api::FdSource>(api::FdSource::open_file(files_[next_++].string()));
        }
    }

private:
    std::vector<fs::path> files_;
    std::size_t next_ = 0;
    std::unique_ptr<api::FdSource> current_;
};

}  // namespace

fs::path UploadSessions::session_dir(const std::string& token) const {
    return root_.root() / "uploads" / token;
}

std::string UploadSessions::initiate(const std::string& path, std::optional<bool> overwrite) {
    DbfsService files(root_);
    if (auto existing = files.stat(path); existing && (existing->is_dir || overwrite == false))
        throw api::ApiError(409, "ALREADY_EXISTS", "The file " + path + " already exists.");
    drop_abandoned(root_);
    auto token = store::random_hex(32);
    auto dir = uploads_dir(root_) / token;
    if (::mkdir(dir.c_str(), 0700) != 0) store::throw_io_error("cannot create", dir, errno);
    store::TempFile target(root_.tmp_dir());
    target.write(Json{{"path", path}, {"overwrite", overwrite ? Json(*overwrite) : Json()}}.dump());
    target.install(dir / "target.json", store::Replace::Forbidden);
    return token;
}

void UploadSessions::require(const std::string& token, const std::string& path) const {
    if (!valid_token(token)) throw no_session(path);
    auto target = read_target(session_dir(token));
    if (!target.is_object() || target.value("path", "") != path) throw no_session(path);
}

std::string UploadSessions::put_part(const std::string& token, const std::string& path, std::int64_t part_number,
                                     api::ByteSource& body) {
    require(token, path);
    if (part_number < 1 || part_number > kMaxPartNumber)
        throw api::invalid_parameter("part_number must be from 1 to " + std::to_string(kMaxPartNumber));
    store::TempFile part(root_.tmp_dir());
    part.copy_from(body);
    auto etag = store::random_hex(32);
    // The session may have been completed or aborted while the part arrived: then it is gone.
    try {
        part.install(session_dir(token) / (std::to_string(part_number) + "." + etag), store::Replace::Forbidden);
    } catch (const api::ApiError&) {
        if (fs::is_directory(session_dir(token))) throw;
        throw no_session(path);
    }
    return "\"" + etag + "\"";
}

void UploadSessions::complete(const std::string& token, const std::string& path, const Json& parts) {
    require(token, path);
    if (!parts.is_array() || parts.empty()) throw api::invalid_parameter("parts must list the uploaded parts");
    std::vector<fs::path> files;
    std::int64_t previous = 0;
    for (const auto& part : parts) {
        auto number = part.is_object() ? part.value("part_number", Json()) : Json();
        auto etag = part.is_object() ? part.value("etag", Json()) : Json();
        if (!number.is_number_integer() || !etag.is_string())
            throw api::invalid_parameter("Each part needs an integer part_number and a string etag");
        if (number.get<std::int64_t>() <= previous)
            throw api::invalid_parameter("parts must be in ascending order of part_number, each once");
        previous = number.get<std::int64_t>();
        auto name = etag.get<std::string>();
        name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
        auto file = session_dir(token) / (std::to_string(previous) + "." + name);
        if (!valid_token(name) || !fs::is_regular_file(file))
            throw api::invalid_parameter("Part " + std::to_string(previous) + " with etag " + etag.get<std::string>() +
                                         " was not uploaded in this session");
        files.push_back(file);
    }
    auto target = read_target(session_dir(token));
    bool overwrite = target.value("overwrite", Json()).is_null() || target["overwrite"].get<bool>();
    PartsSource joined(std::move(files));
    try {
        DbfsService(root_).put(path, joined, overwrite, 409);
    } catch (const api::ApiError& error) {
        if (error.http_status() != 409) throw;
        throw api::ApiError(409, "ALREADY_EXISTS", "The file " + path + " already exists.");
    }
    store::remove_tree(session_dir(token), root_.tmp_dir());
}

void UploadSessions::abort(const std::string& token, const std::string& path) {
    if (!valid_token(token)) throw no_session(path);
    auto target = read_target(session_dir(token));
    if (target.is_null()) return;
    if (!target.is_object() || target.value("path", "") != path) throw no_session(path);
    store::remove_tree(session_dir(token), root_.tmp_dir());
}

}  // namespace brix::engine::files
