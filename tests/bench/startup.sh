#!/usr/bin/env bash
# Startup cost of brix, against /bin/true measured in the same run, and the CLI's peak memory.
#
#   tests/bench/startup.sh            # uses <repo>/build/brix
#   BRIX=/path/to/brix RUNS=50 tests/bench/startup.sh
#   LEGACY_DATABRICKS=/path/to/databricks tests/bench/startup.sh
#
# Times RUNS (default 20) rounds of each command, interleaved (one run of each per round, so all
# see the same machine load), after one untimed warm-up round, and prints the median and the
# fastest wall time and the median's ratio to /bin/true. `brix workspace ls /` runs on a fresh
# local engine root (BRIX_HOME in a temporary folder), created by the warm-up call, so it includes
# opening the SQLite database and one query. Timing is done by python3 (time.perf_counter_ns
# around subprocess.run), so every row carries the same fork/exec cost.
#
# The legacy Python CLI (`pip install databricks-cli`) is timed too when it is installed: found as
# LEGACY_DATABRICKS, else as a `databricks` on PATH that says it is the legacy one. Its `workspace
# ls /` needs a server, so it lists through `brix serve`, next to `brix workspace ls /` through the
# same server.
# This is a measurement, not a test: it never fails on a slow result.

# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Prints the path of the legacy Python CLI, or nothing. The Go CLI and brix itself (invoked as
# `databricks`) answer --version differently: "Databricks CLI v0.2..", "brix ...".
legacy_cli() {
    local candidate=${LEGACY_DATABRICKS:-$(command -v databricks || true)}
    [[ -n $candidate ]] || return 0
    if "$candidate" --version 2>/dev/null | grep -q '^Version 0\.'; then echo "$candidate"; fi
}

bench_startup() (
    set -euo pipefail
    bench_need
    bench_workdir startup
    bench_isolate "$WORK"
    local legacy
    legacy=$(legacy_cli)
    if [[ -n $legacy ]]; then
        bench_serve_start "$WORK/served"
    fi
    "$PYTHON" - "$BRIX" "${RUNS:-20}" "$legacy" <<'PY'
import os
import sys

from benchlib import interleaved, median, note, peak_rss_kib, row

brix, runs, legacy = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cases = [
    ("/bin/true", ["/bin/true"]),
    ("brix --version", [brix, "--version"]),
    ("brix workspace ls /", [brix, "workspace", "ls", "/"]),
]
samples = interleaved(cases, runs)

served = {}
if legacy:
    # Both CLIs list the same brix serve; each reads its host and token from the environment.
    env = dict(os.environ, DATABRICKS_HOST=os.environ["SERVE_URL"], DATABRICKS_TOKEN=os.environ["SERVE_TOKEN"])
    served_cases = [
        ("databricks --version (legacy CLI)", [legacy, "--version"]),
        ("databricks workspace ls / (legacy CLI, via serve)", [legacy, "workspace", "ls", "/"]),
        ("brix workspace ls / (via serve)", [brix, "workspace", "ls", "/"]),
    ]
    served = interleaved(served_cases, max(3, runs // 4), env=env)
    samples.update(served)

reference = median(samples["/bin/true"])
print(f"startup: median of {runs} interleaved runs (wall time, including fork/exec)")
print(f"{'command':<52}{'median ms':>11}{'min ms':>10}{'x /bin/true':>13}")
for name, values in samples.items():
    print(f"{name:<52}{median(values):>11.2f}{min(values):>10.2f}{median(values) / reference:>13.2f}")
if not legacy:
    print("the legacy Python CLI is not installed (pip install databricks-cli, or set LEGACY_DATABRICKS)")

rss = peak_rss_kib([brix, "workspace", "ls", "/"])
if rss is not None:
    print(f"peak RSS of brix workspace ls /: {rss / 1024:.1f} MiB")

version = median(samples["brix --version"])
ls = median(samples["brix workspace ls /"])
row("startup", "`brix --version`", version, "ms", "`/bin/true`", reference, "< 10 ms", version < 10)
row("startup", "`brix workspace ls /` (local engine)", ls, "ms", "`/bin/true`", reference, "< 10 ms", ls < 10)
if legacy:
    row("startup", "`brix --version`", version, "ms", "legacy `databricks --version`",
        median(samples["databricks --version (legacy CLI)"]), "< 10 ms", version < 10)
    via = median(samples["brix workspace ls / (via serve)"])
    row("startup", "`brix workspace ls /` (through `brix serve`)", via, "ms", "legacy `databricks workspace ls /`, same server",
        median(samples["databricks workspace ls / (legacy CLI, via serve)"]), "< 10 ms", via < 10)
else:
    note("The legacy Python CLI (`pip install databricks-cli`) was not installed: no row compares with it.")
if rss is not None:
    row("memory", "peak RSS, CLI: `brix workspace ls /`", rss / 1024, "MiB", "", None, "< 15 MB", rss * 1024 < 15e6)
PY
)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then bench_startup "$@"; fi
