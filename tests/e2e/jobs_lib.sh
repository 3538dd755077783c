# Helpers shared by the jobs suites (test_jobs*.sh), on top of lib.sh.

# jv FILE EXPR: a Python expression on the JSON in FILE (as d); strings bare, anything else as JSON.
jv() {
    python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))
PY
}

# create_job JSON-OR-@FILE: creates a job, its ID in $JOB.
create_job() {
    expect_ok brix jobs create --json "$1"
    JOB=$(jv "$OUT_FILE" 'd["job_id"]')
    [[ $JOB =~ ^[0-9]+$ ]] || fail "no job_id in [$OUT]"
    ok
}

# get_run RUN_ID: the run's JSON in $E2E_TMP/run.json.
get_run() {
    expect_ok brix runs get --run-id "$1"
    cp "$OUT_FILE" "$E2E_TMP/run.json"
}

# metric TASK_RUN_ID NAME: a measure the engine recorded for a task run (exit_code, wall_time_ms,
# file_system, ...; the brix_metrics of the run's answers), read from its database.
metric() { sqlite3 -readonly "$ROOT/brix.db" "SELECT json_extract(metrics, '\$.$2') FROM runs WHERE run_id = $1"; }

# task_run KEY: the run ID of task KEY in the last get_run.
task_run() { jv "$E2E_TMP/run.json" '[t["run_id"] for t in d["tasks"] if t["task_key"] == "'"$1"'"][0]'; }

# wait_done RUN_ID [SECONDS]: polls until the run is no longer active.
wait_done() {
    local run=$1 limit=${2:-30} state
    local deadline=$((SECONDS + limit))
    while :; do
        get_run "$run"
        state=$(jv "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"]')
        case $state in QUEUED | PENDING | RUNNING | TERMINATING | BLOCKED | WAITING_FOR_RETRY) ;; *) return 0 ;; esac
        ((SECONDS < deadline)) || fail "run $run still $state after ${limit}s"
        sleep 0.1
    done
}

# alive PID: the process exists and is not a zombie (an unreaped zombie has stopped running)
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z ]]
}

# wait_file PATH SECONDS: until PATH exists
wait_file() {
    local deadline=$((SECONDS + $2))
    until [[ -s $1 ]]; do
        ((SECONDS < deadline)) || fail "$1 did not appear within $2 s"
        sleep 0.05
    done
    ok
}
