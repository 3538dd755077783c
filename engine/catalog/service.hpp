#pragma once
// Unity Catalog's namespace on the local engine: catalogs, schemas and volumes
// (/api/2.1/unity-catalog/*). A volume is a folder, dbfs/Volumes/<catalog>/<schema>/<volume>
// under the engine root, created with the volume and removed with it; the Files API, DBFS paths
// and tasks (/Volumes/...) reach its files only while the volume exists (volume_paths.hpp).
// Tables are not kept: listing them answers an empty list.

#include <cstdint>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "engine/catalog/names.hpp"
#include "engine/store/engine_root.hpp"

namespace brix::engine::catalog {

struct ListPage {
    std::optional<std::int64_t> max_results;  // unset: everything; 0: the server's page size
    std::string page_token;
};

class CatalogService {
public:
    explicit CatalogService(store::EngineRoot& root) : root_(root) {}

    api::Json create(Kind kind, const api::Json& body);
    api::Json get(Kind kind, const std::string& full_name);
    // `parent`: "" for catalogs, the catalog for schemas, "c.s" for volumes.
    api::Json list(Kind kind, const std::string& parent, const ListPage& page);
    api::Json update(Kind kind, const std::string& full_name, const api::Json& body);
    void remove(Kind kind, const std::string& full_name, bool force);

    // The parent a list call names must exist: 404 otherwise.
    void require(Kind kind, const std::string& full_name);

private:
    store::EngineRoot& root_;
};

// The folder of a volume's files under the engine root.
fs::path volume_dir(const store::EngineRoot& root, const std::string& full_name);

}  // namespace brix::engine::catalog
