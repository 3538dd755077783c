#!/usr/bin/env bash
# jobs and runs, the everyday path: a checkpointing script run twice, the Jobs API 2.0 ETL shape
# (create, run-now, get-output, files written with dbutils), and the CRUD verbs in both CLI
# syntaxes (create / get / list / reset / update / delete; runs list / list-runs / get-run /
# delete-run / cancel-all-runs; idempotency tokens).
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

jobs_table() { sqlite3 -readonly "$ROOT/brix.db" "SELECT job_id, settings FROM jobs ORDER BY job_id"; }

# ---------------------------------------------------------------------------------------------
step "checkpointing: a counter pickled to /dbfs survives from one run to the next"
cat >checkpoint.py <<'EOF'
import os, pickle
path = "/dbfs/tmp/state.pkl"
count = 0
if os.path.exists(path):
    with open(path, "rb") as f:
        count = pickle.load(f)
count += 1
os.makedirs("/dbfs/tmp", exist_ok=True)
with open(path, "wb") as f:
    pickle.dump(count, f)
print(count)
EOF
expect_ok brix workspace import checkpoint.py /Shared/checkpoint.py
create_job '{"name": "checkpoint", "tasks": [{"task_key": "count", "spark_python_task": {"python_file": "/Shared/checkpoint.py"}}]}'
CHECKPOINT_JOB=$JOB
expect_exit 0 brix jobs run-now "$CHECKPOINT_JOB"
assert_out_bytes $'1\n'
assert_contains "$ERR" '"checkpoint" TERMINATED SUCCESS'
expect_exit 0 brix jobs run-now --json "{\"job_id\": $CHECKPOINT_JOB}"
assert_out_bytes $'2\n'
[[ $(python3 -c 'import pickle,sys; print(pickle.load(open(sys.argv[1], "rb")))' "$ROOT/dbfs/tmp/state.pkl") == 2 ]] ||
    fail "state.pkl does not hold 2"
