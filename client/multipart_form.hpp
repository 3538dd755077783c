#pragma once
// A multipart/form-data request body whose last part streams from a ByteSource: how `fs cp`
// uploads to DBFS in one request (dbfs/put with a `contents` file part, up to 2 GB on Databricks)
// instead of base64 blocks of 1 MB in JSON, one request each.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "api/api.hpp"

namespace brix::client {

class MultipartForm : public api::ByteSource {
public:
    // `fields` come first as text parts; `file` supplies exactly `file_size` bytes as the part
    // named `file_field`.
    MultipartForm(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& file_field,
                  api::ByteSource& file, std::uint64_t file_size);

    std::string content_type() const { return "multipart/form-data; boundary=" + boundary_; }
    std::size_t read(char* buffer, std::size_t size) override;
    std::optional<std::uint64_t> size() const override { return head_.size() + file_size_ + tail_.size(); }
    // The file ended before file_size bytes (it shrank while being sent): the request was cut short.
    bool file_ended_early() const { return ended_early_; }

private:
    std::string boundary_;
    std::string head_;
    std::string tail_;
    api::ByteSource& file_;
    std::uint64_t file_size_;
    std::uint64_t file_sent_ = 0;
    std::size_t head_sent_ = 0;
    std::size_t tail_sent_ = 0;
    bool ended_early_ = false;
};

}  // namespace brix::client
