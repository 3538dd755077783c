#pragma once
// Pre-forked task interpreters: a warm `python -m brix_runtime.fork_server` per distinct start-up
// (interpreter, start-up variables, engine root and file-system mode), per engine process, that
// forks each Python task instead of a fresh interpreter starting. The first Python task of a kind
// is started as before; the second starts the warm interpreter, through the same start path as a
// task (so inside the task mount namespace), and it and the tasks after it are forked (fork_server.py says how the child
// becomes exactly what a fresh start would be). One connection per task: a socketpair whose other
// end goes to the server with the task's log. The engine keeps its cancel and timeout logic (the
// child leads its own process group) and gets the wait status and rusage from the server.
//
// Whenever the server cannot be used (it declines the argv or environment, failed to start, or is
// gone) the caller starts the task itself. BRIX_PREFORK=0 in the engine's environment turns it off.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include <sys/types.h>

#include "engine/jobs/task_process.hpp"
#include "engine/jobs/task_start.hpp"

namespace brix::engine::jobs {

bool prefork_enabled();

// Runs the launch forked from its warm interpreter, to its end. Nullopt when it was not started
// that way (the caller starts it itself); otherwise the result, with start = "forked".
std::optional<ProcessResult> run_forked(const ChildLaunch& launch, int log, std::int64_t timeout_ms,
                                        const std::atomic<bool>& cancel, const std::function<void(pid_t)>& on_start);

}  // namespace brix::engine::jobs