ok
expect_ok brix fs ls dbfs:/tmp
assert_eq "state.pkl" "$OUT" "dbfs:/tmp listing"
# the progress lines: the URL, then each state change
expect_exit 0 brix jobs run-now "$CHECKPOINT_JOB"
assert_out_bytes $'3\n'
[[ $ERR =~ ^Run\ URL:\ file://$ROOT/runs/[0-9]+/ ]] || fail "progress starts with the run URL: [$ERR]"
ok
assert_eq 'TERMINATED SUCCESS' "$(tail -1 <<<"$ERR" | cut -d' ' -f4-)" "last progress line"
# -o json: the final run object on stdout instead of the task output
expect_exit 0 brix jobs run-now "$CHECKPOINT_JOB" -o json
assert_json "$OUT_FILE" 'd["state"]["result_state"] == "SUCCESS" and d["tasks"][0]["task_key"] == "count" and d["job_id"] == '"$CHECKPOINT_JOB"
# -q: no progress
expect_ok brix -q jobs run-now "$CHECKPOINT_JOB"
assert_out_bytes $'5\n'

# ---------------------------------------------------------------------------------------------
step "ETL shape: Jobs API 2.0 single-task job, run-now, get-output, files written by the script"
cat >etl.py <<'EOF'
import argparse
from databricks.sdk.runtime import dbutils
parser = argparse.ArgumentParser()
parser.add_argument("--source")
parser.add_argument("--rows", type=int)
args = parser.parse_args()
print(f"loading {args.rows} rows from {args.source}")
dbutils.fs.put("dbfs:/etl/out/summary.txt", f"source={args.source}\nrows={args.rows}\n", True)
print("done")
EOF
expect_ok brix workspace mkdirs /Shared/etl
expect_ok brix workspace import etl.py /Shared/etl/etl.py
cat >etl_job.json <<'EOF'
{
  "name": "nightly-etl",
  "new_cluster": {"spark_version": "13.3.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2},
  "spark_python_task": {"python_file": "/Shared/etl/etl.py", "parameters": ["--source", "s3://raw/events", "--rows", "42"]}
}
EOF
create_job @etl_job.json
ETL_JOB=$JOB
expect_ok brix jobs get "$ETL_JOB"
assert_json "$OUT_FILE" 'd["job_id"] == '"$ETL_JOB"' and d["settings"]["name"] == "nightly-etl" and len(d["settings"]["tasks"]) == 1 and d["settings"]["tasks"][0]["spark_python_task"]["parameters"][-1] == "42" and d["settings"]["tasks"][0]["new_cluster"]["num_workers"] == 2 and "spark_python_task" not in d["settings"]'
expect_exit 0 brix jobs run-now "$ETL_JOB"
assert_out_bytes $'loading 42 rows from s3://raw/events\nWrote 31 bytes.\ndone\n'
expect_ok brix runs list --job-id "$ETL_JOB" -o json
ETL_RUN=$(jv "$OUT_FILE" 'd[0]["run_id"]')
get_run "$ETL_RUN"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "TERMINATED" and d["state"]["result_state"] == "SUCCESS" and d["status"]["termination_details"]["code"] == "SUCCESS" and len(d["tasks"]) == 1 and d["tasks"][0]["attempt_number"] == 0 and d["end_time"] >= d["start_time"] > 0'
ETL_TASK_RUN=$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')
assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["brix_metrics"]["exit_code"] == 0'
expect_ok brix runs get-output --run-id "$ETL_TASK_RUN"
assert_json "$OUT_FILE" 'd["logs"] == "loading 42 rows from s3://raw/events\nWrote 31 bytes.\ndone\n" and d["logs_truncated"] is False and "error" not in d and d["metadata"]["run_id"] == '"$ETL_TASK_RUN"
expect_ok brix fs cat dbfs:/etl/out/summary.txt
assert_out_bytes $'source=s3://raw/events\nrows=42\n'
# the 2.0 document became a job of one task named after it (Jobs 2.1+ keeps no 2.0 format): as on
# a workspace, get-output on its parent run asks for the task's run, and names it
expect_ok brix jobs get "$ETL_JOB"
assert_json "$OUT_FILE" 'd["settings"]["tasks"][0]["task_key"] == "nightly-etl" and "new_cluster" not in d["settings"]'
expect_exit 1 brix runs get-output --run-id "$ETL_RUN"
assert_contains "$ERR" "Pass a task's run ID instead: nightly-etl=$ETL_TASK_RUN."
# new syntax, same thing
expect_ok brix jobs get-run-output "$ETL_TASK_RUN"
assert_json "$OUT_FILE" 'd["logs"].endswith("done\n")'
# --python-params replace the parameters
expect_exit 0 brix jobs run-now "$ETL_JOB" --python-params '["--rows", "7", "--source", "local"]'
assert_out_bytes $'loading 7 rows from local\nWrote 20 bytes.\ndone\n'
expect_ok brix fs cat dbfs:/etl/out/summary.txt
assert_out_bytes $'source=local\nrows=7\n'
# the parent run of a multi-task job: Databricks' 400, with the task run IDs to use
create_job '{"name": "two", "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Shared/etl/etl.py", "parameters": ["--rows", "1"]}}, {"task_key": "b", "depends_on": [{"task_key": "a"}], "spark_python_task": {"python_file": "/Shared/etl/etl.py", "parameters": ["--rows", "2"]}}]}'
TWO_JOB=$JOB
expect_exit 0 brix jobs run-now "$TWO_JOB" --no-wait
TWO_RUN=$(jv "$OUT_FILE" 'd["run_id"]')
wait_done "$TWO_RUN"
A_RUN=$(jv "$E2E_TMP/run.json" '[t["run_id"] for t in d["tasks"] if t["task_key"] == "a"][0]')
B_RUN=$(jv "$E2E_TMP/run.json" '[t["run_id"] for t in d["tasks"] if t["task_key"] == "b"][0]')
expect_exit 1 brix runs get-output --run-id "$TWO_RUN"
assert_eq "Error: Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead. Pass a task's run ID instead: a=$A_RUN, b=$B_RUN." "$ERR"
assert_eq "" "$OUT" "stdout of a refused get-output"
expect_ok brix runs get-output --run-id "$B_RUN"
assert_json "$OUT_FILE" 'd["logs"].startswith("loading 2 rows from None")'
# and the waited-for run prints one block per task
expect_exit 0 brix jobs run-now "$TWO_JOB"
assert_out_bytes $'Task a:\nloading 1 rows from None\nWrote 19 bytes.\ndone\n\nTask b:\nloading 2 rows from None\nWrote 19 bytes.\ndone\n'

# ---------------------------------------------------------------------------------------------
step "create: --json inline, @file JSON, @file YAML, --json-file, stdin"
printf 'print("hello from crud")\n' >hello.py
expect_ok brix workspace import hello.py /Shared/hello.py
create_job '{"name": "inline", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/hello.py"}}]}'
INLINE_JOB=$JOB
cat >job_a.json <<'EOF'
{"name": "from-json-file", "max_concurrent_runs": 4, "tags": {"team": "data"},
 "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/hello.py"}}]}
