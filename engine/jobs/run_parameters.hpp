#pragma once
// The parameter fields run-now and runs/repair take (job_parameters, notebook_params,
// python_params, ...): checked as Databricks checks them and kept as the run's
// `overriding_parameters`.

#include "api/api.hpp"

namespace brix::engine::jobs {

// The parameter fields of `body`, checked against the job's `settings` (a job parameter must be
// defined there). Throws INVALID_PARAMETER_VALUE.
api::Json overriding_parameters(const api::Json& body, const api::Json& settings);

}  // namespace brix::engine::jobs
