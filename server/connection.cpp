#include "server/connection.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace brix::server {
namespace {

// Beyond this a header block is left alone, for httplib to refuse.
constexpr std::size_t kLargestHeaderBlock = 64 * 1024;

int wait_for(int fd, short events, int timeout_ms) {
    pollfd item{fd, events, 0};
    for (;;) {
        int ready = ::poll(&item, 1, timeout_ms);
        if (ready >= 0 || errno != EINTR) return ready;
    }
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    int found = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length)
                     : ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    if (found != 0) return;
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host, service, sizeof service,
                      NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
        ip = host;
        port = std::atoi(service);
    }
}

class ConnectionStream : public httplib::Stream {
public:
    ConnectionStream(int fd, int read_timeout_ms, int write_timeout_ms)
        : fd_(fd), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

    // The next read starts a request: its header block is looked at first.
    void begin_request() { at_request_start_ = true; }
    bool has_pending() const { return offset_ < pending_.size(); }

    bool is_readable() const override { return has_pending() || wait_for(fd_, POLLIN, read_timeout_ms_) > 0; }
    bool is_writable() const override { return wait_for(fd_, POLLOUT, write_timeout_ms_) > 0; }

    ssize_t read(char* buffer, size_t size) override {
        if (at_request_start_) {
            at_request_start_ = false;
            take_header_block();
        }
        if (has_pending()) {
            auto n = std::min(size, pending_.size() - offset_);
            std::memcpy(buffer, pending_.data() + offset_, n);
            offset_ += n;
            return static_cast<ssize_t>(n);
        }
        if (!is_readable()) return -1;
        return receive(buffer, size);
    }

    ssize_t write(const char* data, size_t size) override {
        if (!is_writable()) return -1;
        for (;;) {
            auto n = ::send(fd_, data, size, MSG_NOSIGNAL);
            if (n >= 0 || errno != EINTR) return n;
        }
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(fd_, true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(fd_, false, ip, port); }
    socket_t socket() const override { return fd_; }

private:
    ssize_t receive(char* buffer, size_t size) {
        for (;;) {
            auto n = ::recv(fd_, buffer, size, 0);
            if (n >= 0 || errno != EINTR) return n;
        }
    }

    // Reads until the blank line ending the headers (what comes after stays buffered for the
    // body and any pipelined request), then rewrites the block.
    void take_header_block() {
        std::string buffered = pending_.substr(offset_);
        std::size_t end;
        while ((end = buffered.find("\r\n\r\n")) == std::string::npos && buffered.size() < kLargestHeaderBlock) {
            if (wait_for(fd_, POLLIN, read_timeout_ms_) <= 0) break;
            char chunk[16384];
            auto n = receive(chunk, sizeof chunk);
            if (n <= 0) break;
            buffered.append(chunk, static_cast<std::size_t>(n));
        }
        if (end != std::string::npos) buffered = rewrite_header_block(buffered.substr(0, end + 4)) + buffered.substr(end + 4);
        pending_ = std::move(buffered);
        offset_ = 0;
    }

    int fd_;
    int read_timeout_ms_;
    int write_timeout_ms_;
    bool at_request_start_ = false;
    std::string pending_;
    std::size_t offset_ = 0;
};

}  // namespace

// cpp-httplib's own loop, over the stream above: up to keep_alive_max_count requests, each
// awaited at most keep_alive_timeout, watching for the server stopping between them.
bool BrixHttpServer::process_and_close_socket(socket_t sock) {
    auto milliseconds = [](time_t seconds, time_t microseconds) { return static_cast<int>(seconds * 1000 + microseconds / 1000); };
    ConnectionStream stream(sock, milliseconds(read_timeout_sec_, read_timeout_usec_),
                            milliseconds(write_timeout_sec_, write_timeout_usec_));
    bool ok = false;
    for (auto left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
        bool ready = stream.has_pending();
        while (!ready && svr_sock_ != INVALID_SOCKET && std::chrono::steady_clock::now() < deadline) {
            int polled = wait_for(sock, POLLIN, 50);
            if (polled < 0) break;
            ready = polled > 0;
        }
        if (!ready) break;
        bool closed = false;
        stream.begin_request();
        ok = process_request(stream, left == 1, closed, nullptr);
        if (!ok || closed) break;
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

}  // namespace brix::server