EOF
create_job @job_a.json
JSON_JOB=$JOB
cat >job_b.yml <<'EOF'
# a YAML job
name: from-yaml
max_concurrent_runs: 3
timeout_seconds: 600
tags:
  version: "2"
tasks:
  - task_key: one
    spark_python_task:
      python_file: /Shared/hello.py
      parameters: ["--n", "7"]
  - task_key: two
    depends_on:
      - task_key: one
    max_retries: 1
    spark_python_task:
      python_file: /Shared/hello.py
EOF
create_job @job_b.yml
YAML_JOB=$JOB
expect_ok brix jobs get "$YAML_JOB"
assert_json "$OUT_FILE" 'd["settings"]["name"] == "from-yaml" and d["settings"]["max_concurrent_runs"] == 3 and d["settings"]["timeout_seconds"] == 600 and d["settings"]["tags"] == {"version": "2"} and [t["task_key"] for t in d["settings"]["tasks"]] == ["one", "two"] and d["settings"]["tasks"][0]["spark_python_task"]["parameters"] == ["--n", "7"] and d["settings"]["tasks"][1]["max_retries"] == 1 and d["settings"]["tasks"][1]["depends_on"] == [{"task_key": "one"}]'
cp job_a.json job_c.json
sed -i 's/from-json-file/legacy-json-file/' job_c.json
expect_ok brix jobs create --json-file job_c.json
LEGACY_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
expect_exit_stdin 0 job_a.json brix jobs create --json -
STDIN_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
# the legacy spelling and the new one show the same job
expect_ok brix jobs get --job-id "$JSON_JOB"
cp "$OUT_FILE" get_legacy.json
expect_ok brix jobs get "$JSON_JOB"
assert_file_eq get_legacy.json "$OUT_FILE"
assert_json "$OUT_FILE" 'd["settings"]["max_concurrent_runs"] == 4 and d["settings"]["tags"] == {"team": "data"} and d["created_time"] > 0'
expect_ok brix jobs get "$LEGACY_JOB"
assert_json "$OUT_FILE" 'd["settings"]["name"] == "legacy-json-file"'
ALL_JOBS="$CHECKPOINT_JOB $ETL_JOB $TWO_JOB $INLINE_JOB $JSON_JOB $YAML_JOB $LEGACY_JOB $STDIN_JOB"
# IDs are distinct and increasing
assert_eq "$(tr ' ' '\n' <<<"$ALL_JOBS" | sort -n | uniq | tr '\n' ' ')" "$ALL_JOBS " "job ids"

