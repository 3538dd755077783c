#!/usr/bin/env bash
# Orchestration Databricks users rely on: for_each_task (literal inputs with concurrency, inputs
# from a job parameter and from a task value, object inputs with {{input.field}}, a failing
# iteration, bad settings), runs/repair (`jobs repair-run` and `runs repair`: only the failed
# tasks and their dependants run again, kept tasks keep their task values, repair_history,
# latest_repair_id, refused repairs), and `%run ./other $name="value"` setting the included
# notebook's widgets. Through `brix serve`, the answers are checked against the API schema.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root
DATA=$E2E_TMP/data  # what the tasks write: timestamps, counters
mkdir -p "$DATA"

# keep_answer METHOD PATH QUERY-JSON [BODY-JSON]: the last command's JSON output, the API's answer
# to that request, kept as an exchange record (docs/contract-check.md) for the schema check at the end.
EXCHANGES=$E2E_TMP/exchanges.jsonl
keep_answer() {
    python3 - "$OUT_FILE" "$@" >>"$EXCHANGES" <<'EOF' || fail "cannot keep the answer of $LAST_CMD"
import json, sys
answer, method, path, query = sys.argv[1:5]
body = json.loads(sys.argv[5]) if len(sys.argv) > 5 else None
print(json.dumps({"method": method, "path": path, "query": json.loads(query), "user_agent": "brix/e2e",
                  "content_type": "" if body is None else "application/json", "body": body, "status": 200,
                  "response_content_type": "application/json", "response": json.load(open(answer))}))
EOF
}

# ---------------------------------------------------------------------------------------------
step "the code"
cat >item.py <<'EOF'
# One iteration: records when it ran. Inputs "1" and "2" wait for each other, so they can only
# both finish when they run at the same time.
import json, os, sys, time
value, folder = sys.argv[1], sys.argv[2]
start = time.time()
open(os.path.join(folder, "started." + value), "w").close()
if value in ("1", "2"):
    deadline = time.time() + 60
    while not all(os.path.exists(os.path.join(folder, "started." + v)) for v in ("1", "2")):
        if time.time() > deadline:
            sys.exit("the other iteration never started")
        time.sleep(0.02)
time.sleep(0.2)
with open(os.path.join(folder, "times.jsonl"), "a") as f:
    f.write(json.dumps({"input": value, "args": sys.argv[3:], "start": start, "end": time.time()}) + "\n")
print("iteration", value, *sys.argv[3:])
if value.startswith("bad"):
    sys.exit("bad input " + value)
EOF
cat >list_tables.py <<'EOF'
from databricks.sdk.runtime import dbutils
dbutils.jobs.taskValues.set("tables", ["orders", "customers", "items"])
EOF
cat >load_table.py <<'EOF'
# Databricks notebook source
dbutils.widgets.text("table", "none")
dbutils.notebook.exit("loaded " + dbutils.widgets.get("table"))
EOF
expect_ok brix workspace mkdirs /Shared/orch
expect_ok brix workspace import item.py /Shared/orch/item.py
expect_ok brix workspace import list_tables.py /Shared/orch/list_tables.py
expect_ok brix workspace import load_table.py /Shared/orch/load_table -l PYTHON

# max_at_once FILE: the most iterations (intervals in FILE, as item.py writes them) running at one instant.
max_at_once() {
    python3 - "$1" <<'EOF'
import json, sys
spans = [json.loads(line) for line in open(sys.argv[1])]
print(max(sum(1 for o in spans if o["start"] <= s["start"] < o["end"]) for s in spans))
EOF
}

# ---------------------------------------------------------------------------------------------
step "for_each_task over [1,2,3] with concurrency 2: three iteration runs, never more than two at once"
mkdir -p "$DATA/c2"
create_job '{"name": "loop", "tasks": [
  {"task_key": "loop", "for_each_task": {"inputs": "[1, 2, 3]", "concurrency": 2,
    "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py",
             "parameters": ["{{input}}", "'"$DATA/c2"'", "run={{job.run_id}}"]}}}}]}'
