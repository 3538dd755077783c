// `brix api get|head|post|put|patch|delete PATH [--json JSON|@file|-]`: any request to the
// Databricks REST API through the active backend (the profile's auth, retries and --debug; on
// the local engine, every engine route), the answer printed as JSON, as the Go CLI's
// `databricks api` does. Errors exit as for every other command (3 not found, 4 auth, ...).
#include <CLI/CLI.hpp>

#include <memory>
#include <optional>

#include "api/json_body.hpp"
#include "api/streams.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/strings.hpp"
#include "commands/api_command/raw_request.hpp"
#include "commands/commands.hpp"
#include "commands/jobs/job_input.hpp"
#include "commands/local_files.hpp"

namespace brix::commands {
namespace api_command {
namespace {

using api::Method;

struct ApiCallOptions {
    std::string path;
    std::optional<std::string> json;
};

// The --json text: inline, @file or - (stdin).
std::string payload_text(const std::string& value) {
    if (value == "-") return jobs::read_all_stdin();
    if (!value.empty() && value.front() == '@') return read_local_file(value.substr(1));
    return value;
}

api::Json payload_json(const std::string& value) {
    if (value.empty()) throw cli::UsageError("--json is empty: give inline JSON, @FILE (JSON or YAML) or - for stdin");
    if (value == "-" || value.front() == '@')
        return jobs::parse_json_or_yaml(payload_text(value), value == "-" ? "stdin" : value.substr(1));
    try {
        return api::parse_json(value);
    } catch (const api::Json::parse_error&) {
        throw cli::UsageError("invalid JSON in --json (to read a file, write --json @FILE)");
    }
}

void run_call(cli::Context& context, Method method, const ApiCallOptions& options) {
    auto probe = parse_path(method, options.path);
    if (is_raw_upload(probe)) {
        // The Files API and workspace-files take the bytes themselves, not JSON.
        api::StringSource body(options.json ? payload_text(*options.json) : std::string());
        return cli::print_json(context.api().upload(probe, body));
    }
    std::optional<api::Json> json;
    if (options.json) json = payload_json(*options.json);
    auto request = raw_request(method, options.path, json);
    if (is_raw_download(request)) {
        cli::StdoutSink out;
        return context.api().download(request, out);
    }
    cli::print_json(context.api().call(request));
}

void add_method(CLI::App& group, cli::Context& context, Method method, const std::string& example) {
    std::string name(api::method_name(method));
    auto options = std::make_shared<ApiCallOptions>();
    auto* verb = group.add_subcommand(cli::lower_case(name), "Send a " + name + " request and print the answer");
    verb->add_option("PATH", options->path, "The API path, with a query string if needed: /api/2.0/clusters/get?cluster_id=1")
        ->required();
    verb->add_option("--json", options->json,
                     "The request body: inline JSON, @file (JSON or YAML) or - for stdin; for GET, HEAD and DELETE its "
                     "fields become query parameters")
        ->option_text("<json>");
    verb->footer("Example:\n  " + example);
    verb->callback([&context, method, options] { run_call(context, method, *options); });
}

}  // namespace
}  // namespace api_command

void add_api_commands(CLI::App& app, cli::Context& context) {
    auto* group = app.add_subcommand("api", "Send any request to the Databricks REST API");
    group->footer(
        "Goes through the active backend: the profile's host and auth, retries and --debug; on the local engine,\n"
        "every route the engine serves. The answer is printed as JSON; errors exit 3 (not found), 4 (auth) or 1.\n"
        "Examples:\n"
        "  brix api get /api/2.0/clusters/list\n"
        "  brix api get /api/2.2/jobs/get --json '{\"job_id\": 123}'\n"
        "  brix api post /api/2.2/jobs/run-now --json @run.json");
    using api_command::add_method;
    add_method(*group, context, api::Method::Get, "brix api get /api/2.0/workspace/list?path=/Shared");
    add_method(*group, context, api::Method::Head, "brix api head /api/2.0/fs/files/Volumes/main/default/vol/data.csv");
    add_method(*group, context, api::Method::Post, "brix api post /api/2.0/workspace/mkdirs --json '{\"path\": \"/Shared/new\"}'");
    add_method(*group, context, api::Method::Put, "brix api put /api/2.0/permissions/jobs/123 --json @acl.json");
    add_method(*group, context, api::Method::Patch, "brix api patch /api/2.0/workspace-conf --json '{\"enableIpAccessLists\": \"true\"}'");
    add_method(*group, context, api::Method::Delete, "brix api delete /api/2.0/repos/42");
}

}  // namespace brix::commands
