#!/usr/bin/env bash
# A 4-task diamond DAG: a script, a notebook (%run of relative paths, widgets from base_parameters,
# --notebook-params and job parameters), a condition task, and a last script; task values flow
# from the first task to the last ({{tasks.first.values.x}} and dbutils.jobs.taskValues.get).
# Final states of the run and of every task, dependency order, notebook_output.result, and the
# other branch of the condition (EXCLUDED).
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

# ---------------------------------------------------------------------------------------------
step "the code: a script, a notebook with nested relative %run, a last script"
cat >first.py <<'EOF'
import sys
from databricks.sdk.runtime import dbutils
print("first got", sys.argv[1:])
dbutils.jobs.taskValues.set("x", 41)
dbutils.jobs.taskValues.set("label", "from-first")
dbutils.jobs.taskValues.set("nested", {"k": [1, 2]})
EOF
cat >common.py <<'EOF'
# Databricks notebook source
COMMON = "common-loaded"
EOF
cat >helpers.py <<'EOF'
# Databricks notebook source
# MAGIC %run ../common

# COMMAND ----------

def double(v):
    return v * 2
EOF
cat >report.py <<'EOF'
# Databricks notebook source
# MAGIC %md
# MAGIC # Report
# MAGIC Reads the first task's value and doubles it.

# COMMAND ----------

# MAGIC %run ./lib/helpers

# COMMAND ----------

dbutils.widgets.text("a", "default-a")
dbutils.widgets.text("b", "default-b")
dbutils.widgets.text("c", "default-c")
dbutils.widgets.text("d", "default-d")
dbutils.widgets.dropdown("e", "e1", ["e1", "e2"])
x = dbutils.jobs.taskValues.get(taskKey="first", key="x")
nested = dbutils.jobs.taskValues.get("first", "nested")
missing = dbutils.jobs.taskValues.get("first", "missing", default="dflt")
values = dbutils.widgets.getAll()
print("widgets", *(f"{k}={values[k]}" for k in sorted(values)))
print("x", x, "nested", nested["k"], "missing", missing, COMMON)
dbutils.jobs.taskValues.set("y", double(x))

# COMMAND ----------

dbutils.notebook.exit(f"report:{x}:{double(x)}:{COMMON}")

# COMMAND ----------

raise RuntimeError("never reached: exit stops the notebook")
EOF
cat >last.py <<'EOF'
import sys
from databricks.sdk.runtime import dbutils
y = dbutils.jobs.taskValues.get(taskKey="report", key="y")
print("last got", sys.argv[1:], "y", y)
dbutils.fs.put("dbfs:/dag/result.txt", " ".join(sys.argv[1:]) + f" y={y}", True)
EOF
expect_ok brix workspace mkdirs /Shared/dag/lib
expect_ok brix workspace import first.py /Shared/dag/first.py
expect_ok brix workspace import common.py /Shared/dag/common.py
expect_ok brix workspace import helpers.py /Shared/dag/lib/helpers.py
expect_ok brix workspace import report.py /Shared/dag/report -l PYTHON
expect_ok brix workspace import last.py /Shared/dag/last.py
expect_ok brix workspace ls -l /Shared/dag/lib
assert_eq $'NOTEBOOK\thelpers\tPYTHON' "$(cut -f1-3 "$OUT_FILE")" "helpers is a notebook"

cat >dag.json <<'EOF'
{
  "name": "diamond",
  "parameters": [{"name": "d", "default": "job-d"}, {"name": "env", "default": "dev"}, {"name": "threshold", "default": "40"}],
  "tasks": [
    {"task_key": "first",
     "spark_python_task": {"python_file": "/Shared/dag/first.py", "parameters": ["{{job.parameters.env}}", "{{job.id}}", "{{task.name}}"]}},
    {"task_key": "report", "depends_on": [{"task_key": "first"}],
     "notebook_task": {"notebook_path": "/Shared/dag/report",
                       "base_parameters": {"a": "base-a", "b": "base-b", "d": "base-d", "fromref": "{{tasks.first.values.label}}"}}},
    {"task_key": "check", "depends_on": [{"task_key": "first"}],
     "condition_task": {"op": "GREATER_THAN", "left": "{{tasks.first.values.x}}", "right": "{{job.parameters.threshold}}"}},
    {"task_key": "last", "depends_on": [{"task_key": "report"}, {"task_key": "check", "outcome": "true"}],
     "spark_python_task": {"python_file": "/Shared/dag/last.py",
                           "parameters": ["x={{tasks.first.values.x}}", "y={{tasks.report.values.y}}", "env={{job.parameters.env}}", "check={{tasks.check.result_state}}"]}}
  ]
}
EOF
expect_ok brix jobs create --json @dag.json
JOB=$(jv "$OUT_FILE" 'd["job_id"]')

# ---------------------------------------------------------------------------------------------
step "run 1: condition true, everything runs; widget precedence base < notebook-params < job parameters"
expect_exit 0 brix jobs run-now "$JOB" --notebook-params '{"b": "nb-b", "c": "nb-c", "d": "nb-d", "e": "e2"}'
assert_out_bytes "Task first:
first got ['dev', '$JOB', 'first']

