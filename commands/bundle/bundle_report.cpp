// What validate and summary print about a bundle.
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/bundle/bundle_verbs.hpp"
#include "commands/bundle/deploy_state.hpp"

namespace brix::commands::bundle {
namespace {

// A job's page in the workspace; the local engine has no web pages.
std::string job_url(const Bundle& bundle, std::int64_t job_id) {
    if (bundle.host.starts_with("local:")) return "";
    return bundle.host + "/jobs/" + std::to_string(job_id);
}

std::string text(const api::Json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

}  // namespace

Bundle load_checked_bundle(cli::Context& context, const LoadOptions& options) {
    Diagnostics diagnostics;
    auto bundle = load_bundle(context, options, diagnostics);
    report_diagnostics(diagnostics);
    return bundle;
}

void print_bundle_header(const Bundle& bundle) {
    cli::print_line("Name: " + bundle.name);
    cli::print_line("Target: " + bundle.target);
    cli::print_line("Workspace:");
    cli::print_line("  Host: " + bundle.host);
    cli::print_line("  User: " + bundle.user);
    cli::print_line("  Path: " + bundle.root_path);
}

void print_summary(cli::Context& context, const Bundle& bundle) {
    auto state = read_state(context.api(), bundle);
    api::Json jobs = api::Json::object();
    for (const auto& [key, job] : bundle.jobs().items()) {
        api::Json entry{{"name", text(job, "name")}};
        if (auto deployed = state.jobs.find(key); deployed != state.jobs.end()) {
            entry["id"] = deployed->second.job_id;
            if (auto url = job_url(bundle, deployed->second.job_id); !url.empty()) entry["url"] = url;
        }
        jobs[key] = entry;
    }
    if (context.output_mode() == cli::OutputMode::Json)
        return cli::print_json({{"name", bundle.name},
                                {"target", bundle.target},
                                {"host", bundle.host},
                                {"user", bundle.user},
                                {"root_path", bundle.root_path},
                                {"deployed", state.source != StateSource::None},
                                {"resources", {{"jobs", jobs}}}});
    print_bundle_header(bundle);
    cli::print_line("Resources:");
    cli::print_line("  Jobs:");
    for (const auto& [key, job] : jobs.items()) {
        cli::print_line("    " + key + ":");
        cli::print_line("      Name: " + job.value("name", ""));
        cli::print_line("      ID: " + (job.contains("id") ? job["id"].dump() : std::string("(not deployed)")));
        if (job.contains("url")) cli::print_line("      URL: " + job["url"].get<std::string>());
    }
}

}  // namespace brix::commands::bundle
