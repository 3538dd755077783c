#!/usr/bin/env bash
# Runs that do not succeed: a failing task (Databricks' roll-up, UPSTREAM_FAILED dependants, exit
# 5), retries (attempts recorded), task and job timeouts, the six run_if values with an
# outcome-gated dependency, SUCCESS_WITH_FAILURES; then bad job definitions and bad run-now
# requests, each refused with its message and exit code and without changing the store.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

# last_run JOB: the newest run of JOB into $E2E_TMP/run.json, its id in $RUN
last_run() {
    expect_ok brix runs list --job-id "$1" --limit 1 -o json
    RUN=$(jv "$OUT_FILE" 'd[0]["run_id"]')
    get_run "$RUN"
}

# states: "key=RESULT key=RESULT ..." of the run in $E2E_TMP/run.json, in settings order
states() { jv "$E2E_TMP/run.json" '" ".join(t["task_key"] + "=" + t["state"].get("result_state", t["state"]["life_cycle_state"]) for t in d["tasks"])'; }

# ---------------------------------------------------------------------------------------------
step "scripts"
expect_ok brix workspace mkdirs /Shared/f
printf 'print("fine")\n' >ok.py
cat >boom.py <<'EOF'
import sys
print("about to fail")
def load(row):
    raise ValueError(f"bad row {row}")
load(7)
EOF
printf 'import sys\nprint("exiting 3")\nsys.exit(3)\n' >exit3.py
printf 'import time\nprint("sleeping", flush=True)\ntime.sleep(30)\n' >sleep.py
cat >flaky.py <<'EOF'
# fails until its third attempt: the attempt count lives in DBFS
import os
path = "/dbfs/state/flaky"
n = int(open(path).read()) if os.path.exists(path) else 0
os.makedirs("/dbfs/state", exist_ok=True)
open(path, "w").write(str(n + 1))
print("attempt", n)
if n < 2:
    raise SystemExit(f"not yet ({n})")
EOF
for f in ok boom exit3 sleep flaky; do expect_ok brix workspace import $f.py /Shared/f/$f.py; done

