#pragma once
// The Clusters API (/api/2.0/clusters/* and /api/2.1/clusters/*) on the local engine.

#include "engine/engine_root.hpp"
#include "engine/router.hpp"

namespace brix::engine {

void add_clusters_routes(Router& router, EngineRoot& root);

}  // namespace brix::engine
