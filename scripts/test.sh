#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test suite, then the
# unit tests under AddressSanitizer + UBSan and a short run of each fuzzer (docs/fuzzing.md).
#   BRIX_SANITIZE=0     skips the sanitizer and fuzzing part (it builds a second, clang tree)
#   BRIX_FUZZ_SECONDS   how long each fuzzer runs (default 30; two run at a time on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
scripts/build.sh
# Two suites at a time: most of a suite's time is spent waiting on runs, servers and pythons.
(cd build && ctest --output-on-failure --timeout 900 -j 2)
if [ "${BRIX_SANITIZE:-1}" = 1 ]; then
  scripts/sanitize.sh
  scripts/fuzz.sh "${BRIX_FUZZ_SECONDS:-30}"
fi