LOOP_JOB=$JOB
expect_exit 0 brix jobs run-now "$LOOP_JOB" -o json
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
keep_answer GET /api/2.2/jobs/runs/get '{"run_id": "'"$RUN"'"}'
assert_json "$OUT_FILE" 'd["state"]["result_state"] == "SUCCESS" and [t["task_key"] for t in d["tasks"]] == ["loop"]'
assert_json "$OUT_FILE" 'd["tasks"][0]["for_each_task"]["stats"] == {"task_run_stats": {"total_iterations": 3, "scheduled_iterations": 0, "active_iterations": 0, "completed_iterations": 3, "succeeded_iterations": 3, "failed_iterations": 0}}'
assert_json "$OUT_FILE" 'd["tasks"][0]["for_each_task"]["inputs"] == "[1, 2, 3]" and d["tasks"][0]["for_each_task"]["concurrency"] == 2'
assert_eq 3 "$(wc -l <"$DATA/c2/times.jsonl" | tr -d ' ')" "three iterations ran"
assert_eq 2 "$(max_at_once "$DATA/c2/times.jsonl")" "at most two iterations at once (and 1 and 2 together)"
assert_eq "1 2 3" "$(python3 -c 'import json,sys; print(*sorted(json.loads(l)["input"] for l in open(sys.argv[1])))' "$DATA/c2/times.jsonl")" "each input once"
# the for-each task's own run lists its iterations, in input order, with {{input}} resolved
get_run "$RUN"
LOOP_RUN=$(task_run loop)
expect_ok brix jobs get-run "$LOOP_RUN" -o json
keep_answer GET /api/2.2/jobs/runs/get '{"run_id": "'"$LOOP_RUN"'"}'
cp "$OUT_FILE" "$E2E_TMP/loop.json"
assert_json "$E2E_TMP/loop.json" 'd["job_run_id"] == '"$RUN"' and [t["task_key"] for t in d["tasks"]] == ["loop"] and "stats" in d["tasks"][0]["for_each_task"]'
assert_json "$E2E_TMP/loop.json" '[(i["task_key"], i["spark_python_task"]["parameters"][0], i["state"]["result_state"]) for i in d["iterations"]] == [("item", "1", "SUCCESS"), ("item", "2", "SUCCESS"), ("item", "3", "SUCCESS")]'
# (other references show as written, like a task's: they are resolved when the iteration starts)
assert_json "$E2E_TMP/loop.json" 'all(i["spark_python_task"]["parameters"][2] == "run={{job.run_id}}" for i in d["iterations"]) and len({i["run_id"] for i in d["iterations"]}) == 3'
ITERATION=$(jv "$E2E_TMP/loop.json" 'd["iterations"][1]["run_id"]')
expect_ok brix runs get-output --run-id "$ITERATION"
assert_json "$OUT_FILE" 'd["logs"] == "iteration 2 run='"$RUN"'\n" and d["metadata"]["job_run_id"] == '"$RUN"
# an iteration is part of the job run: it is no run of its own in runs list, and goes with it
expect_ok brix runs list --job-id "$LOOP_JOB" -o json
assert_json "$OUT_FILE" '[r["run_id"] for r in d] == ['"$RUN"']'
expect_ok brix jobs delete-run "$RUN"
expect_exit 3 brix runs get --run-id "$ITERATION"
expect_exit 3 brix runs get --run-id "$LOOP_RUN"

# ---------------------------------------------------------------------------------------------
step "inputs from a job parameter (overridden at run-now), default concurrency: one at a time"
mkdir -p "$DATA/param"
create_job '{"name": "by-parameter", "parameters": [{"name": "items", "default": "[\"d1\"]"}], "tasks": [
  {"task_key": "loop", "for_each_task": {"inputs": "{{job.parameters.items}}",
    "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py", "parameters": ["{{input}}", "'"$DATA/param"'"]}}}}]}'
expect_exit 0 brix jobs run-now "$JOB" --job-parameters '{"items": "[\"x\", \"y\", \"z\"]"}' -o json
assert_json "$OUT_FILE" 'd["tasks"][0]["for_each_task"]["stats"]["task_run_stats"]["succeeded_iterations"] == 3'
assert_eq "x y z" "$(python3 -c 'import json,sys; print(*[json.loads(l)["input"] for l in open(sys.argv[1])])' "$DATA/param/times.jsonl")" "the parameter's items, in order"
assert_eq 1 "$(max_at_once "$DATA/param/times.jsonl")" "concurrency 1 by default"

