#!/usr/bin/env bash
# Listing a big engine: `runs list` and `jobs list-runs` with LIST_RUNS (default 100,000) runs in
# the store, `workspace ls` of a folder with LIST_OBJECTS (default 10,000) objects, on the local
# engine and through `brix serve`. Target: under 50 ms a listing.
#
#   tests/bench/listing.sh
#   LIST_RUNS=20000 LIST_OBJECTS=2000 RUNS=5 tests/bench/listing.sh
#
# Two engine roots are filled the same way: the big one, and a small one (1,000 runs, 100 objects)
# that is the reference: the same command on the small root, timed in the same rounds, so the
# ratio says how much the listing slows down as the store grows (1.00: not at all). For
# `workspace ls`, whose output grows with the folder, the reference is `ls -l` of a folder
# holding the same files on disk.
#
# Runs: three jobs run once for real (`jobs run-now`); seed_runs.py then clones those finished
# runs into the store until it holds LIST_RUNS job runs, one task run each: `bench-rare` has 10
# runs, `bench-hourly` 1 in 100, `bench-main` the rest, interleaved over the history. Objects:
# `workspace import-dir` of a folder of small files, half of them notebooks.
# `jobs list-runs` of every run in the store (a bulk dump, 4,000 pages) is timed once, without a
# target for its time. Each listing's output is checked (count, order) before it is timed.
# A measurement, not a test: it never fails on a slow result.

# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# seed_root ROOT RUNS OBJECTS: an engine root with RUNS job runs and a folder /Shared/big of
# OBJECTS objects (its source folder stays at ROOT.files for `ls -l`); prints the jobs' IDs.
seed_root() {
    local root=$1 runs=$2 objects=$3 files="$1.files" i
    BRIX_HOME=$root
    printf 'print("hello")\n' >"$root.one_line.py"
    "$BRIX" workspace import "$root.one_line.py" /Shared/one_line.py >/dev/null
    local name job run ids=() templates=()
    for name in bench-main bench-hourly bench-rare; do
        job=$("$BRIX" jobs create -o json --json "{\"name\": \"$name\", \"tasks\": [{\"task_key\": \"t\",
              \"spark_python_task\": {\"python_file\": \"/Shared/one_line.py\"}}]}" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
        "$BRIX" -q jobs run-now "$job" >/dev/null
        run=$("$BRIX" runs list --job-id "$job" -o json | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["run_id"])')
        ids+=("$job")
        templates+=("$run")
    done
    # Copies of each template run, which counts itself: RUNS job runs in all.
    local hourly=$((runs / 100 > 1 ? runs / 100 : 1)) rare=10
    "$PYTHON" "$BENCH_DIR/seed_runs.py" "$root/brix.db" \
        "${templates[0]}" $((runs - hourly - rare - 1)) "${templates[1]}" $((hourly - 1)) "${templates[2]}" $((rare - 1))

    mkdir -p "$files"
    for ((i = 0; i < objects; i += 2)); do
        printf 'data %d\n' "$i" >"$files/file$i.txt"
        printf '# Databricks notebook source\nprint(%d)\n' "$i" >"$files/notebook$i.py"
    done
    "$BRIX" workspace import-dir "$files" /Shared/big >/dev/null
    echo "${ids[*]}"
}

bench_listing() (
    set -euo pipefail
    bench_need ls
    bench_workdir listing
    bench_isolate "$WORK"
    local runs=${LIST_RUNS:-100000} objects=${LIST_OBJECTS:-10000} big_jobs small_jobs start=$SECONDS
    big_jobs=$(seed_root "$WORK/big" "$runs" "$objects")
    small_jobs=$(seed_root "$WORK/small" 1000 100)
    echo "listing: seeded $runs runs and $objects objects in $((SECONDS - start)) s"
    bench_serve_start "$WORK/big"
    "$PYTHON" - "$BRIX" "${RUNS:-10}" "$WORK" "$runs" "$objects" \
        "$big_jobs" "$small_jobs" <<'PY'
import json
import os
import subprocess
import sys

from benchlib import fail, interleaved, median, peak_rss_kib, row, run_once

brix, rounds, work, runs, objects = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
big_jobs, small_jobs = sys.argv[6].split(), sys.argv[7].split()
big = dict(os.environ, BRIX_HOME=f"{work}/big")
small = dict(os.environ, BRIX_HOME=f"{work}/small")
served = dict(os.environ, DATABRICKS_HOST=os.environ["SERVE_URL"], DATABRICKS_TOKEN=os.environ["SERVE_TOKEN"])
served.pop("BRIX_HOME")


def output(argv, env):
    done = subprocess.run(argv, capture_output=True, env=env)
    if done.returncode != 0:
        fail(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode().strip()}")
    return done.stdout


def check_runs(argv, env, count, job_id=None):
    """The listing returns `count` runs, newest first, of the right job."""
    listed = json.loads(output([*argv, "-o", "json"], env))
    ids = [r["run_id"] for r in listed]
    if len(ids) != count or ids != sorted(ids, reverse=True) or (job_id and {r["job_id"] for r in listed} != {int(job_id)}):
        fail(f"{' '.join(argv)}: expected {count} runs newest first, got {len(ids)}: {ids[:5]}...")


def check_objects(argv, env, count):
    listed = json.loads(output([*argv, "-o", "json"], env))
    if len(listed) != count or [o["path"] for o in listed] != sorted(o["path"] for o in listed):
        fail(f"{' '.join(argv)}: expected {count} objects in path order, got {len(listed)}")


# (figure, argv on the big root, argv on the small root, runs expected on each)
run_cases = [
    ("`runs list` (default page: 20)", ["runs", "list"], ["runs", "list"], 20, 20, None),
    ("`runs list --limit 25`", ["runs", "list", "--limit", "25"], ["runs", "list", "--limit", "25"], 25, 25, None),
    ("`runs list --limit 1000` (40 pages of 25)", ["runs", "list", "--limit", "1000"],
     ["runs", "list", "--limit", "1000"], 1000, 1000, None),
    ("`runs list --job-id` (a job with 10 runs)", ["runs", "list", "--job-id", big_jobs[2]],
     ["runs", "list", "--job-id", small_jobs[2]], 10, 10, 2),
    ("`jobs list-runs --job-id` (every run of a job with 1 in 100 runs)", ["jobs", "list-runs", "--job-id", big_jobs[1]],
     ["jobs", "list-runs", "--job-id", small_jobs[1]], runs // 100, 10, 1),
]
cases = []
for figure, big_args, small_args, big_count, small_count, job in run_cases:
    check_runs([brix, *big_args], big, big_count, job is not None and big_jobs[job])
    check_runs([brix, *small_args], small, small_count, job is not None and small_jobs[job])
    cases += [(figure, [brix, *big_args], big), (figure + " small", [brix, *small_args], small)]
check_runs([brix, "runs", "list", "--offset", str(runs - 5), "--limit", "25"], big, 5)  # RUNS job runs in all
check_runs([brix, "runs", "list"], served, 20)
cases += [("`runs list` through `brix serve`", [brix, "runs", "list"], served)]

folder = "/Shared/big"
for env in (big, served):
    check_objects([brix, "workspace", "ls", folder], env, objects)
ws_cases = [
    ("`workspace ls` (text)", [brix, "workspace", "ls", folder], big),
    ("`workspace ls -o json`", [brix, "workspace", "ls", folder, "-o", "json"], big),
    ("`workspace ls` (text) through `brix serve`", [brix, "workspace", "ls", folder], served),
    ("`workspace ls -o json` through `brix serve`", [brix, "workspace", "ls", folder, "-o", "json"], served),
    ("ls -l", ["ls", "-l", f"{work}/big.files"], None),
]
cpu = {}
samples = interleaved(cases + ws_cases, rounds, cpu=cpu)

print(f"listing: {runs} runs and a folder of {objects} objects; median of {rounds} interleaved runs, ms")
print(f"{'command':<72}{'median':>9}{'min':>9}{'cpu':>9}{'small':>9}{'x small':>9}   (cpu: the CLI's CPU time, median)")
target = 50.0
for figure, *_ in run_cases:
    value, reference = median(samples[figure]), median(samples[figure + " small"])
    print(f"{figure:<72}{value:>9.1f}{min(samples[figure]):>9.1f}{median(cpu[figure]):>9.1f}{reference:>9.1f}"
          f"{value / reference:>9.2f}")
    row("listing", f"{figure}, {runs:,} runs in the store", value, "ms", "same command, 1,000 runs in the store", reference,
        "< 50 ms", value < target)
figure = "`runs list` through `brix serve`"
value, reference = median(samples[figure]), median(samples["`runs list` (default page: 20) small"])
print(f"{figure:<72}{value:>9.1f}{min(samples[figure]):>9.1f}{median(cpu[figure]):>9.1f}")
row("listing", f"{figure}, {runs:,} runs", value, "ms", "local `runs list`, 1,000 runs in the store", reference, "< 50 ms", value < target)
ls = median(samples["ls -l"])
for figure, *_ in ws_cases[:-1]:
    value = median(samples[figure])
    print(f"{figure:<72}{value:>9.1f}{min(samples[figure]):>9.1f}{median(cpu[figure]):>9.1f}{'':>9}{value / ls:>9.2f} x ls -l")
    row("listing", f"{figure}, {objects:,} objects", value, "ms", f"`ls -l` of {objects:,} files", ls, "< 50 ms", value < target)
print(f"{'ls -l of the same files on disk':<72}{ls:>9.1f}{min(samples['ls -l']):>9.1f}{median(cpu['ls -l']):>9.1f}")

# Every run of the store, page after page: a bulk dump, timed once, with no target for its time.
figure = f"`jobs list-runs` (every run: {runs:,}, {runs // 25:,} pages of 25)"
every = run_once([brix, "jobs", "list-runs"], big)
every_small = run_once([brix, "jobs", "list-runs"], small)
print(f"{figure:<72}{every:>9.1f}{'':>18}{every_small:>9.1f}{every / every_small:>9.2f}")
row("listing", f"{figure}, text", every, "ms", "same command, 1,000 runs in the store", every_small)

for figure, argv in [(f"`jobs list-runs` of all {runs:,} runs (text)", [brix, "jobs", "list-runs"]),
                     (f"`workspace ls -o json` of {objects:,} objects", [brix, "workspace", "ls", folder, "-o", "json"]),
                     (f"`runs list --limit 1000`, {runs:,} runs in the store", [brix, "runs", "list", "--limit", "1000"])]:
    rss = peak_rss_kib(argv, big)
    if rss is not None:
        print(f"peak RSS of {figure}: {rss / 1024:.1f} MiB")
        row("memory", f"peak RSS, CLI: {figure}", rss / 1024, "MiB", "", None, "< 15 MB", rss * 1024 < 15e6)
PY
)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then bench_listing "$@"; fi
