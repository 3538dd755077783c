#pragma once
// Commands for the build and the tests, never shown in help: `brix __man [FILE]` writes brix(1),
// `brix __commands` lists every command path (and its aliases) so tests can walk the tree.

namespace CLI {
class App;
}

namespace brix::cli {

void add_internal_commands(CLI::App& root);

}  // namespace brix::cli
