#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds brix, and runs a small ETL pipeline
# on the embedded local engine in a throw-away root.
set -euo pipefail
cd "$(dirname "$0")/.."
BRIX_TESTS=OFF scripts/install-deps.sh build
BRIX_TESTS=OFF scripts/build.sh --target brix
exec demo/run.sh "$PWD/build/brix"
