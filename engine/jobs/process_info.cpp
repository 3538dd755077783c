#include "engine/jobs/process_info.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace brix::engine::jobs {

std::string process_start_time(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return "";
    // The command name (field 2) may contain spaces; fields after it are counted from the ')'.
    auto close = line.rfind(')');
    if (close == std::string::npos) return "";
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    for (int index = 3; fields >> field; ++index) {
        if (index == 3 && field == "Z") return "";  // a zombie is as good as dead
        if (index == 22) return field;
    }
    return "";
}

bool process_alive(pid_t pid, const std::string& start_time) {
    return pid > 0 && !start_time.empty() && process_start_time(pid) == start_time;
}

void stop_process_group(pid_t group, int grace_ms) {
    if (group <= 0 || ::kill(-group, SIGTERM) != 0) return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (::kill(-group, 0) != 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-group, SIGKILL);
    // Give the kernel a moment to take them down, so whoever asked sees them gone.
    for (int i = 0; i < 50 && ::kill(-group, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace brix::engine::jobs