Task report:
report:41:82:common-loaded

Task check:

Task last:
last got ['x=41', 'y=82', 'env=dev', 'check=SUCCESS'] y 82
Wrote 36 bytes.
"
assert_contains "$ERR" '"diamond" TERMINATED SUCCESS'
expect_ok brix runs list --job-id "$JOB" -o json
RUN1=$(jv "$OUT_FILE" 'd[0]["run_id"]')
get_run "$RUN1"
assert_json "$E2E_TMP/run.json" 'd["state"] == {"life_cycle_state": "TERMINATED", "result_state": "SUCCESS", "state_message": "", "user_cancelled_or_timedout": False}'
assert_json "$E2E_TMP/run.json" '[(t["task_key"], t["state"]["life_cycle_state"], t["state"]["result_state"]) for t in d["tasks"]] == [("first", "TERMINATED", "SUCCESS"), ("report", "TERMINATED", "SUCCESS"), ("check", "TERMINATED", "SUCCESS"), ("last", "TERMINATED", "SUCCESS")]'
# a condition task's result is its condition_task.outcome
assert_json "$E2E_TMP/run.json" '[t.get("condition_task", {}).get("outcome") for t in d["tasks"]] == [None, None, "true", None] and all("outcome" not in t for t in d["tasks"])'
assert_json "$E2E_TMP/run.json" 'd["overriding_parameters"] == {"notebook_params": {"b": "nb-b", "c": "nb-c", "d": "nb-d", "e": "e2"}} and d["job_parameters"] == [{"name": "d", "default": "job-d", "value": "job-d"}, {"name": "env", "default": "dev", "value": "dev"}, {"name": "threshold", "default": "40", "value": "40"}]'
# dependency order from the recorded times
assert_json "$E2E_TMP/run.json" '(lambda t: t["report"]["start_time"] >= t["first"]["end_time"] and t["check"]["start_time"] >= t["first"]["end_time"] and t["last"]["start_time"] >= max(t["report"]["end_time"], t["check"]["end_time"]) and d["start_time"] <= t["first"]["start_time"] and d["end_time"] >= t["last"]["end_time"])({x["task_key"]: x for x in d["tasks"]})'
# the check (a condition) has no process; the others ran one each
REPORT_RUN=$(task_run report)
CHECK_RUN=$(task_run check)
LAST_RUN=$(task_run last)
# include_resolved_values: each task's parameters after the references were substituted
assert_json "$E2E_TMP/run.json" 'all("resolved_values" not in t for t in d["tasks"])'
expect_ok brix jobs get-run "$RUN1" --include-resolved-values
assert_json "$OUT_FILE" '(lambda t: t["first"]["resolved_values"] == {"spark_python_task": {"parameters": ["dev", "'"$JOB"'", "first"]}} and t["check"]["resolved_values"] == {"condition_task": {"left": "41", "right": "40"}} and t["report"]["resolved_values"]["notebook_task"]["base_parameters"]["fromref"] == "from-first" and t["last"]["resolved_values"]["spark_python_task"]["parameters"] == ["x=41", "y=82", "env=dev", "check=SUCCESS"])({x["task_key"]: x for x in d["tasks"]})'
assert_eq "0||0" "$(metric "$REPORT_RUN" exit_code)|$(metric "$CHECK_RUN" exit_code)|$(metric "$LAST_RUN" exit_code)" "exit codes"
expect_ok brix runs get-output --run-id "$REPORT_RUN"
assert_json "$OUT_FILE" 'd["notebook_output"] == {"result": "report:41:82:common-loaded", "truncated": False} and "error" not in d'
# b: notebook params beat base parameters; d: job parameters beat both; e: a passed value beats the dropdown default
assert_json "$OUT_FILE" 'd["logs"] == "widgets a=base-a b=nb-b c=nb-c d=job-d e=e2 env=dev fromref=from-first threshold=40\nx 41 nested [1, 2] missing dflt common-loaded\n"'
expect_ok brix runs get-output --run-id "$CHECK_RUN"
assert_json "$OUT_FILE" '"error" not in d and d["metadata"]["job_run_id"] == '"$RUN1"' and d["metadata"]["tasks"][0]["condition_task"]["outcome"] == "true"'
expect_ok brix runs get-output --run-id "$LAST_RUN"
assert_json "$OUT_FILE" 'd["logs"] == "last got [\x27x=41\x27, \x27y=82\x27, \x27env=dev\x27, \x27check=SUCCESS\x27] y 82\nWrote 36 bytes.\n"'
expect_ok brix fs cat dbfs:/dag/result.txt
assert_out_bytes "x=41 y=82 env=dev check=SUCCESS y=82"
# the task values of the run are in the database, scoped to it
assert_eq $'first|label|"from-first"\nfirst|nested|{"k": [1, 2]}\nfirst|x|41\nreport|y|82' \
    "$(sqlite3 "$ROOT/brix.db" "SELECT task_key, key, value FROM task_values WHERE job_run_id = $RUN1 ORDER BY task_key, key")" "task_values"

