#pragma once
// for_each_task: its settings checked, its inputs read, and the task each iteration runs.

#include <cstdint>
#include <string>

#include "api/api.hpp"

namespace brix::engine::jobs {

// inputs (a string), task (one nested task) and concurrency (1 to 100): throws
// INVALID_PARAMETER_VALUE naming the task. The nested task's own fields are checked as any task's.
void check_for_each_settings(const api::Json& for_each, const std::string& key);

// How many iterations may run at once (1 unless set).
std::int64_t for_each_concurrency(const api::Json& for_each);

// The inputs once their references are resolved: a JSON array, or INVALID_PARAMETER_VALUE that
// says what came instead.
api::Json parse_for_each_inputs(const std::string& resolved);

// The task one iteration runs: the nested task with {{input}} (and {{input.field}}) replaced in
// every string of its settings. An iteration has no dependencies of its own.
api::Json iteration_task(const api::Json& nested, const api::Json& input);

}  // namespace brix::engine::jobs
