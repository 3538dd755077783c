#pragma once

#include "server/plugin.h"

namespace brix::server {

// Loads the server plugin the binary carries (from memory, through a memfd) and returns its
// entry point. Throws std::runtime_error when it cannot.
BrixServeMain load_serve_plugin();

}  // namespace brix::server
