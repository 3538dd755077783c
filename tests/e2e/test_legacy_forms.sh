#!/usr/bin/env bash
# A command's form decides what it prints, because scripts parse it: the legacy `jobs run-now
# --job-id N` and `runs submit` print databricks-cli 0.18's answer at once
# ({"run_id": N, "number_in_job": N} / {"run_id": N}, json.dumps indent 2) and wait only with
# --wait; the new `jobs run-now N` and `jobs submit` wait and print the task output, or with
# -o json the final run object.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

printf 'import sys\nprint("hello from", sys.argv[1:])\n' >hello.py
printf 'raise SystemExit(3)\n' >fails.py
expect_ok brix workspace import hello.py /Shared/hello.py
expect_ok brix workspace import fails.py /Shared/fails.py
create_job '{"name": "hello", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/hello.py", "parameters": ["job"]}}]}'
HELLO=$JOB
create_job '{"name": "fails", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/fails.py"}}]}'
FAILS=$JOB
SUBMIT='{"run_name": "once", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/hello.py", "parameters": ["submit"]}}]}'

# ---------------------------------------------------------------------------------------------
step "legacy run-now --job-id: the answer at once, exit 0, nothing waited for"
expect_exit 0 brix jobs run-now --job-id "$HELLO"
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
assert_out_bytes "{"$'\n'"  \"run_id\": $RUN,"$'\n'"  \"number_in_job\": $RUN"$'\n'"}"$'\n'
assert_not_contains "$OUT" "hello from"
# a script's RUN=$(databricks jobs run-now --job-id N | jq .run_id) gets the id
[[ $(python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])' <"$OUT_FILE") == "$RUN" ]] || fail "stdout is not one JSON object"
ok
wait_done "$RUN"
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS" and d["job_id"] == '"$HELLO"
# the legacy parameter flags are the same form
expect_exit 0 brix jobs run-now --job-id "$HELLO" --python-params '["legacy"]'
RUN2=$(jv "$OUT_FILE" 'd["run_id"]')
assert_json "$OUT_FILE" 'list(d) == ["run_id", "number_in_job"]'
wait_done "$RUN2"
expect_ok brix runs get-output --run-id "$(task_run t)"
assert_contains "$OUT" "hello from ['legacy']"

step "legacy run-now --job-id --wait: the answer first, then the verdict as the exit code"
expect_exit 0 brix jobs run-now --job-id "$HELLO" --wait
assert_json "$OUT_FILE" 'list(d) == ["run_id", "number_in_job"]'
assert_not_contains "$OUT" "hello from"
assert_contains "$ERR" '"hello" TERMINATED SUCCESS'
expect_exit 5 brix jobs run-now --job-id "$FAILS" --wait
assert_json "$OUT_FILE" 'list(d) == ["run_id", "number_in_job"]'
assert_contains "$ERR" "Error: run FAILED"
expect_exit 2 brix jobs run-now --job-id "$HELLO" --wait --no-wait

step "legacy runs submit: {\"run_id\": N} at once; --wait follows the run"
expect_exit 0 brix runs submit --json "$SUBMIT"
SUBMITTED=$(jv "$OUT_FILE" 'd["run_id"]')
assert_out_bytes "{"$'\n'"  \"run_id\": $SUBMITTED"$'\n'"}"$'\n'
wait_done "$SUBMITTED"
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS" and d["run_name"] == "once"'
expect_exit 0 brix runs submit --json "$SUBMIT" --wait
assert_json "$OUT_FILE" 'list(d) == ["run_id"]'
assert_contains "$ERR" '"once" TERMINATED SUCCESS'
expect_exit 5 brix runs submit --wait --json '{"run_name": "bad", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/fails.py"}}]}'
assert_json "$OUT_FILE" 'list(d) == ["run_id"]'

# ---------------------------------------------------------------------------------------------
step "new form: run-now JOB_ID and jobs submit wait and print the task output"
expect_exit 0 brix jobs run-now "$HELLO"
assert_out_bytes "hello from ['job']"$'\n'
expect_exit 5 brix jobs run-now "$FAILS"
expect_exit 0 brix jobs submit --json "$SUBMIT"
assert_out_bytes "hello from ['submit']"$'\n'

step "new form with -o json: the final run object"
expect_exit 0 brix jobs run-now "$HELLO" -o json
assert_json "$OUT_FILE" 'd["job_id"] == '"$HELLO"' and d["state"]["life_cycle_state"] == "TERMINATED" and d["state"]["result_state"] == "SUCCESS" and d["tasks"][0]["task_key"] == "t"'
expect_exit 0 brix jobs submit --json "$SUBMIT" -o json
assert_json "$OUT_FILE" 'd["run_name"] == "once" and d["state"]["result_state"] == "SUCCESS"'
expect_exit 5 brix jobs run-now "$FAILS" -o json
assert_json "$OUT_FILE" 'd["state"]["result_state"] == "FAILED"'

step "new form --no-wait: the answer at once"
expect_exit 0 brix jobs run-now "$HELLO" --no-wait
assert_json "$OUT_FILE" 'set(d) >= {"run_id"}'
wait_done "$(jv "$OUT_FILE" 'd["run_id"]')"
finish
