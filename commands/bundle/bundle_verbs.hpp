#pragma once
// The bundle verbs that live outside bundle.cpp, and the text both validate and summary print.

#include <memory>

#include "commands/bundle/bundle_config.hpp"

namespace CLI {
class App;
}

namespace brix::commands::bundle {

// Name, target and workspace, as `validate` and `summary` start.
void print_bundle_header(const Bundle& bundle);
// The deployed jobs with their IDs and URLs (-o json: one object).
void print_summary(cli::Context& context, const Bundle& bundle);

void add_bundle_run(CLI::App& group, cli::Context& context, const std::shared_ptr<LoadOptions>& load);
void add_bundle_destroy(CLI::App& group, cli::Context& context, const std::shared_ptr<LoadOptions>& load);

// Loads the bundle and stops at the first error (after printing every problem).
Bundle load_checked_bundle(cli::Context& context, const LoadOptions& options);

}  // namespace brix::commands::bundle
