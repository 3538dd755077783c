#pragma once
// `brix serve`: registered by the executable only, since the plugin it loads is linked there.

namespace CLI {
class App;
}

namespace brix::cli {
class Context;
}

namespace brix::commands::serve {

void add_group(CLI::App& app, cli::Context& context);

}  // namespace brix::commands::serve
