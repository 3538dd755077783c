#pragma once
// Executes one job run to its end: waits for a slot when the job is at max_concurrent_runs,
// starts tasks whose dependencies are met (depends_on, outcome, run_if) up to the parallelism
// limit, retries, times out, cancels, and rolls the task results up into the run's result.

#include <cstdint>
#include <filesystem>

#include <sys/types.h>

namespace brix::engine::jobs {

// Returns when the run is terminal, or at once when another live process already executes it.
// `handed_from` is the process that launched this one for the run (0: none, or this process).
void execute_run(const std::filesystem::path& root, std::int64_t run_id, pid_t handed_from = 0);

}  // namespace brix::engine::jobs
