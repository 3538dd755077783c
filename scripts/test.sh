#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
scripts/build.sh
# ASan + UBSan unit tests and a 10 s run of each fuzzer (docs/fuzzing.md), in build-fuzz/ with clang.
# Off unless BRIX_SANITIZE_CI=1: it adds several minutes on 2 cores.
if [ "${BRIX_SANITIZE_CI:-0}" = 1 ]; then
  scripts/install-deps.sh fuzz
  scripts/sanitize.sh
  scripts/fuzz.sh 10
fi
cd build
ctest --output-on-failure --timeout 900
