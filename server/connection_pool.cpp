#include "server/connection_pool.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace brix::server {
namespace {

using Clock = std::chrono::steady_clock;

// Whether a thread of this process is waiting (for the network, a lock, the disk) rather than
// running or ready to run: only a waiting thread leaves a core unused.
bool thread_is_waiting(pid_t tid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", static_cast<int>(tid));
    FILE* file = std::fopen(path, "re");
    if (!file) return false;
    char line[512];
    bool waiting = false;
    if (std::fgets(line, sizeof line, file)) {
        // "tid (name) S ...": the state follows the last ')', as the name may hold one.
        if (const char* close = std::strrchr(line, ')'); close && close[1] == ' ') waiting = close[2] != 'R';
    }
    std::fclose(file);
    return waiting;
}

std::int64_t now_ns() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

// How often the monitor looks for long requests while one is being served, and otherwise (for
// connections idle past the keep-alive time).
constexpr std::chrono::milliseconds kWatchInterval{5};
constexpr std::chrono::milliseconds kIdleWatchInterval{50};
// A thread past the gate waits this long for a ready connection before it looks at the gate again.
constexpr int kEpollWaitMs = 500;

}  // namespace

struct ConnectionPool::Connection {
    Connection(int socket, const PoolSettings& settings)
        : fd(socket), stream(socket, settings.read_timeout_ms, settings.write_timeout_ms),
          requests_left(settings.keep_alive_max_count) {}
    int fd;
    ConnectionStream stream;
    std::size_t requests_left;
    std::atomic<std::int64_t> parked_since{0};  // 0 while a thread serves it
    bool shut = false;                          // the monitor has ended its reading side
};

ConnectionPool::ConnectionPool(const PoolSettings& settings, ServeRequest serve)
    : settings_(settings), serve_(std::move(serve)) {
    settings_.max_threads = std::max(settings_.max_threads, 1);
    settings_.running_target = std::clamp(settings_.running_target, 1, settings_.max_threads);
    capacity_ = settings_.running_target;
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_fd_ < 0 || stop_fd_ < 0) throw std::runtime_error(std::string("epoll: ") + std::strerror(errno));
    // Level-triggered and never read: once written, every thread waiting for a connection wakes.
    epoll_event stop_event{};
    stop_event.events = EPOLLIN;
    stop_event.data.ptr = nullptr;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stop_fd_, &stop_event);
    auto threads = static_cast<std::size_t>(settings_.max_threads);
    counted_long_.assign(threads, 0);
    thread_ids_.assign(threads, 0);
    for (std::size_t i = 0; i < threads; ++i) busy_since_.push_back(std::make_unique<std::atomic<std::int64_t>>(0));
    for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
    monitor_ = std::thread([this] { watch(); });
}

ConnectionPool::~ConnectionPool() {
    shutdown();
    ::close(epoll_fd_);
    ::close(stop_fd_);
}

void ConnectionPool::add(int fd) {
    auto* connection = new Connection(fd, settings_);
    {
        std::lock_guard lock(mutex_);
        connections_.insert(connection);
    }
    park(*connection);
}

// Watched again once: EPOLLONESHOT hands a ready connection to exactly one thread, and it is not
// reported again until that thread has served it and parks it here.
void ConnectionPool::park(Connection& connection) {
    connection.parked_since = now_ns();
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    event.data.ptr = &connection;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd, &event) != 0 &&
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, connection.fd, &event) != 0)
        close(&connection);
}

void ConnectionPool::close(Connection* connection) {
    {
        std::lock_guard lock(mutex_);
        connections_.erase(connection);
        if (stopping_ && connections_.empty()) wake_all_to_stop();
    }
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, connection->fd, nullptr);
    ::shutdown(connection->fd, SHUT_RDWR);
    ::close(connection->fd);
    delete connection;
}

// Called with the mutex held, once the pool stops and its last connection is closed.
void ConnectionPool::wake_all_to_stop() {
    std::uint64_t one = 1;
    (void)!::write(stop_fd_, &one, sizeof one);
    gate_.notify_all();
    monitor_wakeup_.notify_one();
}

