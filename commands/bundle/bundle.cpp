// `bundle` group: validate, deploy, run, destroy, summary for Databricks Asset Bundles
// (databricks.yml). The target (-t) and variables (--var) are the group's, so they go before or
// after the verb alike.
#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/bundle/bundle_config.hpp"
#include "commands/bundle/bundle_verbs.hpp"
#include "commands/bundle/deploy.hpp"
#include "commands/commands.hpp"

namespace brix::commands {
namespace {

using namespace bundle;

const char* const kGroupNotes =
    "The bundle is the databricks.yml in the current folder or the nearest folder above it; its\n"
    "`include` globs add more YAML files. The target is -t, else the one marked default: true.\n"
    "Variables take their value from --var name=value, $BUNDLE_VAR_name, the target, then the default.\n"
    "Supported: resources.jobs (any Jobs API settings; task paths relative to their YAML file),\n"
    "variables, targets (mode: development, workspace.host/root_path, variables, resources), sync.\n"
    "Other resource types, artifacts and run_as are refused; permissions and presets are ignored with a warning.\n"
    "Example:\n"
    "  brix bundle validate\n"
    "  brix bundle deploy -t prod\n"
    "  brix bundle run etl --params day=2026-11-21";

void add_validate(CLI::App& group, cli::Context& context, const std::shared_ptr<LoadOptions>& load) {
    auto* verb = group.add_subcommand("validate", "Check the bundle's configuration and show what it resolves to");
    verb->footer("Loads the bundle for the target as deploy would (every problem is listed, exit 1 on any error)\n"
                 "and prints its name, target and workspace; -o json prints the whole resolved configuration.\n"
                 "Example:\n  brix bundle validate\n  brix bundle validate -t prod -o json");
    verb->callback([&context, load] {
        Diagnostics diagnostics;
        auto bundle = load_bundle(context, *load, diagnostics);
        report_diagnostics(diagnostics);
        if (context.output_mode() == cli::OutputMode::Json) return cli::print_json(bundle.config);
        print_bundle_header(bundle);
        auto warnings = diagnostics.warnings.size();
        cli::print_line(warnings == 0 ? "\nValidation OK!"
                                      : "\nFound " + std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings"));
    });
}

void add_deploy(CLI::App& group, cli::Context& context, const std::shared_ptr<LoadOptions>& load) {
    auto force_lock = std::make_shared<bool>(false);
    auto* verb = group.add_subcommand("deploy", "Upload the bundle's files and create or update its jobs");
    verb->add_flag("--force-lock", *force_lock, "Take the deploy lock even if another deploy holds it (after an interrupted one)");
    verb->add_flag("--auto-approve")->description("Accepted for scripts written for the Databricks CLI: deploy never asks");
    verb->footer("Files go to workspace.file_path (<root_path>/files): notebooks (.py/.sql/.scala/.r with their\n"
                 "\"Databricks notebook source\" header, .ipynb) become notebooks without the extension, other files\n"
                 "keep their bytes. Only files whose content changed are uploaded; files gone from the bundle are\n"
                 "deleted. Jobs are created, reset when their settings changed, deleted when gone from the bundle, and\n"
                 "created again when the recorded one no longer exists. The state (job IDs, file fingerprints) is kept\n"
                 "in <root_path>/state/deployment.json and in .databricks/bundle/<target>/; a lock there stops two\n"
                 "deploys of a target at once. Prints \"Deploy complete: N changed (...)\" (-o json: the changes).\n"
                 "Example:\n  brix bundle deploy\n  brix bundle deploy -t prod --var catalog=main");
    verb->callback([&context, load, force_lock] {
        auto bundle = load_checked_bundle(context, *load);
        deploy_bundle(context, bundle, *force_lock ? LockMode::Force : LockMode::Normal);
    });
}

void add_summary(CLI::App& group, cli::Context& context, const std::shared_ptr<LoadOptions>& load) {
    auto* verb = group.add_subcommand("summary", "Show the bundle's deployed jobs: name, ID and URL");
    verb->footer("Reads the deployment state of the target (in the workspace, else the local copy).\n"
                 "Example:\n  brix bundle summary\n  brix bundle summary -t prod -o json");
    verb->callback([&context, load] { print_summary(context, load_checked_bundle(context, *load)); });
}

}  // namespace

void add_bundle_commands(CLI::App& app, cli::Context& context) {
    auto load = std::make_shared<LoadOptions>();
    auto* group = app.add_subcommand("bundle", "Validate, deploy, run and destroy Databricks Asset Bundles (databricks.yml)");
    group->add_option("-t,--target", load->target, "The bundle target to use (default: the one marked default: true)");
    group->add_option("--var", load->variables, "Set a variable: --var name=value (repeatable)")->allow_extra_args(false);
    group->footer(kGroupNotes);
    add_validate(*group, context, load);
    add_deploy(*group, context, load);
    add_bundle_run(*group, context, load);
    add_bundle_destroy(*group, context, load);
    add_summary(*group, context, load);
}

}  // namespace brix::commands
