#include "client/multipart_form.hpp"

#include <algorithm>
#include <cstring>
#include <random>

namespace brix::client {
namespace {

// Random, so no field value or file can contain the delimiter by accident.
std::string random_boundary() {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::random_device device;
    std::string boundary = "brix-";
    for (int i = 0; i < 32; ++i) boundary += kDigits[device() % 16];
    return boundary;
}

// Copies what is left of `text` after `sent` bytes into the buffer.
std::size_t copy_rest(const std::string& text, std::size_t& sent, char* buffer, std::size_t size) {
    auto n = std::min(size, text.size() - sent);
    std::memcpy(buffer, text.data() + sent, n);
    sent += n;
    return n;
}

}  // namespace

MultipartForm::MultipartForm(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& file_field,
                             api::ByteSource& file, std::uint64_t file_size)
    : boundary_(random_boundary()), file_(file), file_size_(file_size) {
    for (const auto& [name, value] : fields)
        head_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    head_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=\"" + file_field + "\"; filename=\"" + file_field +
             "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    tail_ = "\r\n--" + boundary_ + "--\r\n";
}

std::size_t MultipartForm::read(char* buffer, std::size_t size) {
    if (head_sent_ < head_.size()) return copy_rest(head_, head_sent_, buffer, size);
    if (file_sent_ < file_size_) {
        auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(size, file_size_ - file_sent_));
        auto n = file_.read(buffer, wanted);
        if (n == 0) {
            ended_early_ = true;
            return 0;
        }
        file_sent_ += n;
        return n;
    }
    return copy_rest(tail_, tail_sent_, buffer, size);
}

}  // namespace brix::client
