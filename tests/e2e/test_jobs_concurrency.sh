#!/usr/bin/env bash
# Runs and processes: cancel kills the whole process tree of a task; a waiting CLI killed with
# kill -9 leaves no task behind and its run ends INTERNAL_ERROR; Ctrl-C on a waiting CLI leaves
# the run going; 50 parallel run-now on a job with max_concurrent_runs 2 all succeed, never more
# than 2 at once; with queueing off, the extra run is skipped.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

# gone_within MS PID...: every PID stops within MS milliseconds
gone_within() {
    local ms=$1 pid waited=0
    shift
    for pid in "$@"; do
        while alive "$pid"; do
            ((waited < ms)) || fail "process $pid still alive after ${ms} ms"
            sleep 0.05
            waited=$((waited + 50))
        done
    done
    ok
}

# The task: writes "<its pid> <its child's pid>" to /dbfs/pids/<name>, then sleeps; its child
# (a subprocess) sleeps too, in the same process group.
cat >tree.py <<'EOF'
import os, subprocess, sys, time
child = subprocess.Popen(["sleep", "60"])
os.makedirs("/dbfs/pids", exist_ok=True)
tmp = f"/dbfs/pids/.{sys.argv[1]}.tmp"
with open(tmp, "w") as f:
    f.write(f"{os.getpid()} {child.pid}\n")
os.rename(tmp, f"/dbfs/pids/{sys.argv[1]}")
print("started", flush=True)
time.sleep(60)
EOF
expect_ok brix workspace import tree.py /Shared/tree.py
printf 'import time\ntime.sleep(0.1)\nprint("ok")\n' >short.py
expect_ok brix workspace import short.py /Shared/short.py

# ---------------------------------------------------------------------------------------------
step "runs cancel of a --no-wait run kills the task and its child within 2 s; the run ends CANCELED"
expect_ok brix jobs create --json '{"name": "tree", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/tree.py", "parameters": ["one"]}}, {"task_key": "after", "depends_on": [{"task_key": "t"}], "spark_python_task": {"python_file": "/Shared/short.py"}}]}'
TREE_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
expect_ok brix jobs run-now "$TREE_JOB" --no-wait
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
wait_file "$ROOT/dbfs/pids/one" 15
read -r TASK_PID CHILD_PID <"$ROOT/dbfs/pids/one"
alive "$TASK_PID" || fail "task $TASK_PID is not running"
alive "$CHILD_PID" || fail "child $CHILD_PID is not running"
ok
# the engine knows the task's pid (its process group)
assert_eq "$TASK_PID" "$(sqlite3 "$ROOT/brix.db" "SELECT task_pid FROM runs WHERE parent_run_id = $RUN AND task_key = 't'")" "task_pid"
get_run "$RUN"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "RUNNING" and d["tasks"][0]["state"]["life_cycle_state"] == "RUNNING" and d["tasks"][1]["state"]["life_cycle_state"] == "PENDING"'
expect_ok brix runs cancel --run-id "$RUN"
assert_eq "{}" "$OUT" "legacy cancel prints {}"
gone_within 2000 "$TASK_PID" "$CHILD_PID"
wait_done "$RUN" 10
assert_json "$E2E_TMP/run.json" 'd["state"] == {"life_cycle_state": "TERMINATED", "result_state": "CANCELED", "state_message": "Run canceled", "user_cancelled_or_timedout": True} and d["status"]["termination_details"]["code"] == "USER_CANCELED"'
assert_json "$E2E_TMP/run.json" '[(t["task_key"], t["state"]["result_state"]) for t in d["tasks"]] == [("t", "CANCELED"), ("after", "CANCELED")]'
CODE=$(metric "$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')" exit_code)
[[ $CODE == $((128 + 15)) || $CODE == $((128 + 9)) ]] || fail "the canceled task's exit code: $CODE"
ok
expect_ok brix runs get-output --run-id "$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')"
assert_json "$OUT_FILE" 'd["error"] == "Task canceled" and d["logs"] == "started\n"'
# cancelling a finished run changes nothing
expect_ok brix runs cancel --run-id "$RUN"
get_run "$RUN"
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "CANCELED"'

step "jobs cancel-run (new syntax) waits for the end and prints the run; cancelling a task run cancels its job run"
expect_ok brix jobs run-now "$TREE_JOB" --no-wait --json "{\"python_params\": [\"two\"]}"
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
wait_file "$ROOT/dbfs/pids/two" 15
read -r TASK_PID CHILD_PID <"$ROOT/dbfs/pids/two"
get_run "$RUN"
TASK_RUN=$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')
started_ms=$(date +%s%3N)
expect_exit 0 brix jobs cancel-run "$TASK_RUN"
elapsed=$(($(date +%s%3N) - started_ms))
((elapsed < 5000)) || fail "cancel-run took $elapsed ms"
ok
assert_json "$OUT_FILE" 'd["run_id"] == '"$TASK_RUN"' and d["state"]["result_state"] == "CANCELED"'
gone_within 2000 "$TASK_PID" "$CHILD_PID"
wait_done "$RUN" 10
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "CANCELED"'

