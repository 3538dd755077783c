#pragma once
// brix(1): the man page, in roff, generated from the same command tree as --help so the two
// cannot drift apart. The build writes it to build/brix.1 with `brix __man`.

#include <string>

namespace CLI {
class App;
}

namespace brix::cli::docs {

std::string man_page(const CLI::App& root);

}  // namespace brix::cli::docs