# ---------------------------------------------------------------------------------------------
step "run 2: job parameters override (threshold 100): condition false, last EXCLUDED, run SUCCESS"
expect_exit 0 brix jobs run-now --json "{\"job_id\": $JOB, \"job_parameters\": {\"threshold\": \"100\", \"env\": \"prod\"}}"
assert_out_bytes "Task first:
first got ['prod', '$JOB', 'first']

Task report:
report:41:82:common-loaded

Task check:

Task last:
"
expect_ok brix runs list --job-id "$JOB" --limit 1 -o json
RUN2=$(jv "$OUT_FILE" 'd[0]["run_id"]')
[[ $RUN2 != "$RUN1" ]] || fail "no new run"
ok
get_run "$RUN2"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "TERMINATED" and d["state"]["result_state"] == "SUCCESS"'
assert_json "$E2E_TMP/run.json" '[(t["task_key"], t["state"]["life_cycle_state"], t["state"]["result_state"]) for t in d["tasks"]] == [("first", "TERMINATED", "SUCCESS"), ("report", "TERMINATED", "SUCCESS"), ("check", "TERMINATED", "SUCCESS"), ("last", "SKIPPED", "EXCLUDED")]'
assert_json "$E2E_TMP/run.json" '[t.get("condition_task", {}).get("outcome") for t in d["tasks"]] == [None, None, "false", None] and d["tasks"][3]["status"]["termination_details"]["code"] == "SKIPPED"'
assert_json "$E2E_TMP/run.json" '[p["value"] for p in d["job_parameters"]] == ["job-d", "prod", "100"] and "overriding_parameters" not in d'
# a task value of run 1 is not seen by run 2: run 2 wrote its own
assert_eq 4 "$(sqlite3 "$ROOT/brix.db" "SELECT count(*) FROM task_values WHERE job_run_id = $RUN2")" "task values of run 2"
REPORT2=$(task_run report)
expect_ok brix runs get-output --run-id "$REPORT2"
assert_contains "$(jv "$OUT_FILE" 'd["logs"]')" "widgets a=base-a b=base-b c=default-c d=job-d e=e1 env=prod fromref=from-first threshold=100" "report widgets in run 2"
# the file from run 1 is still what it was (last did not run)
expect_ok brix fs cat dbfs:/dag/result.txt
assert_out_bytes "x=41 y=82 env=dev check=SUCCESS y=82"

# ---------------------------------------------------------------------------------------------
step "a condition comparing numbers it cannot parse fails the condition task"
expect_exit 5 brix jobs run-now --json "{\"job_id\": $JOB, \"job_parameters\": {\"threshold\": \"lots\"}}"
assert_contains "$ERR" "Task check FAILED: condition_task GREATER_THAN compares numbers; got '41' and 'lots'"
expect_ok brix runs list --job-id "$JOB" --limit 1 -o json
RUN3=$(jv "$OUT_FILE" 'd[0]["run_id"]')
get_run "$RUN3"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "INTERNAL_ERROR" and d["state"]["result_state"] == "FAILED" and d["state"]["state_message"] == "Task check failed with message: Workload failed, see run output for details."'
assert_json "$E2E_TMP/run.json" '[(t["task_key"], t["state"]["result_state"]) for t in d["tasks"]] == [("first", "SUCCESS"), ("report", "SUCCESS"), ("check", "FAILED"), ("last", "UPSTREAM_FAILED")]'

# ---------------------------------------------------------------------------------------------
step "an unknown key in a known namespace fails the task that references it"
cat >badref.json <<'EOF'
{"name": "badref", "tasks": [
  {"task_key": "first", "spark_python_task": {"python_file": "/Shared/dag/first.py", "parameters": ["{{job.naem}}"]}},
  {"task_key": "other", "spark_python_task": {"python_file": "/Shared/dag/first.py", "parameters": ["{{unknown.namespace}}", "{{ job.id }}"]}}
]}
EOF
expect_ok brix jobs create --json @badref.json
BAD=$(jv "$OUT_FILE" 'd["job_id"]')
expect_exit 5 brix jobs run-now "$BAD"
assert_contains "$ERR" "Task first FAILED: Unknown dynamic value reference {{job.naem}}"
expect_ok brix runs list --job-id "$BAD" -o json
get_run "$(jv "$OUT_FILE" 'd[0]["run_id"]')"
assert_json "$E2E_TMP/run.json" '[(t["task_key"], t["state"]["result_state"]) for t in d["tasks"]] == [("first", "FAILED"), ("other", "SUCCESS")]'
expect_ok brix runs get-output --run-id "$(task_run other)"
# text in an unknown namespace stays as it is
assert_json "$OUT_FILE" 'd["logs"] == "first got [\x27{{unknown.namespace}}\x27, \x27'"$BAD"'\x27]\n"'

finish
