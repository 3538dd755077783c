#pragma once
// The server's side of one client connection, under cpp-httplib's request parsing.
//
// Debian's cpp-httplib (0.11) reads a request body only for methods that "expect" one, so a GET
// carrying its parameters as a JSON body — as older Databricks clients send them — would have that
// body parsed as the next request. The connection's stream therefore looks at each request's
// header block first: a GET or HEAD with a body is passed on as a POST marked `X-Brix-Method: GET`
// (a marker clients cannot forge: theirs is dropped), and the handler restores the method.

#include <httplib.h>

#include <cstddef>
#include <string>

#include "server/get_body_rewrite.hpp"

namespace brix::server {

class ConnectionPool;
struct PoolSettings;

// A client connection's bytes: what was read past the end of one request (its body, a pipelined
// request) stays buffered for the next read.
class ConnectionStream : public httplib::Stream {
public:
    ConnectionStream(int fd, int read_timeout_ms, int write_timeout_ms)
        : fd_(fd), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

    // The next read starts a request: its header block is looked at first.
    void begin_request() { at_request_start_ = true; }
    bool has_pending() const { return offset_ < pending_.size(); }

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* buffer, size_t size) override;
    ssize_t write(const char* data, size_t size) override;
    // httplib asks for both addresses on every request; they do not change while the connection
    // lives, and getnameinfo is a good part of what a small request costs.
    void get_remote_ip_and_port(std::string& ip, int& port) const override { remote_.get(fd_, true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { local_.get(fd_, false, ip, port); }
    socket_t socket() const override { return fd_; }

private:
    struct Address {
        bool known = false;
        std::string ip;
        int port = 0;
        void get(int fd, bool peer, std::string& out_ip, int& out_port);
    };

    ssize_t receive(char* buffer, size_t size);
    void take_header_block();

    int fd_;
    int read_timeout_ms_;
    int write_timeout_ms_;
    bool at_request_start_ = false;
    std::string pending_;
    std::size_t offset_ = 0;
    mutable Address remote_;
    mutable Address local_;
};

// An httplib::Server whose connections carry the stream above and share a ConnectionPool.
class BrixHttpServer : public httplib::Server {
public:
    explicit BrixHttpServer(int max_threads);

private:
    bool process_and_close_socket(socket_t sock) override;
    PoolSettings pool_settings() const;

    int max_threads_;
    ConnectionPool* pool_ = nullptr;  // owned by httplib while it listens
};

}  // namespace brix::server
