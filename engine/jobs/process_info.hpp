#pragma once
// Telling a live process from a dead one whose pid was reused: a pid plus its start time.

#include <string>
#include <sys/types.h>

namespace brix::engine::jobs {

std::string process_start_time(pid_t pid);  // "" when there is no such process
bool process_alive(pid_t pid, const std::string& start_time);
// TERM to the process group, then KILL after `grace_ms` if anything is left.
void stop_process_group(pid_t group, int grace_ms);

}  // namespace brix::engine::jobs
