#pragma once
// Jobs: settings stored verbatim (after 2.0 normalisation) as the REST API defines them.

#include <cstdint>
#include <optional>

#include "api/api.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::jobs {

class JobsService {
public:
    explicit JobsService(store::EngineRoot& root) : root_(root) {}

    std::int64_t create(api::Json settings);
    api::Json get(std::int64_t job_id);
    std::optional<api::Json> find_settings(std::int64_t job_id);
    api::Json list(std::optional<std::string> name, std::int64_t limit, std::int64_t offset, bool expand_tasks);
    void reset(std::int64_t job_id, api::Json settings);
    void update(std::int64_t job_id, const api::Json& new_settings, const api::Json& fields_to_remove);
    void remove(std::int64_t job_id);

private:
    api::Json require_settings(std::int64_t job_id);
    void store(std::int64_t job_id, const api::Json& settings);
    store::EngineRoot& root_;
};

api::ApiError job_not_found(std::int64_t job_id);

}  // namespace brix::engine::jobs
