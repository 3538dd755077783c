#!/usr/bin/env bash
# Startup cost of brix, against /bin/true measured in the same run.
#
#   tests/bench/startup.sh            # uses <repo>/build/brix
#   BRIX=/path/to/brix RUNS=50 tests/bench/startup.sh
#
# Times RUNS (default 20) runs of each command, after one untimed warm-up run, and prints the
# median and the fastest wall time and the median's ratio to /bin/true. `brix workspace ls /`
# runs on a fresh local engine root (BRIX_HOME in a temporary folder), created by the warm-up
# call, so it includes opening the SQLite database and one query. Timing is done by python3
# (time.perf_counter_ns around subprocess.run), so every row carries the same fork/exec cost.
# This is a measurement, not a test: it never fails on a slow result.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
BRIX="${BRIX:-$repo/build/brix}"
RUNS="${RUNS:-20}"
PYTHON="${PYTHON:-python3}"

if [[ ! -x "$BRIX" ]]; then
    echo "startup.sh: no brix binary at $BRIX (build it, or set BRIX=...)" >&2
    exit 1
fi
command -v "$PYTHON" >/dev/null || { echo "startup.sh: python3 is needed for timing" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/brix-bench-startup.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# A private, empty configuration: the local engine at a fresh root, whatever the caller has set.
unset DATABRICKS_HOST DATABRICKS_TOKEN DATABRICKS_CONFIG_PROFILE DATABRICKS_CLIENT_ID DATABRICKS_CLIENT_SECRET
export DATABRICKS_CONFIG_FILE="$work/databrickscfg"
export BRIX_HOME="$work/home"

"$PYTHON" - "$BRIX" "$RUNS" <<'PY'
import statistics
import subprocess
import sys
import time

brix, runs = sys.argv[1], int(sys.argv[2])
cases = [
    ("/bin/true", ["/bin/true"]),
    ("brix --version", [brix, "--version"]),
    ("brix workspace ls /", [brix, "workspace", "ls", "/"]),
]


def run_once(argv):
    start = time.perf_counter_ns()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter_ns() - start
    if done.returncode != 0:
        sys.exit(f"startup.sh: {' '.join(argv)} exited {done.returncode}: {done.stderr.decode().strip()}")
    return elapsed


results = {}
for name, argv in cases:
    run_once(argv)  # warm-up: page cache, and for `workspace ls` the engine root
    samples = [run_once(argv) for _ in range(runs)]
    results[name] = (statistics.median(samples) / 1e6, min(samples) / 1e6)

reference = results["/bin/true"][0]
print(f"startup: median of {runs} runs (wall time, including fork/exec)")
print(f"{'command':<24}{'median ms':>11}{'min ms':>10}{'x /bin/true':>13}")
for name, _ in cases:
    median, fastest = results[name]
    print(f"{name:<24}{median:>11.2f}{fastest:>10.2f}{median / reference:>13.2f}")
PY