# ---------------------------------------------------------------------------------------------
step "a failing task: run FAILED with life cycle INTERNAL_ERROR, dependants UPSTREAM_FAILED, exit 5"
create_job '{"name": "fails", "tasks": [
  {"task_key": "extract", "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "transform", "depends_on": [{"task_key": "extract"}], "spark_python_task": {"python_file": "/Shared/f/boom.py"}},
  {"task_key": "load", "depends_on": [{"task_key": "transform"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "report", "depends_on": [{"task_key": "load"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}}]}'
FAIL_JOB=$JOB
expect_exit 5 brix jobs run-now "$FAIL_JOB"
# stdout: the output of the tasks that ran; stderr: the failure with its trace, then the verdict
assert_eq $'Task extract:\nfine\n\nTask transform:\nabout to fail' "$(head -5 "$OUT_FILE")" "stdout head"
assert_contains "$ERR" 'Task transform FAILED: ValueError: bad row 7
Traceback (most recent call last):'
assert_contains "$ERR" 'boom.py", line 5, in <module>'
assert_contains "$ERR" 'raise ValueError(f"bad row {row}")'
assert_eq "Error: run FAILED: Task transform failed with message: Workload failed, see run output for details." "$(tail -1 "$ERR_FILE")" "verdict"
assert_contains "$ERR" '"fails" INTERNAL_ERROR FAILED Task transform failed with message: Workload failed, see run output for details.'
last_run "$FAIL_JOB"
assert_json "$E2E_TMP/run.json" 'd["state"] == {"life_cycle_state": "INTERNAL_ERROR", "result_state": "FAILED", "state_message": "Task transform failed with message: Workload failed, see run output for details.", "user_cancelled_or_timedout": False}'
assert_json "$E2E_TMP/run.json" 'd["status"]["state"] == "TERMINATED" and d["status"]["termination_details"]["code"] == "RUN_EXECUTION_ERROR"'
assert_eq "extract=SUCCESS transform=FAILED load=UPSTREAM_FAILED report=UPSTREAM_FAILED" "$(states)" "task states"
assert_json "$E2E_TMP/run.json" '[t["state"]["life_cycle_state"] for t in d["tasks"]] == ["TERMINATED", "TERMINATED", "SKIPPED", "SKIPPED"] and d["tasks"][2]["state"]["state_message"] == "Upstream task(s) failed: transform"'
assert_eq "1|" "$(metric "$(task_run transform)" exit_code)|$(metric "$(task_run load)" exit_code)" "exit codes"
expect_ok brix runs get-output --run-id "$(task_run transform)"
assert_json "$OUT_FILE" 'd["error"] == "ValueError: bad row 7" and d["error_trace"].startswith("Traceback (most recent call last):") and "line 5" in d["error_trace"] and d["logs"].startswith("about to fail\nTraceback")'
# a non-zero exit without a traceback: the error says the status
create_job '{"name": "exit3", "tasks": [{"task_key": "x", "spark_python_task": {"python_file": "/Shared/f/exit3.py"}}]}'
expect_exit 5 brix jobs run-now "$JOB"
assert_contains "$ERR" "Task x FAILED: exiting 3"
last_run "$JOB"
expect_ok brix runs get-output --run-id "$(task_run x)"
assert_json "$OUT_FILE" 'd["error"] == "exiting 3" and "error_trace" not in d'
assert_eq 3 "$(metric "$(task_run x)" exit_code)" "exit code"
# --no-wait starts the same failing run and exits 0 at once
expect_ok brix jobs run-now "$FAIL_JOB" --no-wait
assert_json "$OUT_FILE" 'set(d) == {"run_id", "number_in_job"}'

# ---------------------------------------------------------------------------------------------
step "max_retries: 2 gives three attempts; a retry that succeeds ends the run SUCCESS"
create_job '{"name": "retries", "tasks": [{"task_key": "always", "max_retries": 2, "spark_python_task": {"python_file": "/Shared/f/exit3.py"}}]}'
expect_exit 5 brix jobs run-now "$JOB"
last_run "$JOB"
assert_eq "always=FAILED" "$(states)" "after retries"
assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["attempt_number"] == 2'
assert_eq $'0|FAILED\n1|FAILED\n2|FAILED' \
    "$(sqlite3 "$ROOT/brix.db" "SELECT attempt_number, result_state FROM runs WHERE parent_run_id = $RUN ORDER BY run_id")" "attempts"
assert_eq 1 "$(sqlite3 "$ROOT/brix.db" "SELECT count(DISTINCT original_attempt_run_id) FROM runs WHERE parent_run_id = $RUN")" "one original attempt"
create_job '{"name": "flaky", "tasks": [{"task_key": "flaky", "max_retries": 3, "min_retry_interval_millis": 300, "spark_python_task": {"python_file": "/Shared/f/flaky.py"}},
  {"task_key": "after", "depends_on": [{"task_key": "flaky"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}}]}'
expect_exit 0 brix jobs run-now "$JOB"
assert_out_bytes $'Task flaky:\nattempt 2\n\nTask after:\nfine\n'
last_run "$JOB"
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS" and d["tasks"][0]["attempt_number"] == 2 and d["tasks"][0]["state"]["result_state"] == "SUCCESS"'
assert_eq $'flaky|0|FAILED\nflaky|1|FAILED\nflaky|2|SUCCESS\nafter|0|SUCCESS' \
    "$(sqlite3 "$ROOT/brix.db" "SELECT task_key, attempt_number, result_state FROM runs WHERE parent_run_id = $RUN ORDER BY task_key DESC, attempt_number")" "attempts"
# every attempt points at the first one, and waited min_retry_interval_millis after the previous start
FIRST_ATTEMPT=$(sqlite3 "$ROOT/brix.db" "SELECT min(run_id) FROM runs WHERE parent_run_id = $RUN")
expect_ok brix runs get --run-id "$(task_run flaky)"
assert_eq "$FIRST_ATTEMPT" "$(jv "$OUT_FILE" 'd["original_attempt_run_id"]')" "original_attempt_run_id"
assert_eq 0 "$(sqlite3 "$ROOT/brix.db" "SELECT count(*) FROM runs a JOIN runs b ON b.attempt_number = a.attempt_number + 1 AND b.task_key = a.task_key AND b.parent_run_id = a.parent_run_id WHERE a.parent_run_id = $RUN AND b.start_time - a.start_time < 300")" "retries too early"
# each attempt has its own output
FAILED_ATTEMPT=$(sqlite3 "$ROOT/brix.db" "SELECT run_id FROM runs WHERE parent_run_id = $RUN AND attempt_number = 1")
expect_ok brix runs get-output --run-id "$FAILED_ATTEMPT"
assert_json "$OUT_FILE" 'd["error"] == "not yet (1)" and d["logs"] == "attempt 1\nnot yet (1)\n" and d["metadata"]["attempt_number"] == 1'

# ---------------------------------------------------------------------------------------------
step "timeouts: a task's timeout_seconds, and the job's"
create_job '{"name": "slow", "tasks": [{"task_key": "nap", "timeout_seconds": 1, "spark_python_task": {"python_file": "/Shared/f/sleep.py"}},
  {"task_key": "next", "depends_on": [{"task_key": "nap"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}}]}'
