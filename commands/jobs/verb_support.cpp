#include "commands/jobs/verb_support.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>

#include "cli/context.hpp"

namespace brix::commands::jobs {

void add_id_arguments(CLI::App& verb, IdArguments& ids, IdKind kind) {
    bool job = kind == IdKind::Job;
    verb.add_option(job ? "JOB_ID" : "RUN_ID", ids.positional, job ? "The job's ID" : "The run's ID");
    verb.add_option(job ? "--job-id" : "--run-id", ids.flag,
                    job ? "The job's ID (legacy spelling of JOB_ID)" : "The run's ID (legacy spelling of RUN_ID)");
}

void add_json_input(CLI::App& verb, JsonInput& input) {
    verb.add_option("--json", input.json, "Inline JSON, @FILE (JSON or YAML), or - for stdin");
    verb.add_option("--json-file", input.json_file, "A JSON or YAML file, or - for stdin (legacy)");
}

void add_param_flags(CLI::App& verb, ParamValues& values) {
    for (std::size_t i = 0; i < kRunNowParams.size(); ++i) {
        const auto& param = kRunNowParams[i];
        auto what = param.shape == ParamShape::StringMap ? "JSON object of strings, sent as " : "JSON array of strings, sent as ";
        verb.add_option(param.flag, values[i], std::string(what) + param.key);
    }
}

void add_legacy_api_version(CLI::App& verb) {
    verb.add_option_function<std::string>("--version", [](const std::string&) {}, "Ignored: brix always uses Jobs API 2.2")
        ->expected(0, 1)
        ->group("");
}

void add_wait_flags(CLI::App& verb, WaitFlags& flags, WaitByDefault by_default) {
    bool waits = by_default == WaitByDefault::Yes;
    verb.add_flag("--wait", flags.wait, waits ? "Wait for the run to end (the default)" : "Wait for the run to end");
    verb.add_flag("--no-wait", flags.no_wait, waits ? "Return at once instead of waiting for the run" : "Return at once (the default)");
    verb.add_option("--timeout", flags.timeout, "Longest wait, as a duration: 90s, 20m, 1h30m; 0 = no limit (default 20m)");
}

bool should_wait(const WaitFlags& flags, WaitByDefault by_default) {
    if (flags.wait && flags.no_wait) throw cli::UsageError("--wait and --no-wait cannot be combined");
    if (flags.wait || flags.no_wait) return flags.wait;
    return by_default == WaitByDefault::Yes;
}

void add_legacy_output_flag(CLI::App& verb, cli::Context& context, ListJson& shape) {
    verb.add_option_function<std::string>(
        "--output",
        [&context, &shape](const std::string& value) {
            auto lower = value;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (lower != "json" && lower != "text" && lower != "table")
                throw CLI::ValidationError("--output", "must be json or text (legacy: JSON or TABLE), not " + value);
            context.options.output = lower == "json" ? "json" : "text";
            shape = lower == "json" && value != lower ? ListJson::Response : ListJson::Items;
        },
        "Output format: text or json; the legacy spelling JSON prints the API's response object");
}

}  // namespace brix::commands::jobs
