#pragma once
// The DAG of one job run. All database access stays on the scheduler's thread (one SQLite
// connection); task processes are waited for on their own threads, which report back through
// a queue of events. A for_each_task's iterations are scheduled like tasks of their own, at most
// its concurrency at once. A repaired run starts with the tasks it keeps already done.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/jobs/run_store.hpp"
#include "engine/jobs/task_prep.hpp"
#include "engine/jobs/task_process.hpp"

namespace brix::engine::jobs {

class Scheduler {
public:
    Scheduler(store::EngineRoot& root, RunStore& store, std::int64_t run_id);
    ~Scheduler();
    void run();

private:
    enum class Phase { Waiting, Running, Done };
    struct Task {
        api::Json spec;
        std::string key;
        RunRow row;  // the current attempt
        Phase phase = Phase::Waiting;
        std::string result;
        std::int64_t not_before_ms = 0;  // retry interval
        std::int64_t child_run_id = 0;   // run_job_task
        std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
        std::thread thread;
        Task* for_each = nullptr;     // an iteration: the for-each task it belongs to
        std::vector<Task*> iterations;  // a for-each task: its iterations, in input order
    };
    struct Event {
        Task* task = nullptr;
        bool started = false;
        pid_t pid = 0;
        ProcessResult process;
        std::int64_t child_run_id = 0;
        std::optional<std::string> child_result;  // run_job_task: the child run's result
        std::string child_message;
    };

    void start_ready_tasks();
    bool may_start(const Task& task) const;
    std::optional<std::string> skip_reason(const Task& task, std::string& message) const;
    void start(Task& task);
    void run_condition(Task& task);
    void start_child_job(Task& task);
    void start_for_each(Task& task);
    void add_iteration(Task& for_each, const api::Json& input);
    bool settle_for_each(Task& task);
    void handle(const Event& event);
    void finish(Task& task, const std::string& result, const std::string& message, api::Json output = api::Json::object());
    void end_early(const std::string& result, const std::string& message);
    void finish_run();
    std::optional<std::string> reference(const Task& task, const std::string& name);
    void post(Event event);

    store::EngineRoot& root_;
    RunStore& store_;
    RunRow run_;
    RunContext context_;
    std::vector<std::unique_ptr<Task>> tasks_;  // the job's tasks, then iterations as for-each tasks start
    std::map<std::string, Task*> by_key_;       // the job's tasks
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Event> events_;
    int running_ = 0;  // task processes and child runs going on
    std::int64_t started_ms_ = 0;  // when this execution began (a repair keeps the run's first start_time)
    bool canceled_ = false;
    bool timed_out_ = false;
};

}  // namespace brix::engine::jobs
