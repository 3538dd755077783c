#pragma once
// Flags the jobs and runs verbs share, so every verb takes both CLIs' spellings the same way:
// JOB_ID or --job-id, --json or --json-file, --wait or --no-wait.

#include <optional>
#include <string>

#include "commands/jobs/job_input.hpp"
#include "commands/jobs/request_bodies.hpp"

namespace CLI {
class App;
}
namespace brix::cli {
class Context;
}

namespace brix::commands::jobs {

struct IdArguments {
    std::optional<std::string> positional;  // JOB_ID / RUN_ID (new CLI)
    std::optional<std::string> flag;        // --job-id / --run-id (legacy CLI)
};
void add_id_arguments(CLI::App& verb, IdArguments& ids, IdKind kind);

void add_json_input(CLI::App& verb, JsonInput& input);

// The run-now parameter flags (--notebook-params, --job-parameters, ...), as run-now and repair take them.
void add_param_flags(CLI::App& verb, ParamValues& values);

// Legacy leaves take `--version 2.0|2.1` to pick the Jobs API version; brix always speaks 2.2,
// so the flag is accepted (scripts keep working) and ignored.
void add_legacy_api_version(CLI::App& verb);

struct WaitFlags {
    bool wait = false;
    bool no_wait = false;
    std::string timeout = "20m";
};
enum class WaitByDefault { Yes, No };
void add_wait_flags(CLI::App& verb, WaitFlags& flags, WaitByDefault by_default);
bool should_wait(const WaitFlags& flags, WaitByDefault by_default);  // UsageError for --wait --no-wait

// What -o json prints for a list: the items as one array (new CLI), or the API's response object
// (legacy `--output JSON`, spelled in capitals as the legacy docs do; `-o json` is lower-cased
// before parsing, so it never selects this).
enum class ListJson { Items, Response };
void add_legacy_output_flag(CLI::App& verb, cli::Context& context, ListJson& shape);

}  // namespace brix::commands::jobs
