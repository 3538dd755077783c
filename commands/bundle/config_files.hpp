#pragma once
// Reading databricks.yml and the files its `include` globs name into one document, and merging a
// target into it.

#include <filesystem>
#include <map>
#include <string>

#include "api/api.hpp"
#include "commands/bundle/bundle_config.hpp"

namespace brix::commands::bundle {

// The names the configuration file may have, in the order they are looked for.
inline constexpr const char* kConfigNames[] = {"databricks.yml", "databricks.yaml", "bundle.yml", "bundle.yaml"};

// $DATABRICKS_BUNDLE_ROOT, else the nearest of `start` and its parents holding a configuration
// file. Throws std::runtime_error when there is none.
std::filesystem::path find_bundle_root(const std::filesystem::path& start);

struct ConfigFiles {
    std::string root_file;  // "databricks.yml" (or whichever of kConfigNames was found)
    api::Json document;     // every file merged; relative task paths already relative to the bundle root
    std::map<std::string, std::string> defined_in;  // "resources.jobs.etl" -> the file defining it
};

// Reads the root file, then the included ones in sorted order. A resource defined twice, an
// `include` outside the root file, or a file that is not a mapping are errors in `diagnostics`;
// YAML that does not parse throws, naming the file.
ConfigFiles load_config_files(const std::filesystem::path& root, Diagnostics& diagnostics);

// Merges the document `overlay` into the document `base`: mappings key by key, other values
// replaced; inside a resource, the lists Databricks keys by a field (tasks by task_key, job_clusters by job_cluster_key,
// parameters by name, environments by environment_key) merge item by item, as targets expect.
void merge_into(api::Json& base, const api::Json& overlay);

}  // namespace brix::commands::bundle
