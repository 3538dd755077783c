#!/usr/bin/env bash
# How close the DAG scheduler gets to the ideal: a random DAG of TASKS (default 200) tasks, each a
# Python script sleeping 100 ms, each depending on 2-3 random earlier tasks (fixed seed), run at
# BRIX_PARALLELISM (default 8). The makespan (the job run's end_time - start_time) is compared
# with the ideal max(critical path, total work / parallelism), where one task's duration is the
# median measured wall time of the same script run by bare python3 (so Python start-up counts on
# both sides). With fewer cores than BRIX_PARALLELISM the tasks' own CPU time (Python start-up)
# can bound the makespan instead; that bound is printed too. The DAG runs twice: tasks started by
# fresh interpreters (BRIX_PREFORK=0), then forked from a warm one (BRIX_PREFORK=1); the median
# CPU time of a task in each is the per-task cost of start-up (plus the 100 ms sleep's little).
#
#   tests/bench/dag_makespan.sh
#   BRIX=/path/to/brix TASKS=100 PARALLELISM=4 SEED=7 tests/bench/dag_makespan.sh
#
# A measurement, not a test: it never fails on a slow result.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_dag_makespan() (
    set -euo pipefail
    bench_need
    bench_workdir dag
    bench_isolate "$WORK"
    cd "$WORK"
    printf 'import time\ntime.sleep(0.1)\n' >sleep100.py
    "$BRIX" workspace import sleep100.py /Shared/sleep100.py
    "$PYTHON" - "$BRIX" "${TASKS:-200}" "${PARALLELISM:-8}" "${SEED:-42}" "$WORK" <<'PY'
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

from benchlib import row

brix, n, parallelism, seed, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
python = shutil.which("python3") or "python3"
rng = random.Random(seed)

deps = [[]]
for i in range(1, n):
    deps.append(sorted(rng.sample(range(i), min(i, rng.choice((2, 3))))))
tasks = [{"task_key": f"t{i:03d}", "depends_on": [{"task_key": f"t{d:03d}"} for d in deps[i]],
          "spark_python_task": {"python_file": "/Shared/sleep100.py"}} for i in range(n)]
for task in tasks:
    if not task["depends_on"]:
        del task["depends_on"]
with open(os.path.join(work, "dag.json"), "w") as f:
    json.dump({"name": "bench-dag", "tasks": tasks}, f)
created = subprocess.run([brix, "jobs", "create", "--json", "@" + os.path.join(work, "dag.json")], capture_output=True, check=True)
job_id = str(json.loads(created.stdout)["job_id"])

# Depth of the DAG in tasks (the critical path, every task taking the same time).
depth = []
for i in range(n):
    depth.append(1 + max((depth[d] for d in deps[i]), default=0))
critical = max(depth)

# One task's duration: bare python3 running the same script (start-up included), median of 10.
script = os.path.join(work, "sleep100.py")
subprocess.run([python, script], check=True)
samples = []
for _ in range(10):
    start = time.perf_counter_ns()
    subprocess.run([python, script], check=True)
    samples.append((time.perf_counter_ns() - start) / 1e6)
task_ms = statistics.median(samples)

cp_ms = critical * task_ms
work_ms = n * task_ms / parallelism
ideal = max(cp_ms, work_ms)
print(f"dag_makespan: {n} tasks of 100 ms sleep, 2-3 dependencies each (seed {seed}), "
      f"BRIX_PARALLELISM={parallelism}, {os.cpu_count()} cores; python3 = {python}")
print(f"one bare python3 task (median of 10):  {task_ms:8.1f} ms")
print(f"critical path: {critical} tasks          {cp_ms:8.1f} ms")
print(f"total work / {parallelism}:                   {work_ms:8.1f} ms")
print(f"ideal = max of the two:                {ideal:8.1f} ms")

# The same DAG with every task started by a fresh interpreter (BRIX_PREFORK=0) and forked from a
# warm one (BRIX_PREFORK=1), one after the other on the same machine.
cpu_per_task = {}
for prefork in ("0", "1"):
    env = dict(os.environ, BRIX_PARALLELISM=str(parallelism), BRIX_PREFORK=prefork)
    start = time.perf_counter_ns()
    done = subprocess.run([brix, "-q", "jobs", "run-now", job_id], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    cli_ms = (time.perf_counter_ns() - start) / 1e6
    if done.returncode != 0:
        sys.exit(f"dag_makespan.sh: run-now exited {done.returncode}: {done.stderr.decode().strip()}")
    listing = subprocess.run([brix, "jobs", "list-runs", "--job-id", job_id, "--expand-tasks", "--limit", "1", "-o", "json"],
                             capture_output=True, check=True)
    run = json.loads(listing.stdout)[0]
    if run["state"].get("result_state") != "SUCCESS":
        sys.exit(f"dag_makespan.sh: the run ended {run['state']}")
    makespan = run["end_time"] - run["start_time"]
    metrics = [t["brix_metrics"] for t in run["tasks"]]
    walls = [m["wall_time_ms"] for m in metrics]
    cpus = [m["cpu_time_ms"] for m in metrics]
    starts = {s: sum(1 for m in metrics if m["start"] == s) for s in ("forked", "exec")}
    cpu_bound = sum(cpus) / (os.cpu_count() or 1)
    cpu_per_task[prefork] = statistics.median(cpus)
    # The most task processes alive at once, from the recorded task times.
    events = sorted([(t["start_time"], 1) for t in run["tasks"]] + [(t["end_time"], -1) for t in run["tasks"]])
    active = peak = 0
    for _, delta in events:
        active += delta
        peak = max(peak, active)
    print(f"-- BRIX_PREFORK={prefork}: {starts['forked']} tasks forked, {starts['exec']} started fresh")
    print(f"task wall time in the run (median):    {statistics.median(walls):8.1f} ms   (max {max(walls)} ms)")
    print(f"task CPU time in the run (median):     {cpu_per_task[prefork]:8.1f} ms")
    print(f"makespan (run end - start):            {makespan:8.1f} ms   ratio to ideal {makespan / ideal:.2f}")
    print(f"run-now wall time (CLI, waiting):      {cli_ms:8.1f} ms   ratio to ideal {cli_ms / ideal:.2f}")
    print(f"CPU bound (task CPU time / {os.cpu_count()} cores):    {cpu_bound:8.1f} ms   "
          f"makespan / max(ideal, CPU bound) {makespan / max(ideal, cpu_bound):.2f}")
    print(f"most tasks running at once:            {peak:8d}")
    row("dag", f"{n}-task DAG makespan at parallelism {parallelism} (100 ms tasks), BRIX_PREFORK={prefork}", makespan, "ms",
        "ideal: max(critical path, work / parallelism)", ideal, "≤ 1.15× ideal", makespan <= 1.15 * ideal)
row("dag", "CPU time of one 100 ms task (start-up, run, exit; median), forked (BRIX_PREFORK=1)", cpu_per_task["1"], "ms",
    "the same task started fresh (BRIX_PREFORK=0)", cpu_per_task["0"], "lower", cpu_per_task["1"] < cpu_per_task["0"])
PY
)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then bench_dag_makespan "$@"; fi
