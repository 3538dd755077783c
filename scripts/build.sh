#!/usr/bin/env bash
# Configures and builds brix into build/ (warnings are errors when CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
werror=OFF
[ "${CI:-}" = true ] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBRIX_WERROR="$werror" -DBRIX_TESTS="${BRIX_TESTS:-ON}" >/dev/null
cmake --build build -j "$(nproc)" "$@"
