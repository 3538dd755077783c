#pragma once

namespace CLI {
class App;
}
namespace brix::cli {
class Context;
}

namespace brix::commands::workspace {

void add_import(CLI::App& group, cli::Context& context);
void add_export(CLI::App& group, cli::Context& context);
void add_import_dir(CLI::App& group, cli::Context& context);
void add_export_dir(CLI::App& group, cli::Context& context);

}  // namespace brix::commands::workspace
