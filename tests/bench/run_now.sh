#!/usr/bin/env bash
# What `brix jobs run-now` costs on top of the Python it starts: a job whose one task is a
# one-line Python script, run and waited for, against bare `python3 -c pass` and `python3 <the
# script>` timed in the same run (interleaved, so both see the same machine load); with tasks forked
# from a warm interpreter and started fresh (BRIX_PREFORK=1 and =0), by the CLI's own engine and
# through a `brix serve` (whose warm interpreter lives across runs).
#
#   tests/bench/run_now.sh            # uses <repo>/build/brix
#   BRIX=/path/to/brix RUNS=20 tests/bench/run_now.sh
#
# Prints the median and fastest wall time of RUNS (default 10) runs of each, after one untimed
# warm-up, the ratio to `python3 -c pass`, and the overhead (median run-now minus median
# python3 -c pass) in ms. The task's own wall time as the engine measured it (brix_metrics)
# splits that overhead into engine (CLI, store, scheduling, polling) and task start-up (the
# runtime's sitecustomize). A measurement, not a test: it never fails on a slow result.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_run_now() (
    set -euo pipefail
    bench_need
    bench_workdir run-now
    bench_isolate "$WORK"
    cd "$WORK"
    printf 'print("hello")\n' >one_line.py
    "$BRIX" workspace import one_line.py /Shared/one_line.py
    local job_id
    local job='{"name": "bench-run-now", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/one_line.py"}}]}'
    job_id=$("$BRIX" jobs create --json "$job" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["job_id"])')
    # The same job on two `brix serve`s, one forking tasks from its warm interpreter (kept across
    # runs), one with BRIX_PREFORK=0: each serve's job ID, URL and token, as JSON for the timer.
    local served="[]" prefork
    for prefork in 1 0; do
        BRIX_PREFORK=$prefork bench_serve_start "$WORK/served-$prefork"
        DATABRICKS_HOST=$SERVE_URL DATABRICKS_TOKEN=$SERVE_TOKEN "$BRIX" workspace import one_line.py /Shared/one_line.py
        served=$(DATABRICKS_HOST=$SERVE_URL DATABRICKS_TOKEN=$SERVE_TOKEN "$BRIX" jobs create --json "$job" |
            "$PYTHON" -c 'import json, os, sys; print(json.dumps(json.loads(sys.argv[1]) + [[sys.argv[2], json.load(sys.stdin)["job_id"], os.environ["SERVE_URL"], os.environ["SERVE_TOKEN"]]]))' "$served" "$prefork")
    done
    "$PYTHON" - "$BRIX" "${RUNS:-10}" "$job_id" "$WORK/one_line.py" "$served" <<'PY'
import json
import os
import shutil
import subprocess
import sys

from benchlib import interleaved, median, row

brix, runs, job_id, script, served = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
python = shutil.which("python3") or "python3"
# run-now with the task forked from a warm interpreter (BRIX_PREFORK=1, the default; in a CLI run
# the first task of the run is started fresh while the warm one starts) and started fresh (=0).
cases = [
    ("python3 -c pass", [python, "-c", "pass"]),
    ("python3 one_line.py", [python, script]),
    ("brix jobs run-now", [brix, "-q", "jobs", "run-now", job_id], dict(os.environ, BRIX_PREFORK="1")),
    ("run-now BRIX_PREFORK=0", [brix, "-q", "jobs", "run-now", job_id], dict(os.environ, BRIX_PREFORK="0")),
] + [(f"serve, BRIX_PREFORK={prefork}", [brix, "-q", "jobs", "run-now", str(served_job)],
      dict(os.environ, DATABRICKS_HOST=url, DATABRICKS_TOKEN=token)) for prefork, served_job, url, token in served]
# One warm-up round: page cache, the engine root, the unpacked runtime.
samples = interleaved(cases, runs)

# The engine's own measure of each task process (fork to exit) over the timed runs.
listing = subprocess.run([brix, "jobs", "list-runs", "--job-id", job_id, "--expand-tasks", "--limit", str(2 * runs), "-o", "json"],
                         capture_output=True, check=True)
task_ms = [r["tasks"][0]["brix_metrics"]["wall_time_ms"] for r in json.loads(listing.stdout)]

reference = median(samples["python3 -c pass"])
print(f"run-now: median of {runs} interleaved runs (wall time, including fork/exec); python3 = {python}")
print(f"{'command':<24}{'median ms':>11}{'min ms':>10}{'x python3':>11}")
for name, *_ in cases:
    value = median(samples[name])
    print(f"{name:<24}{value:>11.1f}{min(samples[name]):>10.1f}{value / reference:>11.2f}")
run_now = median(samples["brix jobs run-now"])
task = median(task_ms)
print(f"{'task process (engine)':<24}{task:>11.1f}{min(task_ms):>10.1f}{task / reference:>11.2f}")
overhead = run_now - reference
print(f"overhead of run-now over python3 -c pass: {overhead:.1f} ms "
      f"(engine and CLI {run_now - task:.1f} ms, task start-up beyond bare python {task - reference:.1f} ms)")
row("run-now", "`jobs run-now` of a one-line Python task, waited for", run_now, "ms", "`python3 -c pass`", reference,
    "overhead ≤ 15 ms", overhead <= 15)
fresh = median(samples["run-now BRIX_PREFORK=0"])
row("run-now", "`jobs run-now` of a one-line Python task, BRIX_PREFORK=0", fresh, "ms", "`python3 -c pass`", reference,
    "overhead ≤ 15 ms", fresh - reference <= 15)
for prefork in ("1", "0"):
    value = median(samples[f"serve, BRIX_PREFORK={prefork}"])
    row("run-now", f"`jobs run-now` of a one-line Python task through `brix serve`, BRIX_PREFORK={prefork}", value, "ms",
        "`python3 -c pass`", reference, "overhead ≤ 15 ms", value - reference <= 15)
PY
)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then bench_run_now "$@"; fi
