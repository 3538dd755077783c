# Sanitizer and fuzzing builds (scripts/sanitize.sh, scripts/fuzz.sh), included before any target
# so that every library is compiled once with the same instrumentation:
#   BRIX_SANITIZE  ASan + UBSan on the libraries and the unit tests (clang or GCC)
#   BRIX_FUZZ      BRIX_SANITIZE + libFuzzer coverage on the libraries, and tests/fuzz (clang only)
# Such a build makes only the libraries, the unit tests and the fuzzers: the serve plugin is a
# shared module loaded by an executable that links libstdc++ statically, which the sanitizer
# runtimes do not support, and the end-to-end suites need that executable.

option(BRIX_SANITIZE "Build the libraries and unit tests with AddressSanitizer and UBSan" OFF)
option(BRIX_FUZZ "Also build the libFuzzer targets in tests/fuzz (needs clang)" OFF)

set(BRIX_INSTRUMENTED OFF)
if(BRIX_SANITIZE OR BRIX_FUZZ)
  set(BRIX_INSTRUMENTED ON)
endif()

if(NOT BRIX_INSTRUMENTED)
  return()
endif()

if(BRIX_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "BRIX_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
endif()

# -O1 and line tables only: the instrumented build must stay cheap enough for CI; stack traces
# still name files and lines. Assertions stay on (no NDEBUG): nlohmann's JSON_ASSERT catches
# misuse the sanitizers cannot see, such as operator[] on a missing key of a const object.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(CMAKE_CXX_FLAGS_SANITIZE "-O1 -gline-tables-only" CACHE STRING "Flags of the Sanitize build type")
else()
  set(CMAKE_CXX_FLAGS_SANITIZE "-O1 -g1" CACHE STRING "Flags of the Sanitize build type")
endif()
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Sanitize)
endif()

# The CLI library (commands, CLI11) and the unit tests run for seconds, yet are most of the build:
# at -O0 they compile in about half the time. The fuzzed engine and api keep -O1. Deferred to the
# end of the top directory, where both targets exist.
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL target_compile_options brix_cli PRIVATE -O0)
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL target_compile_options brix_unit_tests PRIVATE -O0)
# Lets ccache reuse objects built with the precompiled headers (with CCACHE_SLOPPINESS, set by
# scripts/build-instrumented.sh): clang otherwise stamps each .pch with its build time.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_compile_options(-Xclang -fno-pch-timestamp)
endif()

# Undefined behaviour aborts (no recovery) so that a test or a fuzzer cannot pass over it.
add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
if(BRIX_FUZZ)
  # Coverage feedback for libFuzzer everywhere; the fuzzers themselves add -fsanitize=fuzzer.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
