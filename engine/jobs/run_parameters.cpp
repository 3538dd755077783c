#include "engine/jobs/run_parameters.hpp"

#include <set>

namespace brix::engine::jobs {
namespace {

using api::Json;

constexpr std::size_t kMaxLegacyParamsBytes = 10000;

void check_string_map(const Json& body, const char* field) {
    if (!body.contains(field) || body[field].is_null()) return;
    if (!body[field].is_object()) throw api::invalid_parameter(std::string(field) + " must be an object of strings");
    for (const auto& [key, value] : body[field].items())
        if (!value.is_string()) throw api::invalid_parameter(std::string(field) + "." + key + " must be a string");
}

void check_string_list(const Json& body, const char* field) {
    if (!body.contains(field) || body[field].is_null()) return;
    if (!body[field].is_array()) throw api::invalid_parameter(std::string(field) + " must be a list of strings");
    for (const auto& value : body[field])
        if (!value.is_string()) throw api::invalid_parameter(std::string(field) + " must be a list of strings");
    if (body[field].dump().size() > kMaxLegacyParamsBytes)
        throw api::invalid_parameter(std::string(field) + " is larger than 10,000 bytes");
}

}  // namespace

Json overriding_parameters(const Json& body, const Json& settings) {
    Json overriding = Json::object();
    for (const char* field : {"notebook_params", "python_named_params", "sql_params", "job_parameters"}) check_string_map(body, field);
    for (const char* field : {"python_params", "jar_params", "spark_submit_params", "dbt_commands"}) check_string_list(body, field);
    if (body.contains("notebook_params") && body.contains("jar_params"))
        throw api::invalid_parameter("notebook_params cannot be combined with jar_params");
    for (const char* field : {"notebook_params", "python_params", "jar_params", "python_named_params", "spark_submit_params",
                              "sql_params", "job_parameters", "dbt_commands"})
        if (body.contains(field) && !body[field].is_null()) overriding[field] = body[field];
    if (overriding.contains("job_parameters")) {
        std::set<std::string> defined;
        for (const auto& parameter : settings.value("parameters", Json::array())) defined.insert(parameter.value("name", ""));
        for (const auto& [name, value] : overriding["job_parameters"].items())
            if (!defined.count(name))
                throw api::invalid_parameter("Job parameter '" + name + "' is not defined in the job settings");
    }
    return overriding;
}

}  // namespace brix::engine::jobs
