#!/usr/bin/env bash
# Builds the unit tests with AddressSanitizer + UBSan (clang, build-fuzz/) and runs them. A leak,
# a memory error or undefined behaviour fails the run. Needs: scripts/install-deps.sh fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-instrumented.sh brix_unit_tests
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd build-fuzz
ctest --output-on-failure --timeout 900 -R '^unit$'
