#pragma once
// Jobs: settings stored verbatim (after 2.0 normalisation) as the REST API defines them. The
// routes decide the API version: create and reset take settings already in the multi-task form
// (jobs_2_0.hpp); `jobs_2_0` shows single-task jobs in the 2.0 shape and lets a 2.0 update change
// the one task's fields.

#include <cstdint>
#include <optional>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::jobs {

class JobsService {
public:
    explicit JobsService(store::EngineRoot& root) : root_(root) {}

    std::int64_t create(api::Json settings);
    api::Json get(std::int64_t job_id, bool jobs_2_0 = false);
    std::optional<api::Json> find_settings(std::int64_t job_id);
    api::Json list(std::optional<std::string> name, std::int64_t limit, std::int64_t offset, bool expand_tasks,
                   bool jobs_2_0 = false);
    void reset(std::int64_t job_id, api::Json settings);
    void update(std::int64_t job_id, api::Json new_settings, const api::Json& fields_to_remove, bool jobs_2_0 = false);
    void remove(std::int64_t job_id);

private:
    api::Json require_settings(std::int64_t job_id);
    void store(std::int64_t job_id, const api::Json& settings);
    store::EngineRoot& root_;
};

api::ApiError job_not_found(std::int64_t job_id);

}  // namespace brix::engine::jobs