step "inputs from an upstream task's value, into a notebook's widget"
create_job '{"name": "by-task-value", "tasks": [
  {"task_key": "list", "spark_python_task": {"python_file": "/Shared/orch/list_tables.py"}},
  {"task_key": "load_all", "depends_on": [{"task_key": "list"}], "for_each_task": {"inputs": "{{tasks.list.values.tables}}", "concurrency": 3,
    "task": {"task_key": "load", "notebook_task": {"notebook_path": "/Shared/orch/load_table", "base_parameters": {"table": "{{input}}"}}}}}]}'
expect_exit 0 brix jobs run-now "$JOB" -o json
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
get_run "$RUN"
expect_ok brix runs get --run-id "$(task_run load_all)" -o json
keep_answer GET /api/2.2/jobs/runs/get '{"run_id": "'"$(task_run load_all)"'"}'
cp "$OUT_FILE" "$E2E_TMP/loop.json"
assert_json "$E2E_TMP/loop.json" '[i["notebook_task"]["base_parameters"]["table"] for i in d["iterations"]] == ["orders", "customers", "items"]'
for i in 0 1 2; do
    expect_ok brix runs get-output --run-id "$(jv "$E2E_TMP/loop.json" "d['iterations'][$i]['run_id']")"
    assert_json "$OUT_FILE" 'd["notebook_output"]["result"] == "loaded " + ["orders", "customers", "items"]['"$i"']'
done

step "object inputs: {{input.field}} (nested too), {{input}} as compact JSON; a missing field fails that iteration"
mkdir -p "$DATA/objects"
cat >objects.json <<EOF
{"name": "objects", "tasks": [
  {"task_key": "loop", "for_each_task": {"inputs": "[{\"name\": \"a\", \"size\": {\"rows\": 10}}, {\"name\": \"b\", \"size\": {\"rows\": 20}}]", "concurrency": 2,
    "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py",
             "parameters": ["{{input.name}}", "$DATA/objects", "rows={{input.size.rows}}", "{{input}}"]}}}}]}
EOF
create_job @objects.json
keep_answer POST /api/2.2/jobs/create '{}' "$(cat objects.json)"
expect_exit 0 brix jobs run-now "$JOB"
assert_contains "$(cat "$DATA/objects/times.jsonl")" '"input": "a", "args": ["rows=10", "{\"name\":\"a\",\"size\":{\"rows\":10}}"]'
assert_contains "$(cat "$DATA/objects/times.jsonl")" '"input": "b", "args": ["rows=20", "{\"name\":\"b\",\"size\":{\"rows\":20}}"]'
create_job '{"name": "missing-field", "tasks": [
  {"task_key": "loop", "for_each_task": {"inputs": "[{\"name\": \"a\"}, {\"other\": 1}]",
    "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py", "parameters": ["{{input.name}}", "'"$DATA/objects"'"]}}}}]}'
expect_exit 5 brix jobs run-now "$JOB" -o json
assert_json "$OUT_FILE" 'd["tasks"][0]["state"]["result_state"] == "FAILED" and "has no field '"'name'"'" in d["tasks"][0]["state"]["state_message"]'
assert_json "$OUT_FILE" 'd["tasks"][0]["for_each_task"]["stats"]["task_run_stats"]["succeeded_iterations"] == 1'

# ---------------------------------------------------------------------------------------------
step "a failing iteration fails the for-each task (the others still run), its dependant and the run"
mkdir -p "$DATA/failing"
create_job '{"name": "failing", "tasks": [
  {"task_key": "loop", "for_each_task": {"inputs": "[\"ok1\", \"bad2\", \"ok3\"]",
    "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py", "parameters": ["{{input}}", "'"$DATA/failing"'"]}}}},
  {"task_key": "after", "depends_on": [{"task_key": "loop"}], "spark_python_task": {"python_file": "/Shared/orch/item.py", "parameters": ["after", "'"$DATA/failing"'"]}}]}'