// Waits until this thread may take requests; false when the pool is stopping and nothing is left.
bool ConnectionPool::enter() {
    std::unique_lock lock(mutex_);
    gate_.wait(lock, [&] { return running_ < capacity_ || (stopping_ && connections_.empty()); });
    if (stopping_ && connections_.empty()) return false;
    ++running_;
    return true;
}

// One request, and the ones the client already sent behind it (pipelined): their bytes are
// buffered in the stream, where epoll cannot see them.
bool ConnectionPool::serve(Connection& connection) {
    do {
        if (connection.requests_left == 0) return false;
        connection.stream.begin_request();
        bool last = --connection.requests_left == 0;
        if (!serve_(connection.stream, last)) return false;
    } while (connection.stream.has_pending());
    return true;
}

// A request that the monitor counted as long gives its extra place back; a thread beyond the
// capacity (it shrank) leaves the gate.
void ConnectionPool::finish_request(std::size_t index) {
    std::lock_guard lock(mutex_);
    busy_since_[index]->store(0);
    if (counted_long_[index]) {
        counted_long_[index] = 0;
        --capacity_;
    }
}

void ConnectionPool::work(std::size_t index) {
    {
        std::lock_guard lock(mutex_);
        thread_ids_[index] = ::gettid();
    }
    while (enter()) {
        for (;;) {
            epoll_event event{};
            int ready = ::epoll_wait(epoll_fd_, &event, 1, kEpollWaitMs);
            if (ready == 1 && event.data.ptr) {
                auto* connection = static_cast<Connection*>(event.data.ptr);
                connection->parked_since = 0;
                busy_since_[index]->store(now_ns());
                bool keep = serve(*connection);
                finish_request(index);
                if (keep) park(*connection);
                else close(connection);
            } else if (ready < 0 && errno != EINTR) {
                break;
            }
            std::lock_guard lock(mutex_);
            if (running_ > capacity_ || (stopping_ && connections_.empty())) break;
        }
        {
            std::lock_guard lock(mutex_);
            --running_;
        }
        gate_.notify_one();
    }
}

// Lets one more thread in for each request that has run longer than kLongRequest and is waiting
// (a slow client, a lock): a request that is long because it computes, or because the machine is
// busy, gains nothing from more threads than cores. It also ends the
// reading side of connections idle past the keep-alive time (the thread that then sees the end
// of the stream closes them: only serving threads close connections, so none is freed under one).
void ConnectionPool::watch() {
    std::unique_lock lock(mutex_);
    bool serving = false;
    while (!(stopping_ && connections_.empty())) {
        monitor_wakeup_.wait_for(lock, serving ? kWatchInterval : kIdleWatchInterval);
        auto now = now_ns();
        auto long_after = std::chrono::nanoseconds(kLongRequest).count();
        int added = 0;
        serving = false;
        for (std::size_t i = 0; i < busy_since_.size(); ++i) {
            auto since = busy_since_[i]->load();
            serving = serving || since != 0;
            if (since != 0 && !counted_long_[i] && now - since > long_after && capacity_ < settings_.max_threads &&
                thread_is_waiting(thread_ids_[i])) {
                counted_long_[i] = 1;
                ++capacity_;
                ++added;
            }
        }
        auto idle_after = std::chrono::nanoseconds(settings_.keep_alive).count();
        for (auto* connection : connections_) {
            auto parked = connection->parked_since.load();
            if (!connection->shut && parked != 0 && (stopping_ || now - parked > idle_after)) {
                connection->shut = true;
                ::shutdown(connection->fd, SHUT_RD);
            }
        }
        for (; added > 0; --added) gate_.notify_one();
    }
}

void ConnectionPool::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        if (connections_.empty()) wake_all_to_stop();
    }
    monitor_wakeup_.notify_one();
    for (auto& worker : workers_) worker.join();
    monitor_.join();
}

}  // namespace brix::server
