#pragma once
// Starts the executor of a new run, in one of three ways:
// - DetachedWorker: a worker process (this binary) in its own session; the caller returns at once.
// - AttachedWorker: a worker process bound to this one (it dies if this process is killed), for a
//   CLI that waits for the run; detach() lets it go on alone, e.g. after `--timeout`.
// - InProcess: a thread of this process (`brix serve`).

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace brix::engine::jobs {

enum class RunExecution { DetachedWorker, AttachedWorker, InProcess };

class RunLauncher {
public:
    RunLauncher(std::filesystem::path root, RunExecution mode) : root_(std::move(root)), mode_(mode) {}
    ~RunLauncher();  // reaps finished workers, detaches running ones, joins threads

    // Returns the worker process that will execute the run, or 0 when it is this process.
    pid_t launch(std::int64_t run_id);

private:
    pid_t spawn_worker(std::int64_t run_id, bool attached);

    struct Attached {
        pid_t pid;
        int ack_fd;
    };
    std::filesystem::path root_;
    RunExecution mode_;
    std::mutex mutex_;
    std::vector<Attached> attached_;
    std::vector<std::thread> threads_;
};

// The hidden entry point of worker processes:
// `brix __execute-run ROOT RUN_ID [--attached PARENT_PID | --from LAUNCHER_PID]`.
int run_worker(int argc, char** argv);

}  // namespace brix::engine::jobs