expect_exit 5 brix jobs run-now "$JOB"
assert_contains "$ERR" "Task loop FAILED: 1 of 3 iterations did not succeed"
assert_contains "$ERR" "bad input bad2"
expect_ok brix runs list --job-id "$JOB" -o json
get_run "$(jv "$OUT_FILE" 'd[0]["run_id"]')"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "INTERNAL_ERROR" and d["state"]["result_state"] == "FAILED" and d["state"]["state_message"].startswith("Task loop failed")'
assert_json "$E2E_TMP/run.json" '[t["state"]["result_state"] for t in d["tasks"]] == ["FAILED", "UPSTREAM_FAILED"]'
cp "$E2E_TMP/run.json" "$OUT_FILE"
keep_answer GET /api/2.2/jobs/runs/get '{"run_id": "'"$(jv "$E2E_TMP/run.json" 'd["run_id"]')"'"}'
assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["for_each_task"]["stats"]["task_run_stats"] == {"total_iterations": 3, "scheduled_iterations": 0, "active_iterations": 0, "completed_iterations": 3, "succeeded_iterations": 2, "failed_iterations": 1}'
assert_json "$E2E_TMP/run.json" '[(e["count"], e["termination_category"]) for e in d["tasks"][0]["for_each_task"]["stats"]["error_message_stats"]] == [(1, "RUN_EXECUTION_ERROR")]'
assert_eq "ok1 bad2 ok3" "$(python3 -c 'import json,sys; print(*[json.loads(l)["input"] for l in open(sys.argv[1])])' "$DATA/failing/times.jsonl")" "every iteration ran, 'after' did not"

step "inputs that are no JSON array when the task starts fail the task with the reason"
create_job '{"name": "not-a-list", "parameters": [{"name": "items", "default": "a,b"}], "tasks": [
  {"task_key": "loop", "for_each_task": {"inputs": "{{job.parameters.items}}",
    "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py", "parameters": ["{{input}}", "'"$DATA"'"]}}}}]}'
expect_exit 5 brix jobs run-now "$JOB"
assert_contains "$ERR" "Task loop FAILED: for_each_task inputs must be a JSON array, got: a,b"

step "bad for_each_task settings are refused at create, and nothing is stored"
snapshot_save before_bad
nested='"task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py"}}'
bad_for_each() { # EXPECTED-MESSAGE FOR_EACH-BODY
    expect_exit 1 brix jobs create --json '{"name": "bad", "tasks": [{"task_key": "loop", "for_each_task": {'"$2"'}}]}'
    assert_contains "$ERR" "$1"
}
bad_for_each "for_each_task.inputs is required" "$nested"
bad_for_each "for_each_task inputs must be a JSON array, got: {\"a\": 1}" '"inputs": "{\"a\": 1}", '"$nested"
bad_for_each "for_each_task.task is required" '"inputs": "[1]"'
bad_for_each "for_each_task.concurrency must be an integer from 1 to 100" '"inputs": "[1]", "concurrency": 0, '"$nested"
bad_for_each "for_each_task.concurrency must be an integer from 1 to 100" '"inputs": "[1]", "concurrency": 101, '"$nested"
bad_for_each "for_each_task.task cannot be another for_each_task" '"inputs": "[1]", "task": {"task_key": "inner", "for_each_task": {"inputs": "[2]", '"$nested"'}}'
bad_for_each "python_file /Shared/orch/missing.py does not exist" '"inputs": "[1]", "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/missing.py"}}'
bad_for_each "for_each_task.task must have exactly one task type" '"inputs": "[1]", "task": {"task_key": "item"}'
assert_unchanged before_bad

# ---------------------------------------------------------------------------------------------
step "repair: a → b → c, b fails; the code of each task counts its runs"
cat >count.py <<'EOF'
# Appends its name to DATA/<name>.count; "a" sets a task value, "b" fails until DATA/fixed exists
# and waits while DATA/hold exists.
import os, sys, time
from databricks.sdk.runtime import dbutils
name, folder = sys.argv[1], sys.argv[2]
with open(os.path.join(folder, name + ".count"), "a") as f:
    f.write(" ".join(sys.argv[3:]) + "\n")
if name == "a":
    dbutils.jobs.taskValues.set("n", 7)
if name == "b":
    print("b sees", dbutils.jobs.taskValues.get(taskKey="a", key="n"), *sys.argv[3:])
    while os.path.exists(os.path.join(folder, "hold")):
        time.sleep(0.05)
    if not os.path.exists(os.path.join(folder, "fixed")):
        sys.exit("b is not fixed yet")
