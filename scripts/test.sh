#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test suite, then the
# unit tests under AddressSanitizer + UBSan and a short run of each fuzzer (docs/fuzzing.md).
#   BRIX_SANITIZE=0     skips the sanitizer and fuzzing part (it builds a second, clang tree)
#   BRIX_FUZZ_SECONDS   how long each fuzzer runs (default 30; two run at a time on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
scripts/build.sh

sanitize=${BRIX_SANITIZE:-1}
if [ "$sanitize" = 1 ]; then
  # The instrumented tree (clang, build-fuzz/) builds at the lowest priority while the suites run:
  # they spend much of their time waiting on runs, servers and Python, and the build takes what
  # the suites leave of the cores. Its own session, so that a failed suite can stop all of it.
  mkdir -p build-fuzz
  setsid nice -n 19 scripts/build-instrumented.sh >build-fuzz/build.log 2>&1 &
  instrumented_build=$!
fi

# Two suites at a time: most of a suite's time is spent waiting.
status=0
(cd build && ctest --output-on-failure --timeout 900 -j 2) || status=$?
if [ $status -ne 0 ]; then
  [ "$sanitize" = 1 ] && kill -- -"$instrumented_build" 2>/dev/null
  exit $status
fi

if [ "$sanitize" = 1 ]; then
  wait "$instrumented_build" || { tail -50 build-fuzz/build.log >&2; echo "Error: the instrumented build failed" >&2; exit 1; }
  scripts/sanitize.sh
  scripts/fuzz.sh "${BRIX_FUZZ_SECONDS:-30}"
fi
