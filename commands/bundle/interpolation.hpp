#pragma once
// ${...} references: ${var.x}, ${bundle.name}, ${workspace.root_path}, ${resources.jobs.k.name},
// any path into the resolved document. A string that is exactly one reference takes the
// referenced value with its type (a number stays a number); references inside longer text are
// replaced by their text. `{{job.parameters.x}}` (double braces) is the Jobs API's and stays.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api.hpp"

namespace brix::commands::bundle {

// The references in a string, without ${ and }: "x ${var.a} ${bundle.name}" -> var.a, bundle.name.
std::vector<std::string> references_in(std::string_view text);

// The value at a dotted path ("workspace.root_path", "resources.jobs.etl.tasks[0].task_key");
// "var.x" reads variables.x.value. nullptr when there is none.
const api::Json* find_reference(const api::Json& document, std::string_view reference);

struct UnresolvedReference {
    std::string reference;  // var.nope
    std::string where;      // resources.jobs.etl.tasks[0].spark_python_task.parameters[1]
    std::string problem;    // "does not exist", "refers to itself", ...
};

// References `deferred` says yes to are left for later (deploy knows job IDs only as it goes).
using DeferredReference = std::function<bool(const std::string& reference)>;

// Substitutes references in `document` from `document` itself, until none is left that can be;
// returns those that cannot.
std::vector<UnresolvedReference> substitute_references(api::Json& document, const DeferredReference& deferred);

// Substitutes the given values ({"resources.jobs.etl.id": 12}) in one value, e.g. a job's settings.
void substitute_values(api::Json& value, const std::function<const api::Json*(const std::string&)>& lookup);

}  // namespace brix::commands::bundle