EOF
expect_ok brix workspace import count.py /Shared/orch/count.py
mkdir -p "$DATA/repair"
create_job '{"name": "repairable", "tasks": [
  {"task_key": "a", "spark_python_task": {"python_file": "/Shared/orch/count.py", "parameters": ["a", "'"$DATA/repair"'"]}},
  {"task_key": "b", "depends_on": [{"task_key": "a"}], "spark_python_task": {"python_file": "/Shared/orch/count.py",
     "parameters": ["b", "'"$DATA/repair"'", "n={{tasks.a.values.n}}", "repairs={{job.repair_count}}"]}},
  {"task_key": "c", "depends_on": [{"task_key": "b"}], "spark_python_task": {"python_file": "/Shared/orch/count.py", "parameters": ["c", "'"$DATA/repair"'"]}}]}'
expect_exit 5 brix jobs run-now "$JOB" -o json
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
assert_json "$OUT_FILE" '[t["state"]["result_state"] for t in d["tasks"]] == ["SUCCESS", "FAILED", "UPSTREAM_FAILED"]'
ORIGINAL_IDS=$(jv "$OUT_FILE" '[t["run_id"] for t in d["tasks"]]')
counts() { for t in a b c; do printf '%s=%s ' $t "$(cat "$DATA/repair/$t.count" 2>/dev/null | wc -l | tr -d ' ')"; done; }
assert_eq "a=1 b=1 c=0 " "$(counts)" "first run"
expect_ok brix jobs get-run "$RUN" --include-history -o json
assert_json "$OUT_FILE" '[(h["type"], h["state"]["result_state"], h["task_run_ids"]) for h in d["repair_history"]] == [("ORIGINAL", "FAILED", '"$ORIGINAL_IDS"')] and "id" not in d["repair_history"][0]'

step "refused repairs: unknown task, both selections, a latest_repair_id before any repair, a task run's ID; nothing changes"
snapshot_save before_refused
expect_exit 1 brix jobs repair-run "$RUN" --rerun-tasks b,nope
assert_contains "$ERR" "Error: rerun_tasks names tasks the job does not have: nope"
expect_exit 1 brix jobs repair-run --json '{"run_id": '"$RUN"', "rerun_tasks": ["b"], "rerun_all_failed_tasks": true}'
assert_contains "$ERR" "Error: Only one of rerun_tasks or rerun_all_failed_tasks can be used"
expect_exit 1 brix jobs repair-run "$RUN" --rerun-all-failed-tasks --latest-repair-id 12345
assert_contains "$ERR" "latest_repair_id 12345 names no repair of it"
TASK_B=$(python3 -c "print($ORIGINAL_IDS[1])")
expect_exit 1 brix jobs repair-run "$TASK_B" --rerun-all-failed-tasks
assert_contains "$ERR" "Error: Run $TASK_B is a task run: repair its job run $RUN"
expect_exit 2 brix runs repair --run-id "$RUN" --rerun-all-failed-tasks --json '{"run_id": 1}'
assert_contains "$ERR" "the run ID is given twice and differs"
expect_exit 2 brix jobs repair-run "$RUN"
assert_contains "$ERR" "say which tasks to repair"
expect_exit 3 brix jobs repair-run 999999 --rerun-all-failed-tasks
assert_contains "$ERR" "Run 999999 does not exist."
assert_unchanged before_refused

