#include "engine/jobs/executor.hpp"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "engine/jobs/process_info.hpp"
#include "engine/jobs/run_store.hpp"
#include "engine/jobs/scheduler.hpp"
#include "engine/jobs/service.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

// Marks this process as the run's executor unless a live one already is. `handed_from` is the
// process that started this one to execute the run: the run names it until the handover.
bool claim(store::EngineRoot& root, RunStore& store, std::int64_t run_id, pid_t handed_from) {
    bool claimed = false;
    auto me = ::getpid();
    auto started = process_start_time(me);
    root.db().write_transaction([&] {
        auto run = store.require(run_id);
        if (run.terminal()) return;
        if (run.executor_pid && run.executor_pid != me && run.executor_pid != handed_from &&
            process_alive(static_cast<pid_t>(run.executor_pid), run.executor_started))
            return;
        root.db()
            .prepare("UPDATE runs SET executor_pid = ?, executor_started = ? WHERE run_id = ?")
            .bind(1, std::int64_t{me})
            .bind(2, started)
            .bind(3, run_id)
            .run();
        claimed = true;
    });
    return claimed;
}

// A queued run starts when it is the job's oldest queued run and a slot is free. Runs whose
// executor died are ended on the way, so they never hold a slot forever.
bool wait_for_slot(store::EngineRoot& root, RunStore& store, std::int64_t run_id) {
    for (int round = 0;; ++round) {
        auto run = store.require(run_id);
        if (run.life_cycle_state != "QUEUED") return run.life_cycle_state == "PENDING";
        if (run.cancel_requested) {
            // The run and its tasks (still PENDING, they never started) end together.
            root.db().write_transaction([&] {
                root.db()
                    .prepare("UPDATE runs SET life_cycle_state = 'TERMINATED', result_state = 'CANCELED', "
                             "state_message = 'Run canceled while queued', end_time = ? WHERE (run_id = ? OR parent_run_id = ?) "
                             "AND life_cycle_state IN ('QUEUED', 'PENDING')")
                    .bind(1, store::now_ms())
                    .bind(2, run_id)
                    .bind(3, run_id)
                    .run();
            });
            return false;
        }
        if (round % 20 == 0) {
            auto active = root.db().prepare(
                "SELECT run_id FROM runs WHERE job_id = ? AND parent_run_id IS NULL AND life_cycle_state IN "
                "('PENDING', 'RUNNING', 'TERMINATING')");
            active.bind(1, run.job_id);
            std::vector<std::int64_t> ids;
            while (active.step()) ids.push_back(active.integer(0));
            for (auto id : ids) {
                auto other = store.require(id);
                store.recover_if_orphaned(other);
            }
        }
        bool promoted = false;
        root.db().write_transaction([&] {
            auto limit = run.settings.value("max_concurrent_runs", std::int64_t{1});
            auto stmt = root.db().prepare(
                "SELECT (SELECT count(*) FROM runs WHERE job_id = ?1 AND parent_run_id IS NULL AND life_cycle_state IN "
                "('PENDING', 'RUNNING', 'TERMINATING')), (SELECT min(run_id) FROM runs WHERE job_id = ?1 AND "
                "parent_run_id IS NULL AND life_cycle_state = 'QUEUED')");
            stmt.bind(1, run.job_id);
            stmt.step();
            if (stmt.integer(0) < limit && stmt.integer(1) == run_id) {
                root.db()
                    .prepare("UPDATE runs SET life_cycle_state = 'PENDING', state_message = '' WHERE run_id = ?")
                    .bind(1, run_id)
                    .run();
                promoted = true;
            }
        });
        if (promoted) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25 + (::getpid() + round) % 25));
    }
}

}  // namespace

void execute_run(const std::filesystem::path& root_path, std::int64_t run_id, pid_t handed_from) {
    store::EngineRoot root(root_path);
    RunStore store(root);
    if (!claim(root, store, run_id, handed_from)) return;
    try {
        if (!wait_for_slot(root, store, run_id)) return;
        Scheduler(root, store, run_id).run();
    } catch (const std::exception& error) {
        // Whatever stopped the executor, the run must not stay active behind a live process
        // (`brix serve` executes runs in threads: it would never count as a dead executor).
        store.abort(run_id, std::string("The run's executor failed: ") + error.what());
    }
}

}  // namespace brix::engine::jobs