started=$SECONDS
expect_exit 5 brix jobs run-now "$JOB"
((SECONDS - started < 10)) || fail "a 1 s timeout took $((SECONDS - started)) s"
ok
assert_contains "$ERR" "Task nap FAILED: Task timed out after 1 seconds"
assert_eq "Error: run TIMEDOUT: Task nap timed out" "$(tail -1 "$ERR_FILE")" "verdict"
last_run "$JOB"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "TERMINATED" and d["state"]["result_state"] == "TIMEDOUT" and d["state"]["user_cancelled_or_timedout"] is True'
assert_eq "nap=TIMEDOUT next=UPSTREAM_FAILED" "$(states)" "task states"
WALL=$(metric "$(task_run nap)" wall_time_ms)
((950 <= WALL && WALL < 3000)) || fail "the timed-out task ran ${WALL} ms"
ok
NAP_PID=$(sqlite3 "$ROOT/brix.db" "SELECT task_pid FROM runs WHERE parent_run_id = $RUN AND task_key = 'nap'")
kill -0 "$NAP_PID" 2>/dev/null && fail "the timed-out task $NAP_PID is still alive"
ok
expect_ok brix runs get-output --run-id "$(task_run nap)"
assert_json "$OUT_FILE" 'd["error"] == "Task timed out after 1 seconds" and d["logs"] == "sleeping\n"'
# retry_on_timeout retries a timed-out task
create_job '{"name": "slow-retry", "tasks": [{"task_key": "nap", "timeout_seconds": 1, "max_retries": 1, "retry_on_timeout": true, "spark_python_task": {"python_file": "/Shared/f/sleep.py"}}]}'
expect_exit 5 brix jobs run-now "$JOB"
last_run "$JOB"
assert_eq $'0|TIMEDOUT\n1|TIMEDOUT' "$(sqlite3 "$ROOT/brix.db" "SELECT attempt_number, result_state FROM runs WHERE parent_run_id = $RUN ORDER BY run_id")" "timeout attempts"
# the job's own timeout ends the whole run
create_job '{"name": "job-timeout", "timeout_seconds": 1, "tasks": [{"task_key": "nap", "spark_python_task": {"python_file": "/Shared/f/sleep.py"}},
  {"task_key": "next", "depends_on": [{"task_key": "nap"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}}]}'
