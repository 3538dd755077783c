#pragma once
// How `brix serve` shares its threads among client connections.
//
// cpp-httplib's own pool gives each connection a thread for as long as the connection lives, so 64
// keep-alive clients mean 64 runnable threads on a machine of 2 cores: every request waits behind
// up to 63 others in the kernel's run queue, in whatever order the scheduler picks, beside the
// clients themselves. Here idle connections wait in one epoll set instead, and only as many
// threads as there are cores take ready connections from it, one request at a time, in the order
// they became ready. A request that waits long (a client that sends slowly, a lock held by a
// writer) must not hold the others up: a monitor lets one more thread in for each request that
// has run longer than kLongRequest and is not on a core, up to the thread limit.

#include <httplib.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "server/connection.hpp"

namespace brix::server {

struct PoolSettings {
    int max_threads = 64;    // requests served at once, at most (slow ones included)
    int running_target = 2;  // threads taking requests while none is slow: the cores
    int read_timeout_ms = 300'000;
    int write_timeout_ms = 300'000;
    std::chrono::milliseconds keep_alive{5000};  // an idle connection is closed after this
    std::size_t keep_alive_max_count = 1000;     // requests per connection
};

// Serves one request read from the stream; returns false when the connection must close.
using ServeRequest = std::function<bool(ConnectionStream& stream, bool last_request)>;

class ConnectionPool : public httplib::TaskQueue {
public:
    ConnectionPool(const PoolSettings& settings, ServeRequest serve);
    ~ConnectionPool() override;
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // httplib's accept loop hands over each accepted socket through enqueue (which calls add).
    void enqueue(std::function<void()> fn) override { fn(); }
    // The accept loop has ended: in-flight requests finish, idle connections close.
    void shutdown() override;

    void add(int fd);

    static constexpr std::chrono::milliseconds kLongRequest{10};

private:
    struct Connection;
    void work(std::size_t index);
    void watch();
    bool enter();
    bool serve(Connection& connection);
    void finish_request(std::size_t index);
    void park(Connection& connection);
    void close(Connection* connection);
    void wake_all_to_stop();

    PoolSettings settings_;
    ServeRequest serve_;
    int epoll_fd_ = -1;
    int stop_fd_ = -1;  // in the epoll set: readable once the pool stops with no connection left

    std::mutex mutex_;  // guards everything below but the atomics
    std::condition_variable gate_;
    std::condition_variable monitor_wakeup_;
    int running_ = 0;   // threads past the gate
    int capacity_ = 0;  // how many may be past it: running_target plus one per long request
    std::vector<std::unique_ptr<std::atomic<std::int64_t>>> busy_since_;  // per thread, 0 when idle
    std::vector<char> counted_long_;
    std::vector<pid_t> thread_ids_;
    std::unordered_set<Connection*> connections_;
    bool stopping_ = false;

    std::vector<std::thread> workers_;
    std::thread monitor_;
};

}  // namespace brix::server
