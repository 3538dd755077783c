#pragma once

namespace CLI {
class App;
}

namespace brix::cli {

class Context;
void add_serve_command(CLI::App& app, Context& context);

}  // namespace brix::cli
