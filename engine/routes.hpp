#pragma once
// Each API area registers its routes on the shared router.

#include "engine/engine_root.hpp"
#include "engine/jobs/launcher.hpp"
#include "engine/router.hpp"

namespace brix::engine {

void add_workspace_routes(Router& router, EngineRoot& root);
void add_dbfs_routes(Router& router, EngineRoot& root);
void add_files_routes(Router& router, EngineRoot& root);
void add_jobs_routes(Router& router, EngineRoot& root, RunLauncher& launcher);
void add_identity_routes(Router& router, EngineRoot& root);
void add_repos_and_clusters_routes(Router& router, EngineRoot& root);  // repos_routes.cpp
void add_secrets_routes(Router& router, EngineRoot& root);

}  // namespace brix::engine