# ---------------------------------------------------------------------------------------------
step "kill -9 of the waiting CLI: the run ends INTERNAL_ERROR on the next runs get, no orphan task"
expect_ok brix jobs create --json '{"name": "orphan", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/tree.py", "parameters": ["three"]}}]}'
ORPHAN_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
brix_bg jobs run-now "$ORPHAN_JOB" >"$E2E_TMP/bg.out" 2>"$E2E_TMP/bg.err"
CLI_PID=$BG_PID
wait_file "$ROOT/dbfs/pids/three" 15
read -r TASK_PID CHILD_PID <"$ROOT/dbfs/pids/three"
alive "$CLI_PID" || fail "the waiting CLI is gone already"
ok
{ kill -9 "$CLI_PID" && wait "$CLI_PID"; } 2>/dev/null  # (quiet: no "Killed" line from bash)
assert_eq 137 "$?" "status of the killed CLI"
expect_ok brix runs list --job-id "$ORPHAN_JOB" -o json
RUN=$(jv "$OUT_FILE" 'd[0]["run_id"]')
if backend_is_local; then
    get_run "$RUN"
    assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "INTERNAL_ERROR" and d["state"]["result_state"] == "FAILED" and d["state"]["state_message"].startswith("The run\x27s executor (pid ") and d["state"]["state_message"].endswith(") stopped before the run finished; its tasks were stopped") and d["status"]["termination_details"]["code"] == "INTERNAL_ERROR"'
    assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["state"]["life_cycle_state"] == "INTERNAL_ERROR"'
    gone_within 1000 "$TASK_PID" "$CHILD_PID"
else
    # Through a server, as on a workspace, the run does not depend on the CLI that waited for it.
    expect_ok brix runs cancel --run-id "$RUN"
    gone_within 2000 "$TASK_PID" "$CHILD_PID"
    wait_done "$RUN" 10
    assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "CANCELED"'
fi
expect_ok brix runs list --active-only -o json
assert_eq "[]" "$OUT" "no active runs"
# the job takes new runs
expect_ok brix jobs run-now "$ORPHAN_JOB" --no-wait --json '{"python_params": ["four"]}'
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
wait_file "$ROOT/dbfs/pids/four" 15
read -r TASK_PID CHILD_PID <"$ROOT/dbfs/pids/four"
expect_ok brix jobs cancel-all-runs "$ORPHAN_JOB"
gone_within 2000 "$TASK_PID" "$CHILD_PID"
wait_done "$RUN" 10
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "CANCELED"'

step "Ctrl-C on the waiting CLI: exit 130, the run goes on and succeeds"
env --default-signal=INT true 2>/dev/null || fail "this test needs env --default-signal (GNU coreutils 8.31 or later)"
printf 'import time\ntime.sleep(1.5)\nprint("finished anyway")\n' >slowish.py
expect_ok brix workspace import slowish.py /Shared/slowish.py
expect_ok brix jobs create --json '{"name": "interrupted", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/slowish.py"}}]}'
INT_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
# (a background command of a script starts with SIGINT ignored; env restores the default)
env --default-signal=INT "$BRIX" jobs run-now "$INT_JOB" >"$E2E_TMP/bg.out" 2>"$E2E_TMP/bg.err" &
CLI_PID=$!
deadline=$((SECONDS + 10))
until [[ $(sqlite3 "$ROOT/brix.db" "SELECT IFNULL(max(task_pid), 0) FROM runs WHERE job_id = $INT_JOB") != 0 ]]; do
    ((SECONDS < deadline)) || fail "the task never started"
    sleep 0.05
done
kill -INT "$CLI_PID"
wait "$CLI_PID"
assert_eq 130 "$?" "status after Ctrl-C"
expect_ok brix runs list --job-id "$INT_JOB" -o json
RUN=$(jv "$OUT_FILE" 'd[0]["run_id"]')
wait_done "$RUN" 10
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS"'
expect_ok brix runs get-output --run-id "$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')"
assert_json "$OUT_FILE" 'd["logs"] == "finished anyway\n"'

