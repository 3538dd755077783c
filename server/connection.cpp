#include "server/connection.hpp"

#include "server/connection_pool.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

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

}  // namespace

bool ConnectionStream::is_readable() const { return has_pending() || wait_for(fd_, POLLIN, read_timeout_ms_) > 0; }

bool ConnectionStream::is_writable() const { return wait_for(fd_, POLLOUT, write_timeout_ms_) > 0; }

ssize_t ConnectionStream::read(char* buffer, size_t size) {
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
    return receive(buffer, size);
}

// Sends first and waits only when the socket's buffer is full: a small answer goes out in one
// system call.
ssize_t ConnectionStream::write(const char* data, size_t size) {
    for (;;) {
        auto n = ::send(fd_, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || wait_for(fd_, POLLOUT, write_timeout_ms_) <= 0) return -1;
    }
}

void ConnectionStream::Address::get(int fd, bool peer, std::string& out_ip, int& out_port) {
    if (!known) address_of(fd, peer, ip, port);
    known = true;
    out_ip = ip;
    out_port = port;
}

// Reads what has arrived, waiting (up to the read timeout) only when nothing has: a connection
// is handed to a thread when its request is there.
ssize_t ConnectionStream::receive(char* buffer, size_t size) {
    for (;;) {
        auto n = ::recv(fd_, buffer, size, MSG_DONTWAIT);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || wait_for(fd_, POLLIN, read_timeout_ms_) <= 0) return -1;
    }
}

// Reads until the blank line ending the headers (what comes after stays buffered for the
// body and any pipelined request), then rewrites the block.
void ConnectionStream::take_header_block() {
    std::string buffered = pending_.substr(offset_);
    std::size_t end;
    while ((end = buffered.find("\r\n\r\n")) == std::string::npos && buffered.size() < kLargestHeaderBlock) {
        char chunk[16384];
        auto n = receive(chunk, sizeof chunk);
        if (n <= 0) break;
        buffered.append(chunk, static_cast<std::size_t>(n));
    }
    if (end != std::string::npos) buffered = rewrite_header_block(buffered.substr(0, end + 4)) + buffered.substr(end + 4);
    pending_ = std::move(buffered);
    offset_ = 0;
}

BrixHttpServer::BrixHttpServer(int max_threads) : max_threads_(max_threads) {
    new_task_queue = [this] {
        pool_ = new ConnectionPool(pool_settings(), [this](ConnectionStream& stream, bool last_request) {
            bool closed = false;
            return process_request(stream, last_request, closed, nullptr) && !closed;
        });
        return pool_;
    };
}

PoolSettings BrixHttpServer::pool_settings() const {
    auto milliseconds = [](time_t seconds, time_t microseconds) { return static_cast<int>(seconds * 1000 + microseconds / 1000); };
    PoolSettings settings;
    settings.max_threads = max_threads_;
    settings.running_target = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 2, max_threads_);
    settings.read_timeout_ms = milliseconds(read_timeout_sec_, read_timeout_usec_);
    settings.write_timeout_ms = milliseconds(write_timeout_sec_, write_timeout_usec_);
    settings.keep_alive = std::chrono::seconds(keep_alive_timeout_sec_);
    settings.keep_alive_max_count = keep_alive_max_count_;
    return settings;
}

bool BrixHttpServer::process_and_close_socket(socket_t sock) {
    pool_->add(sock);
    return true;
}

}  // namespace brix::server