expect_exit 5 brix jobs run-now "$JOB"
assert_eq "Error: run TIMEDOUT: Run timed out" "$(tail -1 "$ERR_FILE")" "verdict"
last_run "$JOB"
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "TIMEDOUT" and d["status"]["termination_details"]["code"] == "CANCELED"'
assert_eq "nap=TIMEDOUT next=TIMEDOUT" "$(states)" "task states after a job timeout"
expect_ok brix runs get-output --run-id "$(task_run nap)"
assert_json "$OUT_FILE" 'd["error"] == "Run timed out after 1 seconds" and d["logs"] == "sleeping\n" and "error_trace" not in d'
assert_json "$E2E_TMP/run.json" 'd["tasks"][1]["state"]["state_message"] == "Run timed out after 1 seconds"'

# ---------------------------------------------------------------------------------------------
step "run_if: the six values against success, failure and an outcome-gated (EXCLUDED) dependency"
cat >runif.json <<'EOF'
{"name": "run-if", "tasks": [
  {"task_key": "good", "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "good2", "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "bad", "spark_python_task": {"python_file": "/Shared/f/exit3.py"}},
  {"task_key": "bad2", "spark_python_task": {"python_file": "/Shared/f/exit3.py"}},
  {"task_key": "cond", "condition_task": {"op": "EQUAL_TO", "left": "a", "right": "b"}},

  {"task_key": "mixed_all_success", "run_if": "ALL_SUCCESS", "depends_on": [{"task_key": "good"}, {"task_key": "bad"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "mixed_one_success", "run_if": "AT_LEAST_ONE_SUCCESS", "depends_on": [{"task_key": "good"}, {"task_key": "bad"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "mixed_none_failed", "run_if": "NONE_FAILED", "depends_on": [{"task_key": "good"}, {"task_key": "bad"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "mixed_all_done", "run_if": "ALL_DONE", "depends_on": [{"task_key": "good"}, {"task_key": "bad"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "mixed_one_failed", "run_if": "AT_LEAST_ONE_FAILED", "depends_on": [{"task_key": "good"}, {"task_key": "bad"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "mixed_all_failed", "run_if": "ALL_FAILED", "depends_on": [{"task_key": "good"}, {"task_key": "bad"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},

  {"task_key": "good_all_success", "depends_on": [{"task_key": "good"}, {"task_key": "good2"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "good_none_failed", "run_if": "NONE_FAILED", "depends_on": [{"task_key": "good"}, {"task_key": "good2"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "good_one_failed", "run_if": "AT_LEAST_ONE_FAILED", "depends_on": [{"task_key": "good"}, {"task_key": "good2"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "good_all_failed", "run_if": "ALL_FAILED", "depends_on": [{"task_key": "good"}, {"task_key": "good2"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},

  {"task_key": "bad_all_failed", "run_if": "ALL_FAILED", "depends_on": [{"task_key": "bad"}, {"task_key": "bad2"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "bad_one_success", "run_if": "AT_LEAST_ONE_SUCCESS", "depends_on": [{"task_key": "bad"}, {"task_key": "bad2"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},

  {"task_key": "gated", "depends_on": [{"task_key": "cond", "outcome": "true"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "gated_else", "depends_on": [{"task_key": "cond", "outcome": "false"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "gated_none_failed", "run_if": "NONE_FAILED", "depends_on": [{"task_key": "good"}, {"task_key": "cond", "outcome": "true"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "gated_all_success", "run_if": "ALL_SUCCESS", "depends_on": [{"task_key": "good"}, {"task_key": "cond", "outcome": "true"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "after_excluded", "depends_on": [{"task_key": "gated"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}},
  {"task_key": "after_upstream_failed", "run_if": "ALL_DONE", "depends_on": [{"task_key": "mixed_all_success"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}}
]}
EOF
create_job @runif.json
expect_exit 5 brix jobs run-now "$JOB"
last_run "$JOB"
assert_eq "good=SUCCESS good2=SUCCESS bad=FAILED bad2=FAILED cond=SUCCESS \
mixed_all_success=UPSTREAM_FAILED mixed_one_success=SUCCESS mixed_none_failed=UPSTREAM_FAILED mixed_all_done=SUCCESS mixed_one_failed=SUCCESS mixed_all_failed=EXCLUDED \
good_all_success=SUCCESS good_none_failed=SUCCESS good_one_failed=EXCLUDED good_all_failed=EXCLUDED \
bad_all_failed=SUCCESS bad_one_success=UPSTREAM_FAILED \
gated=EXCLUDED gated_else=SUCCESS gated_none_failed=SUCCESS gated_all_success=EXCLUDED after_excluded=EXCLUDED after_upstream_failed=SUCCESS" "$(states)" "run_if results"
assert_json "$E2E_TMP/run.json" 'all(t["state"]["life_cycle_state"] == ("SKIPPED" if t["state"]["result_state"] in ("EXCLUDED", "UPSTREAM_FAILED") else "TERMINATED") for t in d["tasks"])'
assert_json "$E2E_TMP/run.json" '[t["condition_task"]["outcome"] for t in d["tasks"] if t["task_key"] == "cond"] == ["false"]'
# some leaves were skipped because of a failure: the run failed
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "INTERNAL_ERROR" and d["state"]["result_state"] == "FAILED" and d["state"]["state_message"] == "Task bad failed with message: Workload failed, see run output for details."'

# ---------------------------------------------------------------------------------------------
step "SUCCESS_WITH_FAILURES: a failure, but the only leaf (ALL_DONE) succeeded"
create_job '{"name": "swf", "tasks": [
  {"task_key": "work", "spark_python_task": {"python_file": "/Shared/f/boom.py"}},
  {"task_key": "cleanup", "run_if": "ALL_DONE", "depends_on": [{"task_key": "work"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}}]}'
expect_exit 5 brix jobs run-now "$JOB"
assert_contains "$ERR" "Task work FAILED: ValueError: bad row 7"
assert_eq "Error: run SUCCESS_WITH_FAILURES: Task work failed, but every leaf task succeeded" "$(tail -1 "$ERR_FILE")" "verdict"
last_run "$JOB"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "TERMINATED" and d["state"]["result_state"] == "SUCCESS_WITH_FAILURES" and d["status"]["termination_details"] == {"code": "SUCCESS_WITH_FAILURES", "type": "SUCCESS", "message": "Task work failed, but every leaf task succeeded"}'
assert_eq "work=FAILED cleanup=SUCCESS" "$(states)" "task states"
# an ALL_DONE leaf that fails itself: FAILED
create_job '{"name": "swf-no", "tasks": [
  {"task_key": "work", "spark_python_task": {"python_file": "/Shared/f/boom.py"}},
  {"task_key": "cleanup", "run_if": "ALL_DONE", "depends_on": [{"task_key": "work"}], "spark_python_task": {"python_file": "/Shared/f/exit3.py"}}]}'
expect_exit 5 brix jobs run-now "$JOB"
last_run "$JOB"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "INTERNAL_ERROR" and d["state"]["result_state"] == "FAILED"'

# ---------------------------------------------------------------------------------------------
step "a task whose code vanished after create fails at run time with a clear error"
expect_ok brix workspace import ok.py /Shared/f/gone.py
create_job '{"name": "vanish", "tasks": [{"task_key": "v", "spark_python_task": {"python_file": "/Shared/f/gone.py"}}]}'
expect_ok brix workspace rm /Shared/f/gone.py
expect_exit 5 brix jobs run-now "$JOB"
assert_contains "$ERR" "Task v FAILED: python_file /Shared/f/gone.py does not exist"
last_run "$JOB"
expect_ok brix runs get-output --run-id "$(task_run v)"
assert_json "$OUT_FILE" 'd["error"] == "python_file /Shared/f/gone.py does not exist"'

step "a job parameter whose default cannot be resolved fails the run before any task starts"
create_job '{"name": "bad-default", "parameters": [{"name": "x", "default": "{{job.naem}}"}], "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Shared/f/ok.py", "parameters": ["{{job.parameters.x}}"]}}]}'
expect_exit 5 brix jobs run-now "$JOB"
assert_eq "" "$OUT" "stdout"
assert_eq "Error: run FAILED: Unknown dynamic value reference {{job.naem}}" "$(tail -1 "$ERR_FILE")" "verdict"
last_run "$JOB"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "INTERNAL_ERROR" and d["state"]["result_state"] == "FAILED" and d["state"]["state_message"] == "Unknown dynamic value reference {{job.naem}}"'
assert_eq "a=UPSTREAM_FAILED" "$(states)" "task states"
# a job parameter passed at run-now is used as it is
expect_exit 0 brix jobs run-now "$JOB" --job-parameters '{"x": "given"}'
assert_out_bytes $'fine\n'

# =============================================================================================
# Bad input: refused with a message and an exit code; nothing stored.
# rejects CODE MESSAGE cmd...: exits CODE, stderr is "Error: MESSAGE" (a usage error may add the
# help line), nothing on stdout, the store unchanged.
rejects() {
    local code=$1 message=$2
    shift 2
    snapshot_save before
    expect_exit "$code" "$@"
    assert_eq "Error: $message" "$(head -1 "$ERR_FILE")" "stderr"
    assert_eq "" "$OUT" "stdout"
    assert_unchanged before
}
# rejects_run: the same for requests that would start a run: the jobs table and the run count
# must not change (runs elsewhere in the store are not frozen).
rejects_run() {
    local code=$1 message=$2
    shift 2
    local jobs_before runs_before
    jobs_before=$(sqlite3 -readonly "$ROOT/brix.db" "SELECT job_id, settings FROM jobs ORDER BY job_id")
    runs_before=$(sqlite3 -readonly "$ROOT/brix.db" "SELECT count(*), max(run_id) FROM runs")
    expect_exit "$code" "$@"
    assert_eq "Error: $message" "$(head -1 "$ERR_FILE")" "stderr"
    assert_eq "" "$OUT" "stdout"
    assert_eq "$jobs_before" "$(sqlite3 -readonly "$ROOT/brix.db" "SELECT job_id, settings FROM jobs ORDER BY job_id")" "jobs table"
    assert_eq "$runs_before" "$(sqlite3 -readonly "$ROOT/brix.db" "SELECT count(*), max(run_id) FROM runs")" "runs"
}

step "bad job definitions"
printf '# Databricks notebook source\nprint(1)\n' >nb.py
expect_ok brix workspace import nb.py /Shared/f/nb.py
py='"spark_python_task": {"python_file": "/Shared/f/ok.py"}'
rejects 2 "--json must be a JSON object, not a JSON array" brix jobs create --json '[{"name": "x"}]'
rejects 2 "--json must be a JSON object, not a JSON string" brix jobs create --json '"x"'
printf '[1, 2]\n' >array.json
rejects 1 "array.json must hold a JSON object (or a YAML mapping), not a JSON array" brix jobs create --json @array.json
printf -- '- a\n- b\n' >list.yml
rejects 1 "list.yml must hold a JSON object (or a YAML mapping), not a JSON array" brix jobs create --json-file list.yml
printf '{"name": "x",' >broken.json
rejects 1 "invalid JSON in broken.json: parse error at line 1, column 14: syntax error while parsing object key - unexpected end of input; expected string literal" brix jobs create --json @broken.json
rejects 2 "invalid JSON in --json: parse error at line 1, column 2: syntax error while parsing value - invalid literal; last read: 'na'" brix jobs create --json 'name: x'
rejects 1 "Each task needs a task_key" brix jobs create --json "{\"name\": \"x\", \"tasks\": [{$py}]}"
rejects 1 "Duplicate task_key 'a'" brix jobs create --json "{\"tasks\": [{\"task_key\": \"a\", $py}, {\"task_key\": \"b\", $py}, {\"task_key\": \"a\", $py}]}"
rejects 1 "The task dependencies form a cycle" brix jobs create --json "{\"tasks\": [{\"task_key\": \"a\", \"depends_on\": [{\"task_key\": \"c\"}], $py}, {\"task_key\": \"b\", \"depends_on\": [{\"task_key\": \"a\"}], $py}, {\"task_key\": \"c\", \"depends_on\": [{\"task_key\": \"b\"}], $py}]}"
rejects 1 "The task dependencies form a cycle" brix jobs create --json "{\"tasks\": [{\"task_key\": \"a\", \"depends_on\": [{\"task_key\": \"a\"}], $py}]}"
rejects 1 "Task b depends on unknown task 'zz'" brix jobs create --json "{\"tasks\": [{\"task_key\": \"a\", $py}, {\"task_key\": \"b\", \"depends_on\": [{\"task_key\": \"zz\"}], $py}]}"
rejects 1 "Task a must have exactly one task type (notebook_task, spark_python_task, python_wheel_task, run_job_task, condition_task, ...)" \
    brix jobs create --json '{"tasks": [{"task_key": "a", "quantum_task": {"qubits": 3}}]}'
rejects 1 "Task a must have exactly one task type (notebook_task, spark_python_task, python_wheel_task, run_job_task, condition_task, ...)" \
    brix jobs create --json "{\"tasks\": [{\"task_key\": \"a\", $py, \"notebook_task\": {\"notebook_path\": \"/Shared/f/nb\"}}]}"
rejects 1 "Task a: python_file /Shared/f/missing.py does not exist" brix jobs create --json '{"tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Shared/f/missing.py"}}]}'
rejects 1 "Task a: python_file dbfs:/nope.py does not exist" brix jobs create --json '{"tasks": [{"task_key": "a", "spark_python_task": {"python_file": "dbfs:/nope.py"}}]}'
rejects 1 "Task a: /Shared/f/ok.py is not a notebook" brix jobs create --json '{"tasks": [{"task_key": "a", "notebook_task": {"notebook_path": "/Shared/f/ok.py"}}]}'
rejects 1 "Task a: /Shared/f is not a notebook" brix jobs create --json '{"tasks": [{"task_key": "a", "notebook_task": {"notebook_path": "/Shared/f"}}]}'
rejects 1 "Task a: /Shared/f/none is not a notebook" brix jobs create --json '{"tasks": [{"task_key": "a", "notebook_task": {"notebook_path": "/Shared/f/none"}}]}'
rejects 1 "Task a: base_parameters.n must be a string (widget values are strings)" \
    brix jobs create --json '{"tasks": [{"task_key": "a", "notebook_task": {"notebook_path": "/Shared/f/nb", "base_parameters": {"n": 5}}}]}'
rejects 1 "Task a: invalid run_if \"SOMETIMES\"" brix jobs create --json "{\"tasks\": [{\"task_key\": \"a\", \"run_if\": \"SOMETIMES\", $py}]}"
rejects 1 "Task c: condition_task.op must be one of EQUAL_TO, NOT_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL" \
    brix jobs create --json '{"tasks": [{"task_key": "c", "condition_task": {"op": "ROUGHLY", "left": "1", "right": "2"}}]}'
rejects 1 "Invalid task_key 'a b': use letters, digits, _ and - (at most 100)" brix jobs create --json "{\"tasks\": [{\"task_key\": \"a b\", $py}]}"
rejects 1 "max_concurrent_runs must be an integer from 0 to 1000" brix jobs create --json '{"name": "x", "max_concurrent_runs": "2"}'
rejects 1 "Each job parameter needs a string name and a string default" brix jobs create --json '{"name": "x", "parameters": [{"name": "n", "default": 1}]}'
rejects 2 "either --json or --json-file is required" brix jobs create
# reset and update check the new settings the same way
create_job "{\"name\": \"keep\", \"tasks\": [{\"task_key\": \"a\", $py}, {\"task_key\": \"b\", \"depends_on\": [{\"task_key\": \"a\"}], $py}]}"
rejects 1 "Task a must have exactly one task type (notebook_task, spark_python_task, python_wheel_task, run_job_task, condition_task, ...)" \
    brix jobs reset "$JOB" --json '{"name": "broken", "tasks": [{"task_key": "a"}]}'
rejects 1 "The task dependencies form a cycle" brix jobs update "$JOB" --json '{"new_settings": {"tasks": [{"task_key": "a", "depends_on": [{"task_key": "b"}], "spark_python_task": {"python_file": "/Shared/f/ok.py"}}]}}'
rejects 1 "Task b depends on unknown task 'a'" brix jobs update "$JOB" --json '{"fields_to_remove": ["tasks/a"]}'
rejects 2 "fields_to_remove must be a JSON array of field names, e.g. [\"schedule\", \"tasks/old_task\"]" brix jobs update "$JOB" --json '{"fields_to_remove": "tasks/a"}'
rejects_run 1 "A run needs at least one task" brix runs submit --json '{"run_name": "nothing"}'
rejects_run 1 "Each task needs a task_key" brix runs submit --json "{\"tasks\": [{$py}]}"
rejects 2 "give --json or --json-file, not both" brix jobs create --json '{}' --json-file array.json

step "bad run requests"
create_job "{\"name\": \"target\", \"parameters\": [{\"name\": \"env\", \"default\": \"dev\"}], \"tasks\": [{\"task_key\": \"a\", $py}]}"
TARGET=$JOB
rejects_run 3 "Job 999999 does not exist." brix jobs run-now --job-id 999999
rejects_run 3 "Job 999999 does not exist." brix jobs run-now 999999 --no-wait
rejects 3 "Job 999999 does not exist." brix jobs get --job-id 999999
rejects 3 "Job 999999 does not exist." brix jobs reset --job-id 999999 --json "{\"name\": \"x\", \"tasks\": [{\"task_key\": \"a\", $py}]}"
rejects 3 "Job 999999 does not exist." brix jobs update 999999 --json '{"new_settings": {"name": "x"}}'
rejects 3 "Job 999999 does not exist." brix jobs delete 999999
create_job '{"name": "no-tasks"}'
rejects_run 1 "Job $JOB has no tasks to run" brix jobs run-now "$JOB"
rejects_run 1 "Job parameter 'nope' is not defined in the job settings" brix jobs run-now "$TARGET" --job-parameters '{"nope": "1"}'
rejects_run 1 "Job parameter 'nope' is not defined in the job settings" brix jobs run-now --json "{\"job_id\": $TARGET, \"job_parameters\": {\"env\": \"prod\", \"nope\": \"1\"}}"
rejects_run 2 "--notebook-params: the value of \"n\" is 5 (a number), but widget values must be strings: write \"5\"" brix jobs run-now "$TARGET" --notebook-params '{"n": 5}'
rejects_run 2 "--job-parameters: the value of \"env\" is true (a boolean), but parameter values must be strings: write \"true\"" brix jobs run-now "$TARGET" --job-parameters '{"env": true}'
rejects_run 2 "--python-params must be a JSON array of strings, e.g. '[\"--day\", \"2026-11-21\"]', not a JSON object" brix jobs run-now "$TARGET" --python-params '{"a": "b"}'
rejects_run 2 "invalid job ID \"abc\": expected a number" brix jobs run-now abc
rejects_run 2 "missing job ID: pass JOB_ID, --job-id, or \"job_id\" in the JSON" brix jobs run-now
rejects_run 2 "give the job ID once: as JOB_ID or with --job-id, not both" brix jobs run-now "$TARGET" --job-id "$TARGET"
rejects_run 2 "--wait and --no-wait cannot be combined" brix jobs run-now "$TARGET" --wait --no-wait
rejects 3 "Run 999999 does not exist." brix runs get-output --run-id 999999
rejects 3 "Run 999999 does not exist." brix runs cancel --run-id 999999
# nothing ran for the target job
expect_ok brix runs list --job-id "$TARGET" -o json
assert_eq "[]" "$OUT" "runs of the target job"

finish
