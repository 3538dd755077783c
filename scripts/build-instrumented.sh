#!/usr/bin/env bash
# Configures and builds build-fuzz/: clang, ASan + UBSan, libFuzzer coverage (cmake/sanitizers.cmake).
# One build dir serves scripts/sanitize.sh (unit tests) and scripts/fuzz.sh (fuzzers), so the
# instrumented libraries are compiled once. Usage: scripts/build-instrumented.sh [cmake targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Without these ccache recompiles everything that uses the precompiled headers (most of brix_cli).
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
werror=OFF
[ "${CI:-}" = true ] && werror=ON
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DBRIX_FUZZ=ON -DBRIX_WERROR="$werror" "${launcher[@]}" >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build-fuzz -j "$(nproc)" "${targets[@]}"