step "run-now --timeout: exit 124 when the wait is over, the run goes on and succeeds"
expect_exit 124 brix jobs run-now "$INT_JOB" --timeout 300ms
RUN=$(sqlite3 "$ROOT/brix.db" "SELECT max(run_id) FROM runs WHERE job_id = $INT_JOB AND parent_run_id IS NULL")
assert_eq "Error: timed out after 300ms waiting for run $RUN (it goes on; see brix runs get --run-id $RUN)" "$(tail -1 "$ERR_FILE")" "timeout message"
assert_eq "" "$OUT" "stdout after a wait timeout"
wait_done "$RUN" 10
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS"'

# ---------------------------------------------------------------------------------------------
step "50 parallel run-now --no-wait, max_concurrent_runs 2: all succeed, at most 2 at once, unique ids"
expect_ok brix jobs create --json '{"name": "crowd", "max_concurrent_runs": 2, "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/short.py"}}]}'
CROWD_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
mkdir -p crowd
crowd_pids=()
for i in $(seq 1 50); do
    brix jobs run-now "$CROWD_JOB" --no-wait >"crowd/$i.out" 2>"crowd/$i.err" &
    crowd_pids+=($!)
done
wait "${crowd_pids[@]}"  # not a bare wait: through `brix serve`, the server is a child too
for i in $(seq 1 50); do
    [[ ! -s crowd/$i.err ]] || fail "run-now $i wrote to stderr: $(cat "crowd/$i.err")"
done
ok
cat crowd/*.out | python3 -c 'import json, sys; ids = [json.loads(l)["run_id"] for l in sys.stdin.read().replace("}\n{", "}\x00{").split("\x00")]; print(len(ids), len(set(ids)))' >crowd/ids
assert_eq "50 50" "$(cat crowd/ids)" "run ids (count, distinct)"
deadline=$((SECONDS + 90))
while :; do
    expect_ok brix runs list --job-id "$CROWD_JOB" --active-only -o json
    [[ $OUT == "[]" ]] && break
    ((SECONDS < deadline)) || fail "the 50 runs did not finish in 90 s"
    sleep 0.5
done
expect_ok brix runs list --job-id "$CROWD_JOB" --limit 60 -o json
cp "$OUT_FILE" crowd/runs.json
assert_json crowd/runs.json 'len(d) == 50 and len({r["run_id"] for r in d}) == 50'
assert_json crowd/runs.json 'all(r["state"]["life_cycle_state"] == "TERMINATED" and r["state"]["result_state"] == "SUCCESS" for r in d)'
assert_json crowd/runs.json 'all(0 < r["start_time"] <= r["end_time"] for r in d)'
# the most runs active at one instant: ends before starts at the same millisecond
MAX_ACTIVE=$(jv crowd/runs.json 'max(__import__("itertools").accumulate(c for _, c in sorted([(r["start_time"], 1) for r in d] + [(r["end_time"], -1) for r in d], key=lambda e: (e[0], e[1]))))')
assert_eq 2 "$MAX_ACTIVE" "most runs at once"
# and the task processes never overlapped by more than two either
TASK_MAX=$(sqlite3 "$ROOT/brix.db" "SELECT start_time, 1 FROM runs WHERE job_id = $CROWD_JOB AND parent_run_id IS NOT NULL UNION ALL SELECT end_time, -1 FROM runs WHERE job_id = $CROWD_JOB AND parent_run_id IS NOT NULL ORDER BY 1, 2" |
    awk -F'|' '{ n += $2; if (n > m) m = n } END { print m }')
((TASK_MAX <= 2)) || fail "up to $TASK_MAX tasks overlapped"
ok

# ---------------------------------------------------------------------------------------------
step "queueing off: a run over max_concurrent_runs is skipped"
expect_ok brix jobs create --json '{"name": "no-queue", "max_concurrent_runs": 1, "queue": {"enabled": false}, "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/tree.py", "parameters": ["five"]}}]}'
NQ_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
expect_ok brix jobs run-now "$NQ_JOB" --no-wait
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
wait_file "$ROOT/dbfs/pids/five" 15
expect_exit 5 brix jobs run-now "$NQ_JOB"
assert_eq "Error: run MAXIMUM_CONCURRENT_RUNS_REACHED: Skipped: the job already has 1 active run(s) (max_concurrent_runs)" "$(tail -1 "$ERR_FILE")" "verdict"
expect_ok brix runs list --job-id "$NQ_JOB" --limit 1 -o json
assert_json "$OUT_FILE" 'd[0]["state"]["life_cycle_state"] == "SKIPPED" and d[0]["state"]["result_state"] == "MAXIMUM_CONCURRENT_RUNS_REACHED" and d[0]["status"]["termination_details"]["code"] == "MAX_CONCURRENT_RUNS_EXCEEDED"'
read -r TASK_PID CHILD_PID <"$ROOT/dbfs/pids/five"
expect_ok brix runs cancel --run-id "$RUN"
gone_within 2000 "$TASK_PID" "$CHILD_PID"
wait_done "$RUN" 10

finish
