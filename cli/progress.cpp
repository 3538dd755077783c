#include "cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "cli/output.hpp"
#include "cli/terminal.hpp"

namespace brix::cli {
namespace {

using namespace std::chrono_literals;

// Long enough that a command ending at once draws nothing, short enough to feel responsive.
// BRIX_PROGRESS_DELAY_MS changes it (tests use 0 to see the bar of a short transfer).
std::chrono::milliseconds grace() {
    if (const char* delay = std::getenv("BRIX_PROGRESS_DELAY_MS")) return std::chrono::milliseconds(std::atoi(delay));
    return 400ms;
}
constexpr auto kRedraw = 125ms;

std::string bytes_text(double bytes) {
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    return text;
}

std::string clock_text(double seconds) {
    auto whole = static_cast<long>(seconds);
    char text[32];
    if (whole >= 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", whole / 3600, whole / 60 % 60, whole % 60);
    else std::snprintf(text, sizeof text, "%ld:%02ld", whole / 60, whole % 60);
    return text;
}

std::string amount_text(ProgressUnit unit, std::uint64_t amount) {
    if (unit == ProgressUnit::Bytes) return bytes_text(static_cast<double>(amount));
    return std::to_string(amount);
}

std::string bar(double fraction, int width) {
    auto filled = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * width));
    return "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-') + "]";
}

std::uint64_t moved_since(int fd, std::int64_t start) {
    auto offset = ::lseek(fd, 0, SEEK_CUR);
    return offset > start ? static_cast<std::uint64_t>(offset - start) : 0;
}

}  // namespace

std::string Progress::render(const std::string& label, ProgressUnit unit, std::uint64_t done, std::optional<std::uint64_t> total,
                             const std::string& status, double seconds, int columns) {
    std::string figures;
    if (total) figures = amount_text(unit, done) + "/" + amount_text(unit, *total);
    else figures = amount_text(unit, done);
    if (unit == ProgressUnit::Files) figures += " files";
    if (unit == ProgressUnit::Tasks) figures += " tasks";
    if (!status.empty()) figures = status + "  " + figures;
    if (unit == ProgressUnit::Tasks) {
        figures += "  " + clock_text(seconds);
    } else if (seconds > 0 && done > 0) {
        double rate = static_cast<double>(done) / seconds;
        figures += "  " + (unit == ProgressUnit::Bytes ? bytes_text(rate) : std::to_string(static_cast<long>(rate)) + " files") + "/s";
        if (total && rate > 0 && *total >= done) figures += "  ETA " + clock_text(static_cast<double>(*total - done) / rate);
    }
    auto line = label + "  ";
    // The bar takes what the terminal has left, between 10 and 30 columns, or goes.
    int room = columns - static_cast<int>(line.size() + figures.size()) - 4;
    if (total && room >= 12) {
        double fraction = *total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(*total);
        line += bar(fraction, std::min(room - 2, 30)) + "  ";
    }
    line += figures;
    if (static_cast<int>(line.size()) >= columns) line.resize(static_cast<std::size_t>(std::max(columns - 1, 0)));
    return line;
}

Progress::Progress(std::string label, ProgressUnit unit, ProgressMode mode)
    : label_(std::move(label)), unit_(unit), mode_(mode), grace_(grace()), started_(std::chrono::steady_clock::now()) {
    if (mode_ == ProgressMode::Auto && cursor_control_enabled(stderr)) ticker_ = std::thread([this] { tick(); });
}

Progress::~Progress() {
    if (!ticker_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        clear_locked();
    }
    stop_signal_.notify_all();
    ticker_.join();
}

void Progress::set_total(std::uint64_t total) {
    std::lock_guard lock(mutex_);
    total_ = total;
}

void Progress::advance(std::uint64_t amount) {
    std::lock_guard lock(mutex_);
    done_ += amount;
}

void Progress::set_done(std::uint64_t done) {
    std::lock_guard lock(mutex_);
    done_ = done;
}

void Progress::set_status(std::string status) {
    std::lock_guard lock(mutex_);
    status_ = std::move(status);
}

bool Progress::watch_descriptor(int fd) {
    auto offset = ::lseek(fd, 0, SEEK_CUR);
    if (offset < 0) return false;
    std::lock_guard lock(mutex_);
    watched_.emplace_back(fd, offset);
    return true;
}

// What the kernel moved counts for good once the stream is done with the descriptor.
void Progress::unwatch_descriptor(int fd) {
    std::lock_guard lock(mutex_);
    auto found = std::find_if(watched_.begin(), watched_.end(), [fd](const auto& watched) { return watched.first == fd; });
    if (found == watched_.end()) return;
    done_ += moved_since(found->first, found->second);
    watched_.erase(found);
}

void Progress::note(std::FILE* stream, const std::string& line) {
    if (!quiet()) warn(stream, line);
}

void Progress::warn(std::FILE* stream, const std::string& line) {
    std::lock_guard lock(mutex_);
    clear_locked();
    if (stream == stdout) {
        write_stdout(line + "\n");
        if (std::fflush(stdout) != 0) note_stdout_error(errno);
    } else {
        std::fputs(line.c_str(), stream);
        std::fputc('\n', stream);
        std::fflush(stream);
    }
    // The bar comes back below the line at once, rather than flickering until the next tick.
    if (ticker_.joinable() && !stopping_ && std::chrono::steady_clock::now() - started_ >= grace_) draw_locked();
}

void Progress::tick() {
    std::unique_lock lock(mutex_);
    if (stop_signal_.wait_for(lock, grace_, [this] { return stopping_; })) return;
    while (!stopping_) {
        draw_locked();
        stop_signal_.wait_for(lock, kRedraw, [this] { return stopping_; });
    }
}

void Progress::draw_locked() {
    auto done = done_;
    for (const auto& [fd, start] : watched_) done += moved_since(fd, start);
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
    auto line = render(label_, unit_, done, total_, status_, elapsed.count(), terminal_columns());
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void Progress::clear_locked() {
    if (!drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

ProgressSource::ProgressSource(api::ByteSource& inner, Progress& progress)
    : inner_(inner), progress_(progress), watched_(inner.fd() >= 0 && progress.watch_descriptor(inner.fd())) {}

ProgressSource::~ProgressSource() {
    if (watched_) progress_.unwatch_descriptor(inner_.fd());
}

std::size_t ProgressSource::read(char* buffer, std::size_t size) {
    auto n = inner_.read(buffer, size);
    // Reads through a watched descriptor move its offset: counting them here too would count twice.
    if (!watched_) progress_.advance(n);
    return n;
}

ProgressSink::ProgressSink(api::ByteSink& inner, Progress& progress)
    : inner_(inner), progress_(progress), watched_(inner.fd() >= 0 && progress.watch_descriptor(inner.fd())) {}

ProgressSink::~ProgressSink() {
    if (watched_) progress_.unwatch_descriptor(inner_.fd());
}

void ProgressSink::write(const char* data, std::size_t size) {
    inner_.write(data, size);
    if (!watched_) progress_.advance(size);
}

}  // namespace brix::cli