step "jobs repair-run --rerun-all-failed-tasks: b and c run again inside the run, a does not (its value stays)"
touch "$DATA/repair/fixed"
expect_exit 0 brix jobs repair-run "$RUN" --rerun-all-failed-tasks
assert_contains "$OUT" "Task b:
b sees 7 n=7 repairs=1"
assert_contains "$ERR" '"repairable" TERMINATED SUCCESS'
assert_eq "a=1 b=2 c=1 " "$(counts)" "only b and c ran again"
expect_ok brix jobs get-run "$RUN" --include-history -o json
keep_answer GET /api/2.2/jobs/runs/get '{"run_id": "'"$RUN"'", "include_history": "true"}'
cp "$OUT_FILE" "$E2E_TMP/repaired.json"
assert_json "$E2E_TMP/repaired.json" 'd["state"]["result_state"] == "SUCCESS" and d["run_id"] == '"$RUN"' and [t["state"]["result_state"] for t in d["tasks"]] == ["SUCCESS", "SUCCESS", "SUCCESS"]'
assert_json "$E2E_TMP/repaired.json" 'd["tasks"][0]["run_id"] == '"$ORIGINAL_IDS"'[0] and d["tasks"][1]["run_id"] not in '"$ORIGINAL_IDS"
assert_json "$E2E_TMP/repaired.json" '[(h["type"], h["state"]["result_state"]) for h in d["repair_history"]] == [("ORIGINAL", "FAILED"), ("REPAIR", "SUCCESS")]'
assert_json "$E2E_TMP/repaired.json" 'd["repair_history"][1]["task_run_ids"] == [t["run_id"] for t in d["tasks"][1:]] and d["repair_history"][0]["task_run_ids"] == '"$ORIGINAL_IDS"
assert_json "$E2E_TMP/repaired.json" 'd["repair_history"][1]["start_time"] >= d["repair_history"][0]["end_time"] and d["start_time"] == d["repair_history"][0]["start_time"]'
REPAIR1=$(jv "$E2E_TMP/repaired.json" 'd["repair_history"][1]["id"]')
# without include_history, no repair_history (as runs/get answers by default)
expect_ok brix runs get --run-id "$RUN"
assert_json "$OUT_FILE" '"repair_history" not in d'

step "a second repair needs the latest repair's ID"
expect_exit 1 brix jobs repair-run "$RUN" --rerun-tasks b
assert_contains "$ERR" "Error: The latest repair ID needs to be provided in order to create a new repair"
expect_exit 1 brix jobs repair-run "$RUN" --rerun-tasks b --latest-repair-id $((REPAIR1 + 100))
assert_contains "$ERR" "is not the latest repair of run $RUN: that is $REPAIR1"

step "runs repair (legacy style) returns at once; the run is active again until b ends; a repair of an active run is refused"
touch "$DATA/repair/hold"
expect_exit 0 brix runs repair --run-id "$RUN" --rerun-tasks b --rerun-dependent-tasks --latest-repair-id "$REPAIR1"
assert_json "$OUT_FILE" 'isinstance(d["repair_id"], int) and d["repair_id"] != '"$REPAIR1"' and list(d) == ["repair_id"]'
REPAIR2=$(jv "$OUT_FILE" 'd["repair_id"]')
keep_answer POST /api/2.2/jobs/runs/repair '{}' '{"run_id": '"$RUN"', "rerun_tasks": ["b"], "rerun_dependent_tasks": true, "latest_repair_id": '"$REPAIR1"'}'
get_run "$RUN"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] in ("PENDING", "RUNNING") and "result_state" not in d["state"]'
cp "$E2E_TMP/run.json" "$OUT_FILE"
keep_answer GET /api/2.2/jobs/runs/get '{"run_id": "'"$RUN"'"}'
snapshot_save active
expect_exit 1 brix jobs repair-run "$RUN" --rerun-tasks c --latest-repair-id "$REPAIR2"
assert_contains "$ERR" "Error: Run $RUN is still"
assert_contains "$ERR" "a run can be repaired once it has ended"
rm "$DATA/repair/hold"
wait_done "$RUN" 60
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS"'
assert_eq "a=1 b=3 c=2 " "$(counts)" "b and its dependant c ran a third time"
assert_eq "n=7 repairs=2" "$(tail -1 "$DATA/repair/b.count")" "b still sees a's value; job.repair_count counts the repairs"
expect_ok brix jobs get-run "$RUN" --include-history -o json
assert_json "$OUT_FILE" '[(h["type"], h.get("id")) for h in d["repair_history"]] == [("ORIGINAL", None), ("REPAIR", '"$REPAIR1"'), ("REPAIR", '"$REPAIR2"')]'
keep_answer GET /api/2.2/jobs/runs/get '{"run_id": "'"$RUN"'", "include_history": "true"}'