# ---------------------------------------------------------------------------------------------
step "list: text sorted by name, -o json, --output JSON, --name, --limit, --offset, --expand-tasks, --all"
expect_ok brix jobs list
assert_eq "$CHECKPOINT_JOB	checkpoint
$JSON_JOB	from-json-file
$STDIN_JOB	from-json-file
$YAML_JOB	from-yaml
$INLINE_JOB	inline
$LEGACY_JOB	legacy-json-file
$ETL_JOB	nightly-etl
$TWO_JOB	two" "$OUT" "jobs list"
expect_ok brix jobs list -o json
assert_json "$OUT_FILE" '[j["job_id"] for j in d] == sorted(j["job_id"] for j in d) and len(d) == 8 and all("tasks" not in j["settings"] for j in d)'
expect_ok brix jobs list --output JSON
assert_json "$OUT_FILE" 'list(d) == ["jobs"] and len(d["jobs"]) == 8'
expect_ok brix jobs list --name FROM-JSON-FILE
assert_eq "$JSON_JOB	from-json-file
$STDIN_JOB	from-json-file" "$OUT" "list --name (case-insensitive)"
expect_ok brix jobs list --name nope
assert_eq "" "$OUT" "list --name with no match"
expect_ok brix jobs list --limit 2 -o json
assert_json "$OUT_FILE" '[j["job_id"] for j in d] == ['"$CHECKPOINT_JOB, $ETL_JOB"']'
expect_ok brix jobs list --limit 2 --offset 3 -o json
assert_json "$OUT_FILE" '[j["job_id"] for j in d] == ['"$INLINE_JOB, $JSON_JOB"']'
expect_ok brix jobs list --offset 7 -o json
assert_json "$OUT_FILE" '[j["job_id"] for j in d] == ['"$STDIN_JOB"']'
expect_ok brix jobs list --limit 2 --all -o json
assert_json "$OUT_FILE" 'len(d) == 8'
expect_ok brix jobs list --expand-tasks --name from-yaml -o json
assert_json "$OUT_FILE" 'len(d) == 1 and [t["task_key"] for t in d[0]["settings"]["tasks"]] == ["one", "two"]'
expect_exit 2 brix jobs list --limit 0
assert_contains "$ERR" "Error: --limit must be at least 1"

# ---------------------------------------------------------------------------------------------
step "reset replaces everything; update merges tasks by task_key and removes fields"
expect_ok brix jobs reset --job-id "$JSON_JOB" --json '{"name": "reset-job", "tasks": [{"task_key": "only", "spark_python_task": {"python_file": "/Shared/hello.py", "parameters": ["x"]}}]}'
assert_eq "" "$OUT" "reset output"
expect_ok brix jobs get "$JSON_JOB"
assert_json "$OUT_FILE" 'd["settings"] == {"name": "reset-job", "tasks": [{"task_key": "only", "spark_python_task": {"python_file": "/Shared/hello.py", "parameters": ["x"]}}]}'
# the API shape, with the job id in the body; and the new syntax with a positional id
expect_ok brix jobs reset --json "{\"job_id\": $JSON_JOB, \"new_settings\": {\"name\": \"reset-again\", \"max_concurrent_runs\": 2, \"tasks\": [{\"task_key\": \"a\", \"spark_python_task\": {\"python_file\": \"/Shared/hello.py\", \"parameters\": [\"1\"]}}, {\"task_key\": \"b\", \"depends_on\": [{\"task_key\": \"a\"}], \"spark_python_task\": {\"python_file\": \"/Shared/hello.py\", \"parameters\": [\"2\"]}}]}}"
expect_ok brix jobs get "$JSON_JOB"
assert_json "$OUT_FILE" 'd["settings"]["name"] == "reset-again" and [t["task_key"] for t in d["settings"]["tasks"]] == ["a", "b"]'
# update: b replaced, c added, a kept; top-level fields replaced
expect_ok brix jobs update "$JSON_JOB" --json '{"new_settings": {"timeout_seconds": 60, "tasks": [{"task_key": "b", "spark_python_task": {"python_file": "/Shared/hello.py", "parameters": ["B"]}}, {"task_key": "c", "depends_on": [{"task_key": "b"}], "spark_python_task": {"python_file": "/Shared/hello.py"}}]}}'
expect_ok brix jobs get "$JSON_JOB"
assert_json "$OUT_FILE" '[t["task_key"] for t in d["settings"]["tasks"]] == ["a", "b", "c"] and d["settings"]["tasks"][0]["spark_python_task"]["parameters"] == ["1"] and d["settings"]["tasks"][1]["spark_python_task"]["parameters"] == ["B"] and "depends_on" not in d["settings"]["tasks"][1] and d["settings"]["timeout_seconds"] == 60 and d["settings"]["max_concurrent_runs"] == 2 and d["settings"]["name"] == "reset-again"'
# fields_to_remove: a top-level field and a task (legacy --job-id spelling)
expect_ok brix jobs update --job-id "$JSON_JOB" --json '{"fields_to_remove": ["timeout_seconds", "tasks/a"]}'
expect_ok brix jobs get "$JSON_JOB"
assert_json "$OUT_FILE" '[t["task_key"] for t in d["settings"]["tasks"]] == ["b", "c"] and "timeout_seconds" not in d["settings"] and d["settings"]["max_concurrent_runs"] == 2'
# removing a task others depend on is refused, and nothing changes
cp "$OUT_FILE" before_update.json
expect_exit 1 brix jobs update "$JSON_JOB" --json '{"fields_to_remove": ["tasks/b"]}'
assert_eq "Error: Task c depends on unknown task 'b'" "$ERR"
expect_ok brix jobs get "$JSON_JOB"
assert_file_eq before_update.json "$OUT_FILE"
# the updated job runs with its new tasks
expect_exit 0 brix jobs run-now "$JSON_JOB"
assert_out_bytes $'Task b:\nhello from crud\n\nTask c:\nhello from crud\n'

