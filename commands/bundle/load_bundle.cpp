// Loading a bundle, step by step: files, checks, target, workspace, variables, references, files
// to upload, task paths, development mode. Every step reports into the same Diagnostics, so one
// `validate` shows every problem at once.
#include <cstdio>
#include <regex>
#include <set>
#include <utility>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/bundle/bundle_config.hpp"
#include "commands/bundle/bundle_files.hpp"
#include "commands/bundle/config_checks.hpp"
#include "commands/bundle/config_files.hpp"
#include "commands/bundle/interpolation.hpp"
#include "commands/bundle/targets.hpp"
#include "commands/bundle/task_paths.hpp"
#include "commands/bundle/variables.hpp"
#include "commands/bundle/workspace_binding.hpp"

namespace brix::commands::bundle {
namespace fs = std::filesystem;
namespace {

api::Json& section(api::Json& document, const char* key) {
    if (!document.contains(key) || !document[key].is_object()) document[key] = api::Json::object();
    return document[key];
}

std::string text(const api::Json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

// What ${bundle.*} and ${workspace.*} read, with the Databricks CLI's default paths.
void fill_defaults(api::Json& document, const std::string& target, const CurrentUser& user, const std::string& host) {
    auto& bundle = section(document, "bundle");
    bundle["target"] = target;
    bundle["environment"] = target;  // the old name, still used in references
    auto& workspace = section(document, "workspace");
    workspace["host"] = host;
    workspace["current_user"] = {{"userName", user.user_name}, {"short_name", user.short_name}};
    if (!workspace.contains("root_path"))
        workspace["root_path"] = "/Workspace/Users/${workspace.current_user.userName}/.bundle/${bundle.name}/${bundle.target}";
    if (!workspace.contains("file_path")) workspace["file_path"] = "${workspace.root_path}/files";
    if (!workspace.contains("state_path")) workspace["state_path"] = "${workspace.root_path}/state";
    if (!workspace.contains("artifact_path")) workspace["artifact_path"] = "${workspace.root_path}/artifacts";
    if (!workspace.contains("resource_path")) workspace["resource_path"] = "${workspace.root_path}/resources";
}

// ${resources.jobs.<key>.id} exists only once deploy has created the job.
DeferredReference job_id_references(const api::Json& document) {
    static const std::regex job_id(R"(resources\.jobs\.([A-Za-z0-9_-]+)\.id)");
    std::set<std::string> keys;
    if (document.contains("resources") && document["resources"].is_object() && document["resources"].contains("jobs") &&
        document["resources"]["jobs"].is_object())
        for (const auto& [key, unused] : document["resources"]["jobs"].items()) keys.insert(key);
    return [keys](const std::string& reference) {
        std::smatch match;
        return std::regex_match(reference, match, job_id) && keys.count(match[1].str()) > 0;
    };
}

void report_unresolved(const std::vector<UnresolvedReference>& unresolved, Diagnostics& diagnostics) {
    for (const auto& problem : unresolved) {
        auto place = problem.where.empty() ? "" : " (in " + problem.where + ")";
        if (problem.reference.starts_with("var.") && problem.problem == "does not exist")
            diagnostics.error("unknown variable " + problem.reference.substr(4) + ": ${" + problem.reference + "}" + place +
                              " refers to a variable not declared under variables");
        else
            diagnostics.error("reference ${" + problem.reference + "}" + place + " " + problem.problem);
    }
}

// Workspace folders as the Databricks CLI writes them: absolute, under /Workspace, "~" = home.
std::string workspace_path(const api::Json& workspace, const char* key, const CurrentUser& user, Diagnostics& diagnostics) {
    auto path = text(workspace, key);
    if (path.starts_with("~/")) path = "/Workspace/Users/" + user.user_name + path.substr(1);
    if (!path.starts_with("/")) {
        diagnostics.error(std::string("workspace.") + key + " must be an absolute workspace path, not \"" + path + "\"");
        return path;
    }
    while (path.size() > 1 && path.ends_with("/")) path.pop_back();
    if (!path.starts_with("/Workspace/") && path != "/Workspace" && !path.starts_with("/Volumes/")) path = "/Workspace" + path;
    return path;
}

std::vector<std::string> string_list(const api::Json& sync, const char* key) {
    std::vector<std::string> items;
    if (sync.is_object() && sync.contains(key) && sync[key].is_array())
        for (const auto& item : sync[key])
            if (item.is_string()) items.push_back(item.get<std::string>());
    return items;
}

// Development mode keeps each developer's copy apart and quiet: "[dev jane_doe] " before every
// job name, schedules and triggers paused.
void apply_development_mode(api::Json& jobs, const std::string& short_name) {
    for (auto& [key, job] : jobs.items()) {
        if (!job.is_object()) continue;
        job["name"] = "[dev " + short_name + "] " + text(job, "name");
        for (const char* trigger : {"schedule", "trigger", "continuous"})
            if (job.contains(trigger) && job[trigger].is_object()) job[trigger]["pause_status"] = "PAUSED";
    }
}

void stringify(api::Json& value) {
    if (!value.is_string() && !value.is_structured() && !value.is_null()) value = value.dump();
}

// The Jobs API takes parameters as text, but `${var.rows}` alone takes the variable's type
// (`default: 3` is a number), so parameters are turned back into text here.
void parameters_as_text(api::Json& jobs) {
    for (auto& [key, job] : jobs.items()) {
        if (!job.is_object() || !job.contains("parameters") || !job["parameters"].is_array()) continue;
        for (auto& parameter : job["parameters"])
            if (parameter.is_object() && parameter.contains("default")) stringify(parameter["default"]);
    }
    for_each_task(jobs, "resources.jobs", [](api::Json& task, const api::Json&, const std::string&) {
        for (auto& [field, spec] : task.items()) {
            if (!field.ends_with("_task") || !spec.is_object()) continue;
            for (const char* list : {"parameters", "python_params", "jar_params"})
                if (spec.contains(list) && spec[list].is_array())
                    for (auto& item : spec[list]) stringify(item);
            for (const char* map : {"base_parameters", "named_parameters"})
                if (spec.contains(map) && spec[map].is_object())
                    for (auto& [name, item] : spec[map].items()) stringify(item);
        }
    });
}

api::Json& jobs_of(api::Json& document) {
    auto& resources = section(document, "resources");
    if (!resources.contains("jobs") || !resources["jobs"].is_object()) resources["jobs"] = api::Json::object();
    return resources["jobs"];
}

}  // namespace

const api::Json& Bundle::jobs() const {
    static const api::Json none = api::Json::object();
    const auto& resources = config.contains("resources") ? config["resources"] : none;
    return resources.is_object() && resources.contains("jobs") ? resources["jobs"] : none;
}

fs::path Bundle::local_state_dir() const { return root / ".databricks" / "bundle" / target; }

Bundle load_bundle(cli::Context& context, const LoadOptions& options, Diagnostics& diagnostics) {
    Bundle bundle;
    bundle.root = find_bundle_root(fs::current_path());
    auto files = load_config_files(bundle.root, diagnostics);
    auto& document = files.document;
    check_top_level(document, diagnostics);
    bundle.target = select_target(document, options.target);
    auto target = apply_target(document, bundle.target, diagnostics);
    bundle.mode = target.mode;
    check_resources(document, diagnostics);

    bundle.host = bind_workspace(context, document.value("workspace", api::Json()), bundle.target);
    auto user = current_user(context.api());
    bundle.user = user.user_name;
    fill_defaults(document, bundle.target, user, bundle.host);
    resolve_variables(document, {target.variables, options.variables, bundle.target}, diagnostics);
    report_unresolved(substitute_references(document, job_id_references(document)), diagnostics);

    bundle.name = text(document["bundle"], "name");
    if (bundle.name.empty()) diagnostics.error("bundle.name is missing: every bundle needs a name");
    auto& workspace = document["workspace"];
    for (auto [key, field] : {std::pair{"root_path", &bundle.root_path}, {"file_path", &bundle.file_path}, {"state_path", &bundle.state_path}}) {
        *field = workspace_path(workspace, key, user, diagnostics);
        workspace[key] = *field;
    }
    if (bundle.mode == "production" && bundle.root_path.starts_with("/Workspace/Users/" + user.user_name + "/"))
        diagnostics.warning("target " + bundle.target + " has mode: production but deploys under " + bundle.root_path +
                            ", the deploying user's own folder: set workspace.root_path to a shared folder");

    const auto sync = document.value("sync", api::Json());
    bundle.sync = {string_list(sync, "include"), string_list(sync, "exclude")};
    bundle.files = collect_bundle_files(bundle.root, bundle.sync, diagnostics);
    auto& jobs = jobs_of(document);
    for (auto& [key, job] : jobs.items())
        if (job.is_object() && !job.contains("name")) job["name"] = key;
    parameters_as_text(jobs);
    rewrite_task_paths(jobs, bundle.root, bundle.file_path, bundle.files, diagnostics);
    if (bundle.mode == "development") apply_development_mode(jobs, user.short_name);
    bundle.config = std::move(document);
    return bundle;
}

void report_diagnostics(const Diagnostics& diagnostics) {
    for (const auto& warning : diagnostics.warnings) cli::print_warning(warning);
    if (diagnostics.errors.empty()) return;
    std::fflush(stdout);
    for (std::size_t i = 0; i + 1 < diagnostics.errors.size(); ++i) std::fprintf(stderr, "Error: %s\n", diagnostics.errors[i].c_str());
    throw std::runtime_error(diagnostics.errors.back());
}

}  // namespace brix::commands::bundle
