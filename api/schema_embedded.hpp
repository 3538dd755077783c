#pragma once
// api/schema/api-schema.json, compiled into the binary by cmake/embed_files.cmake (see
// CMakeLists.txt); only api/schema.cpp reads it.

#include <vector>

namespace brix::api::schema {

struct EmbeddedFile {
    const char* path;  // relative to api/schema/: "api-schema.json"
    const char* content;
};

const std::vector<EmbeddedFile>& embedded_schema_files();

}  // namespace brix::api::schema
