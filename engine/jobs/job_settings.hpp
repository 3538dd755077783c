#pragma once
// Job settings as stored: checked strictly (task keys, types, dependencies, files), stored
// verbatim otherwise (Jobs API 2.0 single-task settings become one task: jobs_2_0.hpp).

#include <string>
#include <vector>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::jobs {

// The task-type fields a task may carry; exactly one per task.
const std::vector<std::string>& task_types();
std::string task_type_of(const api::Json& task);

// Throws INVALID_PARAMETER_VALUE with a message naming the task and the problem.
void validate_settings(store::EngineRoot& root, const api::Json& settings);

// Task keys in an order where every task comes after its dependencies.
std::vector<std::string> topological_order(const api::Json& tasks);

}  // namespace brix::engine::jobs