# ---------------------------------------------------------------------------------------------
step "delete"
expect_ok brix jobs delete "$STDIN_JOB"
assert_eq "" "$OUT" "delete output"
expect_exit 3 brix jobs get "$STDIN_JOB"
assert_eq "Error: Job $STDIN_JOB does not exist." "$ERR"
expect_exit 3 brix jobs delete --job-id "$STDIN_JOB"
assert_eq "Error: Job $STDIN_JOB does not exist." "$ERR"
expect_ok brix jobs list --name from-json-file
assert_eq "" "$OUT" "list after delete"

# ---------------------------------------------------------------------------------------------
step "runs list, list-runs, get-run, --limit/--offset, --active-only/--completed-only, delete-run"
# runs so far, newest first
expect_ok brix runs list -o json
ALL_RUNS=$(jv "$OUT_FILE" '" ".join(str(r["run_id"]) for r in d)')
assert_eq 10 "$(wc -w <<<"$ALL_RUNS")" "runs so far"
assert_json "$OUT_FILE" '[r["run_id"] for r in d] == sorted((r["run_id"] for r in d), reverse=True) and all(r["state"]["result_state"] == "SUCCESS" for r in d) and all("tasks" not in r for r in d)'
expect_ok brix runs list --job-id "$CHECKPOINT_JOB"
assert_eq 5 "$(wc -l <"$OUT_FILE")" "runs of the checkpoint job"
FIRST_LINE=$(head -1 "$OUT_FILE")
[[ $FIRST_LINE =~ ^[0-9]+\ \ checkpoint\ \ TERMINATED\ \ SUCCESS\ \ file://$ROOT/runs/[0-9]+/$ ]] ||
    [[ $FIRST_LINE =~ ^[0-9]+$'\t'checkpoint$'\t'TERMINATED$'\t'SUCCESS$'\t'file://$ROOT/runs/[0-9]+/$ ]] || fail "runs list line: [$FIRST_LINE]"
ok
expect_ok brix runs list --job-id "$CHECKPOINT_JOB" --limit 2 --offset 1 -o json
CP_RUNS=$(sqlite3 "$ROOT/brix.db" "SELECT run_id FROM runs WHERE job_id = $CHECKPOINT_JOB AND parent_run_id IS NULL ORDER BY run_id DESC" | tr '\n' ' ')
read -r -a CP <<<"$CP_RUNS"
assert_json "$OUT_FILE" '[r["run_id"] for r in d] == ['"${CP[1]}, ${CP[2]}"']'
expect_ok brix runs list --job-id "$CHECKPOINT_JOB" --output JSON --limit 2
assert_json "$OUT_FILE" '[r["run_id"] for r in d["runs"]] == ['"${CP[0]}, ${CP[1]}"'] and d["has_more"] is True'
expect_ok brix jobs list-runs --job-id "$CHECKPOINT_JOB" -o json
assert_json "$OUT_FILE" 'len(d) == 5'
expect_ok brix jobs list-runs --job-id "$CHECKPOINT_JOB" --limit 3 --expand-tasks -o json
assert_json "$OUT_FILE" 'len(d) == 3 and all(r["tasks"][0]["task_key"] == "count" for r in d)'
expect_ok brix runs list --completed-only --job-id "$CHECKPOINT_JOB" -o json
assert_json "$OUT_FILE" 'len(d) == 5'
expect_ok brix runs list --active-only -o json
assert_eq "[]" "$OUT" "no active runs"
expect_exit 2 brix runs list --active-only --completed-only
assert_contains "$ERR" "Error: --active-only and --completed-only cannot be combined"
# get-run in both syntaxes
expect_ok brix jobs get-run "${CP[0]}"
cp "$OUT_FILE" getrun_new.json
expect_ok brix runs get --run-id "${CP[0]}"
assert_file_eq getrun_new.json "$OUT_FILE"
assert_json "$OUT_FILE" 'd["run_id"] == '"${CP[0]}"' and d["job_id"] == '"$CHECKPOINT_JOB"' and d["run_type"] == "JOB_RUN" and d["run_name"] == "checkpoint"'
TASK_OF_DELETED=$(jv "$OUT_FILE" 'd["tasks"][0]["run_id"]')
expect_exit 3 brix runs get --run-id 999999
assert_eq "Error: Run 999999 does not exist." "$ERR"
# delete-run removes the run and its task runs
expect_ok brix jobs delete-run "${CP[0]}"
expect_exit 3 brix runs get --run-id "${CP[0]}"
assert_eq "Error: Run ${CP[0]} does not exist." "$ERR"
expect_exit 3 brix runs get-output --run-id "$TASK_OF_DELETED"
assert_no_file "$ROOT/runs/${CP[0]}"
expect_ok brix runs delete --run-id "${CP[1]}"
expect_ok brix runs list --job-id "$CHECKPOINT_JOB" -o json
assert_json "$OUT_FILE" '[r["run_id"] for r in d] == ['"${CP[2]}, ${CP[3]}, ${CP[4]}"']'
expect_exit 3 brix jobs delete-run "${CP[0]}"

# ---------------------------------------------------------------------------------------------
step "cancel-all-runs: a running and a queued run of one job, --active-only sees them"
printf 'import time\ntime.sleep(60)\n' >sleep.py
expect_ok brix workspace import sleep.py /Shared/sleep.py
create_job '{"name": "sleeper", "tasks": [{"task_key": "zz", "spark_python_task": {"python_file": "/Shared/sleep.py"}}]}'
SLEEP_JOB=$JOB
expect_ok brix jobs run-now "$SLEEP_JOB" --no-wait
SLEEP1=$(jv "$OUT_FILE" 'd["run_id"]')
expect_ok brix jobs run-now "$SLEEP_JOB" --no-wait
SLEEP2=$(jv "$OUT_FILE" 'd["run_id"]')
deadline=$((SECONDS + 15))
until [[ $(sqlite3 "$ROOT/brix.db" "SELECT IFNULL(task_pid, 0) FROM runs WHERE parent_run_id = $SLEEP1") != 0 ]]; do
    ((SECONDS < deadline)) || fail "the sleeper never started"
    sleep 0.05
done
ok
get_run "$SLEEP2"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "QUEUED" and d["status"]["queue_details"]["code"] == "MAX_CONCURRENT_RUNS_REACHED"'
# why it waits, in the legacy state too (clients that read only `state` show it)
assert_json "$E2E_TMP/run.json" 'd["state"]["queue_reason"] == d["status"]["queue_details"]["message"] == "Queued: the job already has 1 active run(s) (max_concurrent_runs 1)"'
expect_ok brix runs list --active-only -o json
assert_json "$OUT_FILE" '[r["run_id"] for r in d] == ['"$SLEEP2, $SLEEP1"']'
expect_ok brix runs list --completed-only --job-id "$SLEEP_JOB" -o json
assert_eq "[]" "$OUT" "no completed sleeper runs"
TASK_PID=$(sqlite3 "$ROOT/brix.db" "SELECT task_pid FROM runs WHERE parent_run_id = $SLEEP1")
# the queued run first: it ends at once with its tasks, the running one goes on
expect_ok brix runs cancel --run-id "$SLEEP2"
wait_done "$SLEEP2" 10
assert_json "$E2E_TMP/run.json" 'd["state"] == {"life_cycle_state": "TERMINATED", "result_state": "CANCELED", "state_message": "Run canceled while queued", "user_cancelled_or_timedout": True} and d["end_time"] > 0'
assert_json "$E2E_TMP/run.json" '[(t["state"]["life_cycle_state"], t["state"].get("result_state")) for t in d["tasks"]] == [("TERMINATED", "CANCELED")]'
get_run "$SLEEP1"
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "RUNNING"'
# then a second queued run, and cancel-all-runs ends both
expect_ok brix jobs run-now "$SLEEP_JOB" --no-wait
SLEEP2=$(jv "$OUT_FILE" 'd["run_id"]')
expect_ok brix jobs cancel-all-runs "$SLEEP_JOB"
wait_done "$SLEEP1" 10
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "CANCELED" and d["tasks"][0]["state"]["result_state"] == "CANCELED"'
wait_done "$SLEEP2" 10
assert_json "$E2E_TMP/run.json" 'd["state"]["life_cycle_state"] == "TERMINATED" and d["state"]["result_state"] == "CANCELED"'
assert_json "$E2E_TMP/run.json" 'all(t["state"]["life_cycle_state"] not in ("PENDING", "QUEUED", "RUNNING") for t in d["tasks"])'
kill -0 "$TASK_PID" 2>/dev/null && fail "the canceled task process $TASK_PID is still alive"
ok
expect_ok brix runs list --active-only -o json
assert_eq "[]" "$OUT" "no active runs after cancel-all"
# deleting an active run is refused
expect_ok brix jobs run-now "$SLEEP_JOB" --no-wait
SLEEP3=$(jv "$OUT_FILE" 'd["run_id"]')
expect_exit 1 brix runs delete --run-id "$SLEEP3"
assert_eq "Error: Run $SLEEP3 is still active; cancel it first." "$ERR"
expect_ok brix runs cancel-all --job-id "$SLEEP_JOB"
wait_done "$SLEEP3" 10
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "CANCELED"'
expect_ok brix runs delete --run-id "$SLEEP3"

# ---------------------------------------------------------------------------------------------
step "idempotency token: the same token gives the same run"
expect_ok brix jobs run-now "$INLINE_JOB" --no-wait --idempotency-token nightly-2026-11-21
TOKEN_RUN=$(jv "$OUT_FILE" 'd["run_id"]')
expect_ok brix jobs run-now --job-id "$INLINE_JOB" --no-wait --idempotency-token nightly-2026-11-21
assert_eq "$TOKEN_RUN" "$(jv "$OUT_FILE" 'd["run_id"]')" "run id for a repeated token"
expect_exit 0 brix jobs run-now "$INLINE_JOB" --idempotency-token nightly-2026-11-21
assert_out_bytes $'hello from crud\n'
expect_ok brix runs list --job-id "$INLINE_JOB" -o json
assert_json "$OUT_FILE" '[r["run_id"] for r in d] == ['"$TOKEN_RUN"']'
# another token, another run
expect_ok brix jobs run-now "$INLINE_JOB" --no-wait --idempotency-token other-token
OTHER_RUN=$(jv "$OUT_FILE" 'd["run_id"]')
[[ $OTHER_RUN != "$TOKEN_RUN" ]] || fail "a new token reused run $TOKEN_RUN"
ok
wait_done "$OTHER_RUN"
expect_exit 2 brix jobs run-now "$INLINE_JOB" --idempotency-token "$(printf 'x%.0s' {1..65})"
assert_contains "$ERR" "Error: --idempotency-token must be 1 to 64 characters"

finish
