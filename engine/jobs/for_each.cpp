#include "engine/jobs/for_each.hpp"

#include "engine/jobs/references.hpp"

namespace brix::engine::jobs {
namespace {

using api::Json;

// Databricks' limits: a literal inputs array of at most 10,000 characters (48 KB when it comes
// from a task value), and at most 100 iterations at once.
constexpr std::size_t kMaxLiteralInputs = 10000;
constexpr std::size_t kMaxResolvedInputs = 48 * 1024;
constexpr std::int64_t kMaxConcurrency = 100;

Json substitute_strings(const Json& value, const Json& input) {
    if (value.is_string()) return substitute_input(value.get<std::string>(), input);
    if (!value.is_structured()) return value;
    auto copy = value;
    for (auto& item : copy) item = substitute_strings(item, input);
    return copy;
}

}  // namespace

void check_for_each_settings(const Json& for_each, const std::string& key) {
    auto where = "Task " + key + ": for_each_task.";
    if (!for_each.is_object()) throw api::invalid_parameter("Task " + key + ": for_each_task must be an object");
    if (!for_each.contains("inputs") || !for_each["inputs"].is_string() || for_each["inputs"].get<std::string>().empty())
        throw api::invalid_parameter(where + "inputs is required: a JSON array as a string, or a reference such as "
                                             "{{job.parameters.items}} or {{tasks.a.values.items}}");
    const auto& inputs = for_each["inputs"].get<std::string>();
    if (inputs.find("{{") == std::string::npos) {
        if (inputs.size() > kMaxLiteralInputs) throw api::invalid_parameter(where + "inputs is longer than 10,000 characters");
        parse_for_each_inputs(inputs);
    }
    if (!for_each.contains("task") || !for_each["task"].is_object())
        throw api::invalid_parameter(where + "task is required: the task each iteration runs");
    if (for_each["task"].contains("for_each_task"))
        throw api::invalid_parameter(where + "task cannot be another for_each_task");
    if (for_each.contains("concurrency") && !for_each["concurrency"].is_null()) {
        const auto& concurrency = for_each["concurrency"];
        if (!concurrency.is_number_integer() || concurrency.get<std::int64_t>() < 1 || concurrency.get<std::int64_t>() > kMaxConcurrency)
            throw api::invalid_parameter(where + "concurrency must be an integer from 1 to 100");
    }
}

std::int64_t for_each_concurrency(const Json& for_each) {
    auto found = for_each.find("concurrency");
    return found != for_each.end() && found->is_number_integer() ? std::max<std::int64_t>(1, found->get<std::int64_t>()) : 1;
}

Json parse_for_each_inputs(const std::string& resolved) {
    if (resolved.size() > kMaxResolvedInputs)
        throw api::invalid_parameter("for_each_task inputs are larger than 48 KB (" + std::to_string(resolved.size()) + " bytes)");
    auto inputs = Json::parse(resolved, nullptr, false);
    if (inputs.is_discarded() || !inputs.is_array()) {
        auto shown = resolved.size() > 200 ? resolved.substr(0, 200) + "..." : resolved;
        throw api::invalid_parameter("for_each_task inputs must be a JSON array, got: " + shown);
    }
    return inputs;
}

Json iteration_task(const Json& nested, const Json& input) {
    auto task = substitute_strings(nested, input);
    task.erase("depends_on");
    task.erase("run_if");
    return task;
}

}  // namespace brix::engine::jobs