step "repair re-runs a for-each task's iterations"
mkdir -p "$DATA/loop-repair"
create_job '{"name": "loop-repair", "tasks": [
  {"task_key": "loop", "for_each_task": {"inputs": "[\"ok1\", \"bad2\"]",
    "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py", "parameters": ["{{input}}", "'"$DATA/loop-repair"'"]}}}}]}'
expect_exit 5 brix jobs run-now "$JOB" -o json
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
expect_ok brix jobs update "$JOB" --json '{"new_settings": {"tasks": [{"task_key": "loop", "for_each_task": {"inputs": "[\"ok1\", \"ok2\"]",
    "task": {"task_key": "item", "spark_python_task": {"python_file": "/Shared/orch/item.py", "parameters": ["{{input}}", "'"$DATA/loop-repair"'"]}}}}]}}'
expect_exit 0 brix jobs repair-run "$RUN" --rerun-all-failed-tasks -o json
assert_json "$OUT_FILE" 'd["state"]["result_state"] == "SUCCESS" and d["tasks"][0]["for_each_task"]["stats"]["task_run_stats"]["succeeded_iterations"] == 2'
assert_eq "ok1 bad2 ok1 ok2" "$(python3 -c 'import json,sys; print(*[json.loads(l)["input"] for l in open(sys.argv[1])])' "$DATA/loop-repair/times.jsonl")" "the repair used the job's current settings"

# ---------------------------------------------------------------------------------------------
step "%run ./child \$name=\"value\": the arguments set the included notebook's widgets"
cat >child.py <<'EOF'
# Databricks notebook source
dbutils.widgets.text("env", "dev-default")
dbutils.widgets.text("region", "no-region")
print("child", "env=" + dbutils.widgets.get("env"), "region=" + dbutils.widgets.get("region"), "team=" + dbutils.widgets.get("team"))
EOF
cat >parent.py <<'EOF'
# Databricks notebook source
# MAGIC %run ./lib/child $env="prod" $region=eu-west

# COMMAND ----------

# MAGIC %run "./lib/child" $team="data eng"

# COMMAND ----------

print("parent", "env=" + dbutils.widgets.get("env"), "team=" + dbutils.widgets.get("team"))
EOF
printf '# Databricks notebook source\n# MAGIC %%run ./lib/child env=prod\n' >badrun.py
expect_ok brix workspace mkdirs /Shared/orch/lib
expect_ok brix workspace import child.py /Shared/orch/lib/child -l PYTHON
expect_ok brix workspace import parent.py /Shared/orch/parent -l PYTHON
expect_ok brix workspace import badrun.py /Shared/orch/badrun -l PYTHON
expect_exit 0 brix jobs submit --json '{"run_name": "widgets", "tasks": [{"task_key": "nb",
  "notebook_task": {"notebook_path": "/Shared/orch/parent", "base_parameters": {"team": "from-job"}}}]}'
assert_out_bytes "child env=prod region=eu-west team=from-job
child env=dev-default region=no-region team=data eng
parent env=dev-default team=from-job
"
expect_exit 5 brix jobs submit --json '{"run_name": "bad-run", "tasks": [{"task_key": "nb", "notebook_task": {"notebook_path": "/Shared/orch/badrun"}}]}'
assert_contains "$ERR" "arguments are \$name=\"value\", not 'env=prod'"

# ---------------------------------------------------------------------------------------------
step "the kept requests and answers against the API schema"
# Findings the contract check already lists for every run answer (docs/contract-check.md: brix_metrics,
# format, tasks[].original_attempt_run_id) are left to it; anything else is new here.
python3 "$BRIX_SOURCE_DIR/tests/contract/validate.py" "$EXCHANGES" >"$E2E_TMP/contract.out" 2>&1
grep -E '^contract: [0-9]+ records' "$E2E_TMP/contract.out" >/dev/null || fail "the contract check did not run: $(tail -5 "$E2E_TMP/contract.out")"
grep -v -E '^contract: |\.(brix_metrics|format|original_attempt_run_id): unknown field' "$E2E_TMP/contract.out" >"$E2E_TMP/contract.new"
[[ -s $E2E_TMP/contract.new ]] && fail "exchanges that do not match the API schema: $(head -20 "$E2E_TMP/contract.new")"
assert_contains "$(cat "$E2E_TMP/contract.out")" "contract: 9 records"

finish
