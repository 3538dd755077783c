#pragma once
// What several unit test files need: a temporary folder (made, and removed with what is in it), and the ApiError a call throws.

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <random>
#include <string>

#include "api/api.hpp"

namespace brix::test {

struct TempDir {
    std::filesystem::path path;
    TempDir() : path(std::filesystem::temp_directory_path() / ("brix-unit-" + std::to_string(std::random_device{}()))) {
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

inline api::ApiError error_of(const std::function<void()>& work) {
    try {
        work();
    } catch (const api::ApiError& error) {
        return error;
    }
    FAIL("expected an ApiError");
    return {0, "", ""};
}

}  // namespace brix::test
