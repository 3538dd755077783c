#pragma once
// The local files a deploy uploads: every file under the bundle root except what git ignores,
// build and tool folders, and sync.exclude; sync.include brings ignored ones back.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "commands/bundle/bundle_config.hpp"

namespace brix::commands::bundle {

// A notebook is what Databricks imports as one: a .py/.sql/.scala/.r source file whose first line
// is its language's "Databricks notebook source" header, or an .ipynb file.
FileKind classify_file(const std::filesystem::path& file);
// "src/etl.py" -> "src/etl" for a notebook; a file keeps its name.
std::string workspace_name_for(const std::string& path, FileKind kind);

// The files to upload, sorted by path. Two files that would land on the same workspace name
// (etl.py and etl.sql notebooks) are an error in `diagnostics`.
std::vector<BundleFile> collect_bundle_files(const std::filesystem::path& root, const SyncRules& rules,
                                             Diagnostics& diagnostics);

const BundleFile* find_file(const std::vector<BundleFile>& files, const std::string& path);

// A fingerprint of a file's bytes (64-bit FNV-1a and the size), to tell changed files from
// unchanged ones; not a security measure.
std::string content_fingerprint(const std::filesystem::path& file);
std::string text_fingerprint(const std::string& text);

}  // namespace brix::commands::bundle
