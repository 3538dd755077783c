#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/time.h>

#include "engine/jobs/launcher.hpp"
#include "tests/unit/test_support.hpp"

using brix::engine::jobs::RunLauncher;

namespace {

// A timer signal every 100 µs whose handler does not restart system calls, as libFuzzer's alarm
// and a progress display's timer do; restored when the scope ends.
class SignalStorm {
public:
    SignalStorm() {
        struct sigaction action {};
        action.sa_handler = [](int) {};
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;  // no SA_RESTART
        ::sigaction(SIGALRM, &action, &previous_);
        itimerval every{{0, 100}, {0, 100}};
        ::setitimer(ITIMER_REAL, &every, nullptr);
    }
    ~SignalStorm() {
        itimerval off{};
        ::setitimer(ITIMER_REAL, &off, nullptr);
        ::sigaction(SIGALRM, &previous_, nullptr);
    }

private:
    struct sigaction previous_ {};
};

}  // namespace

// Found by fuzz_router: an interrupted read of the worker's pid made a started run's launch throw
// "cannot start a run worker" (a std::runtime_error, which LocalApi must never let out).
TEST_CASE("a detached run worker starts even while signals interrupt the launcher") {
    brix::test::TempDir root;
    RunLauncher launcher(root.path, brix::engine::jobs::RunExecution::DetachedWorker);
    SignalStorm storm;
    // The worker is this test binary, which finds no test named "__execute-run" and exits.
    for (int i = 0; i < 100; ++i) CHECK(launcher.launch(1000 + i) > 0);
}
