#pragma once
// Each API area registers its routes on the shared router; LocalApi adds them all.

#include "engine/router.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine {

namespace workspace { void add_routes(Router& router, store::EngineRoot& root); }
namespace files {
void add_dbfs_routes(Router& router, store::EngineRoot& root);       // /api/2.0/dbfs/*
void add_files_api_routes(Router& router, store::EngineRoot& root);  // /api/2.0/fs/* (Volumes)
}  // namespace files
namespace jobs {
class RunLauncher;
void add_routes(Router& router, store::EngineRoot& root, RunLauncher& launcher);
}  // namespace jobs
namespace identity { void add_routes(Router& router, store::EngineRoot& root); }
namespace repos { void add_routes(Router& router, store::EngineRoot& root); }
namespace clusters { void add_routes(Router& router, store::EngineRoot& root); }
namespace secrets { void add_routes(Router& router, store::EngineRoot& root); }
namespace catalog { void add_routes(Router& router, store::EngineRoot& root); }          // /api/2.1/unity-catalog/*
namespace clusters { void add_library_routes(Router& router, store::EngineRoot& root); }  // /api/2.0/libraries/*
namespace permissions { void add_routes(Router& router, store::EngineRoot& root); }      // /api/2.0/permissions/*

}  // namespace brix::engine
