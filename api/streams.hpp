#pragma once
// Ready-made byte sources and sinks: in memory, and over file descriptors (which let a backend
// copy inside the kernel).

#include <string>
#include <string_view>

#include "api/api.hpp"

namespace brix::api {

class StringSource : public ByteSource {
public:
    explicit StringSource(std::string_view bytes) : bytes_(bytes) {}
    std::size_t read(char* buffer, std::size_t size) override;
    std::optional<std::uint64_t> size() const override { return bytes_.size(); }

private:
    std::string_view bytes_;
};

class StringSink : public ByteSink {
public:
    void write(const char* data, std::size_t size) override { bytes_.append(data, size); }
    std::string& bytes() { return bytes_; }

private:
    std::string bytes_;
};

// Reads a file (or stdin) it opens, or a descriptor it is given; closes only what it opened.
class FdSource : public ByteSource {
public:
    static FdSource open_file(const std::string& path);  // throws std::system_error
    // `name` is what a read error names ("cannot read standard input: ...").
    explicit FdSource(int fd, bool owned = false, std::string name = "") : fd_(fd), owned_(owned), name_(std::move(name)) {}
    FdSource(FdSource&& other) noexcept : fd_(other.fd_), owned_(other.owned_), name_(std::move(other.name_)) { other.owned_ = false; }
    ~FdSource() override;
    std::size_t read(char* buffer, std::size_t size) override;
    std::optional<std::uint64_t> size() const override;
    int fd() const override { return fd_; }

private:
    int fd_;
    bool owned_;
    std::string name_;
};

class FdSink : public ByteSink {
public:
    explicit FdSink(int fd) : fd_(fd) {}
    void write(const char* data, std::size_t size) override;  // throws std::system_error
    int fd() const override { return fd_; }

private:
    int fd_;
};

}  // namespace brix::api
