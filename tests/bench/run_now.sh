#!/usr/bin/env bash
# What `brix jobs run-now` costs on top of the Python it starts: a job whose one task is a
# one-line Python script, run and waited for, against bare `python3 -c pass` and `python3 <the
# script>` timed in the same run (interleaved, so both see the same machine load).
#
#   tests/bench/run_now.sh            # uses <repo>/build/brix
#   BRIX=/path/to/brix RUNS=20 tests/bench/run_now.sh
#
# Prints the median and fastest wall time of RUNS (default 10) runs of each, after one untimed
# warm-up, the ratio to `python3 -c pass`, and the overhead (median run-now minus median
# python3 -c pass) in ms. The task's own wall time as the engine measured it (brix_metrics)
# splits that overhead into engine (CLI, store, scheduling, polling) and task start-up (the
# runtime's sitecustomize). A measurement, not a test: it never fails on a slow result.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
BRIX="${BRIX:-$repo/build/brix}"
RUNS="${RUNS:-10}"
PYTHON="${PYTHON:-python3}"

if [[ ! -x "$BRIX" ]]; then
    echo "run_now.sh: no brix binary at $BRIX (build it, or set BRIX=...)" >&2
    exit 1
fi
command -v "$PYTHON" >/dev/null || { echo "run_now.sh: python3 is needed" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/brix-bench-run-now.XXXXXX")"
trap 'rm -rf "$work"' EXIT
unset DATABRICKS_HOST DATABRICKS_TOKEN DATABRICKS_CONFIG_PROFILE DATABRICKS_CLIENT_ID DATABRICKS_CLIENT_SECRET
export DATABRICKS_CONFIG_FILE="$work/databrickscfg"
export BRIX_HOME="$work/root"
cd "$work"

printf 'print("hello")\n' >one_line.py
"$BRIX" workspace import one_line.py /Shared/one_line.py
job_id=$("$BRIX" jobs create --json '{"name": "bench-run-now", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/one_line.py"}}]}' |
    "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["job_id"])')

"$PYTHON" - "$BRIX" "$RUNS" "$job_id" "$work/one_line.py" <<'PY'
import json
import shutil
import statistics
import subprocess
import sys
import time

brix, runs, job_id, script = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
python = shutil.which("python3") or "python3"
cases = [
    ("python3 -c pass", [python, "-c", "pass"]),
    ("python3 one_line.py", [python, script]),
    ("brix jobs run-now", [brix, "-q", "jobs", "run-now", job_id]),
]


def run_once(argv):
    start = time.perf_counter_ns()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter_ns() - start
    if done.returncode != 0:
        sys.exit(f"run_now.sh: {' '.join(argv)} exited {done.returncode}: {done.stderr.decode().strip()}")
    return elapsed / 1e6


for _, argv in cases:
    run_once(argv)  # warm-up: page cache, the engine root, the unpacked runtime
samples = {name: [] for name, _ in cases}
for _ in range(runs):
    for name, argv in cases:
        samples[name].append(run_once(argv))

# The engine's own measure of each task process (fork to exit) over the timed runs.
listing = subprocess.run([brix, "jobs", "list-runs", "--job-id", job_id, "--expand-tasks", "--limit", str(runs), "-o", "json"],
                         capture_output=True, check=True)
task_ms = [r["tasks"][0]["brix_metrics"]["wall_time_ms"] for r in json.loads(listing.stdout)]

reference = statistics.median(samples["python3 -c pass"])
print(f"run-now: median of {runs} runs (wall time, including fork/exec); python3 = {python}")
print(f"{'command':<24}{'median ms':>11}{'min ms':>10}{'x python3':>11}")
for name, _ in cases:
    median = statistics.median(samples[name])
    print(f"{name:<24}{median:>11.1f}{min(samples[name]):>10.1f}{median / reference:>11.2f}")
run_now = statistics.median(samples["brix jobs run-now"])
task = statistics.median(task_ms)
print(f"{'task process (engine)':<24}{task:>11.1f}{min(task_ms):>10.1f}{task / reference:>11.2f}")
print(f"overhead of run-now over python3 -c pass: {run_now - reference:.1f} ms "
      f"(engine and CLI {run_now - task:.1f} ms, task start-up beyond bare python {task - reference:.1f} ms)")
PY
