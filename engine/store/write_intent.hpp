#pragma once
// A note that a write is under way, for the writes a crash could leave half-done: a file already
// renamed into place whose database row is not yet committed. Each thread that makes such writes
// keeps one note file in the root's writes/ folder (<kind>-*), locked for as long as the thread
// lives: a write fills it from before the rename until after the commit, then empties it. (One
// file per thread rather than per write: creating a file costs as much as a small write itself.)
// A note that nobody holds locked belongs to a writer that died (the kernel drops a killed
// process's locks, in any PID namespace); if it is not empty, the next process to open the root
// finishes or undoes that write through recover_intents.

#include <functional>
#include <string>
#include <string_view>

#include "engine/store/engine_root.hpp"

namespace brix::engine::store {

class WriteIntent {
public:
    // Records `note` in this thread's note file for `kind` in `notes_dir` (made on first use).
    WriteIntent(const fs::path& notes_dir, std::string_view kind, std::string_view note);
    ~WriteIntent();  // the write is committed, or failed and was settled: the note is emptied
    WriteIntent(const WriteIntent&) = delete;
    WriteIntent& operator=(const WriteIntent&) = delete;

private:
    int fd_;
};

// Hands the note of every write of `kind` whose writer is gone to `recover`, and removes the note
// files of writers that are gone. A note whose recovery throws stays for the next process.
void recover_intents(const fs::path& notes_dir, std::string_view kind, const std::function<void(const std::string& note)>& recover);

// Test hook: with BRIX_TEST_CRASH_AT=<name> the process kills itself (SIGKILL) on reaching the
// point of that name, so the crash suite can stop a writer exactly where a random kill rarely lands.
void crash_point(std::string_view name);

}  // namespace brix::engine::store
