#!/usr/bin/env bash
# Runs every benchmark script in tests/bench (except this one), one after the other, and prints
# their tables.
#
#   tests/bench/run_all.sh                     # benchmarks <repo>/build/brix
#   BRIX=/path/to/brix tests/bench/run_all.sh
#   SIZE_MIB=256 RUNS=5 tests/bench/run_all.sh # settings are passed on to the scripts
#
# A script that fails is reported and the others still run; the exit status is 1 if any failed.
# Benchmarks report ratios against a reference timed in the same run; none of them judges the
# result.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export BRIX="${BRIX:-$repo/build/brix}"

if [[ ! -x "$BRIX" ]]; then
    echo "run_all.sh: no brix binary at $BRIX (build it, or set BRIX=...)" >&2
    exit 1
fi

echo "brix benchmarks: $("$BRIX" --version) at $BRIX"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sm), $(nproc) cores"
failed=0
for script in "$here"/*.sh; do
    [[ "$(basename "$script")" == "$(basename "${BASH_SOURCE[0]}")" ]] && continue
    echo
    echo "== $(basename "$script")"
    if ! bash "$script"; then
        echo "run_all.sh: $(basename "$script") failed" >&2
        failed=1
    fi
done
exit "$failed"
