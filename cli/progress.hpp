#pragma once
// One progress display for everything that takes a while: byte transfers (`fs cp`), bulk copies
// (`fs cp -r`, `import-dir`, `export-dir`) and waiting for a run.
//   - stderr is a terminal: one line, redrawn a few times a second by a ticker thread — what, a
//     bar when the total is known, done/total, rate and ETA (elapsed time for runs). It shows only
//     after a short grace, so quick commands never flash a bar, and it is cleared at the end.
//   - piped: no bar; commands print one line per item or state change through note().
//   - quiet (-q): nothing, notes included.

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/api.hpp"

namespace brix::cli {

enum class ProgressUnit { Bytes, Files, Tasks };
enum class ProgressMode { Auto, Quiet };

class Progress {
public:
    Progress(std::string label, ProgressUnit unit, ProgressMode mode);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void set_total(std::uint64_t total);
    void advance(std::uint64_t amount = 1);  // any thread
    void set_done(std::uint64_t done);
    void set_status(std::string status);     // shown with the figures: "RUNNING", "12/200 files"
    // A kernel copy (copy_file_range) moves a descriptor's offset instead of calling advance():
    // the progress follows it until unwatched. False for a descriptor without an offset (a pipe).
    bool watch_descriptor(int fd);
    void unwatch_descriptor(int fd);
    // A line above the bar, or just the line when no bar is drawn; nothing when quiet. Any thread.
    void note(std::FILE* stream, const std::string& line);
    // The same, even when quiet: for what the user must see (a skipped file, an item's error).
    void warn(std::FILE* stream, const std::string& line);
    bool quiet() const { return mode_ == ProgressMode::Quiet; }

    // The line as drawn at this moment, `columns` wide at most (public for tests).
    static std::string render(const std::string& label, ProgressUnit unit, std::uint64_t done,
                              std::optional<std::uint64_t> total, const std::string& status, double seconds, int columns);

private:
    void tick();
    void draw_locked();
    void clear_locked();

    std::string label_;
    ProgressUnit unit_;
    ProgressMode mode_;
    std::mutex mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
    bool drawn_ = false;
    std::uint64_t done_ = 0;
    std::optional<std::uint64_t> total_;
    std::string status_;
    std::vector<std::pair<int, std::int64_t>> watched_;  // descriptor, offset when first seen
    std::chrono::milliseconds grace_;
    std::chrono::steady_clock::time_point started_;
    std::thread ticker_;
};

// Streams that report what passes through them; a descriptor they carry is handed on, so kernel
// copies stay possible, and followed by the progress while the stream lives.
class ProgressSource : public api::ByteSource {
public:
    ProgressSource(api::ByteSource& inner, Progress& progress);
    ~ProgressSource() override;
    std::size_t read(char* buffer, std::size_t size) override;
    std::optional<std::uint64_t> size() const override { return inner_.size(); }
    int fd() const override { return inner_.fd(); }

private:
    api::ByteSource& inner_;
    Progress& progress_;
    bool watched_;
};

class ProgressSink : public api::ByteSink {
public:
    ProgressSink(api::ByteSink& inner, Progress& progress);
    ~ProgressSink() override;
    void write(const char* data, std::size_t size) override;
    int fd() const override { return inner_.fd(); }

private:
    api::ByteSink& inner_;
    Progress& progress_;
    bool watched_;
};

}  // namespace brix::cli
