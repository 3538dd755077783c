#pragma once
// A note that a write is under way, for the writes a crash could leave half-done: a file already
// renamed into place whose database row is not yet committed. The writer keeps the note in the
// root's tmp/ folder (intent-<kind>-*), locked, from before the rename until after the commit. A
// note that nobody holds locked any more belongs to a writer that died in between (the kernel
// drops a killed process's locks, in any PID namespace); the next process to open the root
// finishes or undoes that write through recover_intents.

#include <functional>
#include <string>
#include <string_view>

#include "engine/store/engine_root.hpp"

namespace brix::engine::store {

class WriteIntent {
public:
    // Writes and locks tmp/intent-<kind>-<unique> holding `note`.
    WriteIntent(const fs::path& tmp_dir, std::string_view kind, std::string_view note);
    ~WriteIntent();  // the write is committed, or failed and was settled: the note goes
    WriteIntent(const WriteIntent&) = delete;
    WriteIntent& operator=(const WriteIntent&) = delete;

private:
    fs::path path_;
    int fd_ = -1;
};

// Hands the note of every write of `kind` whose writer is gone to `recover`, then removes the
// note file. A note whose recovery throws stays for the next process.
void recover_intents(const fs::path& tmp_dir, std::string_view kind, const std::function<void(const std::string& note)>& recover);

// Test hook: with BRIX_TEST_CRASH_AT=<name> the process kills itself (SIGKILL) on reaching the
// point of that name, so the crash suite can stop a writer exactly where a random kill rarely lands.
void crash_point(std::string_view name);

}  // namespace brix::engine::store
