#!/usr/bin/env bash
# clusters on the local engine: named environments for job tasks. The life cycle (PENDING ->
# RUNNING -> TERMINATED, restart, edit, start, autotermination), both CLI syntaxes, and what a
# task sees: spark_env_vars, spark_conf and num_workers as local[N], for existing_cluster_id,
# new_cluster and job_cluster_key; an unknown cluster id in a job is refused.
# Runs against the local engine and then through `brix serve` unless BRIX_E2E_BACKEND picks one.
set -u
if [[ -z ${BRIX_E2E_BACKEND:-} ]]; then
    BRIX_E2E_BACKEND=local bash "$0" || exit 1
    exec env BRIX_E2E_BACKEND=serve bash "$0"
fi
source "$(dirname "$0")/lib.sh" || exit 1
export BRIX_CLUSTER_STARTUP_MS=3000  # long enough to see PENDING on a busy machine; the server inherits it
fresh_root

jv() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))
EOF
}

cat >env.py <<'EOF'
import os
print(os.environ.get("GREETING"), os.environ["BRIX_SPARK_MASTER"], os.environ.get("BRIX_CLUSTER_ID", "-"))
print("conf:", "spark.sql.shuffle.partitions=7" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""))
EOF
expect_ok brix workspace import env.py /Shared/env.py
# task JSON for a python task on the given compute fragment
task() { printf '{"task_key": "%s", %s, "spark_python_task": {"python_file": "/Shared/env.py"}}' "$1" "$2"; }

# ---------------------------------------------------------------------------------------------
step "what clusters can be: spark-versions, list-node-types"
expect_ok brix clusters spark-versions
assert_json "$OUT_FILE" 'any(v["key"] == "15.4.x-scala2.12" for v in d["versions"])'
expect_ok brix clusters list-node-types
assert_json "$OUT_FILE" 'd["node_types"][0]["node_type_id"] == "local" and d["node_types"][0]["num_cores"] >= 1'

step "create --no-wait: PENDING at once, RUNNING after the start-up"
expect_ok brix clusters create 15.4.x-scala2.12 --cluster-name etl --num-workers 3 --autotermination-minutes 30 --no-wait
ETL=$(jv "$OUT_FILE" 'd["cluster_id"]')
[[ $ETL =~ ^[0-9]{4}-[0-9]{6}-[a-z0-9]{8}$ ]] || fail "cluster id shape: $ETL"
ok
expect_ok brix clusters get "$ETL"
assert_json "$OUT_FILE" 'd["state"] == "PENDING" and d["cluster_name"] == "etl" and d["num_workers"] == 3 and d["autotermination_minutes"] == 30 and d["cluster_source"] == "API"'
sleep 3.1
expect_ok brix clusters get --cluster-id "$ETL"
assert_json "$OUT_FILE" 'd["state"] == "RUNNING" and "last_activity_time" not in d'
assert_json "$OUT_FILE" 'd["brix_environment"]["spark_master"] == "local[3]"'
assert_eq 1 "$(sqlite3 "$ROOT/brix.db" "SELECT last_activity_time > 0 FROM clusters WHERE cluster_id = '$ETL'")" "activity recorded"

step "create waits for RUNNING by default (legacy --json-file)"
cat >cluster.json <<'EOF'
{"cluster_name": "envs", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2,
 "spark_env_vars": {"GREETING": "hello from envs", "PYSPARK_PYTHON": "/databricks/python3/bin/python3"},
 "spark_conf": {"spark.sql.shuffle.partitions": "7"}, "autotermination_minutes": 10}
EOF
expect_ok brix clusters create --json-file cluster.json
ENVS=$(jv "$OUT_FILE" 'd["cluster_id"]')
assert_json "$OUT_FILE" 'd["state"] == "RUNNING" and d["spark_env_vars"]["GREETING"] == "hello from envs"'
expect_ok brix clusters list
assert_contains "$OUT" "$ENVS	envs	RUNNING"
assert_contains "$OUT" "$ETL	etl	RUNNING"
expect_ok brix clusters list --output JSON
assert_json "$OUT_FILE" 'sorted(c["cluster_id"] for c in d["clusters"]) == sorted(["'"$ETL"'", "'"$ENVS"'"])'
expect_ok brix clusters get --cluster-name envs
assert_json "$OUT_FILE" 'd["cluster_id"] == "'"$ENVS"'"'

# ---------------------------------------------------------------------------------------------
step "a job on existing_cluster_id gets the cluster's environment"
expect_ok brix jobs create --json '{"name": "on envs", "tasks": ['"$(task t '"existing_cluster_id": "'"$ENVS"'"')"']}'
ENVS_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
expect_exit 0 brix jobs run-now "$ENVS_JOB"
assert_out_bytes "hello from envs local[2] $ENVS"$'\nconf: True\n'

step "new_cluster and job_cluster_key make an environment for the run only"
expect_exit 0 brix jobs submit --json '{"run_name": "ephemeral", "tasks": ['"$(task t '"new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": 5, "spark_env_vars": {"GREETING": "ephemeral"}}')"']}'
assert_out_bytes $'ephemeral local[5] -\nconf: False\n'
expect_ok brix jobs create --json '{"name": "shared", "job_clusters": [{"job_cluster_key": "small", "new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": 4, "spark_env_vars": {"GREETING": "job cluster"}}}], "tasks": ['"$(task t '"job_cluster_key": "small"')"']}'
expect_exit 0 brix jobs run-now "$(jv "$OUT_FILE" 'd["job_id"]')"
assert_out_bytes $'job cluster local[4] -\nconf: False\n'
# job clusters belong to jobs: a one-time run (runs/submit) has none, as on Databricks
expect_exit 1 brix jobs submit --json '{"run_name": "shared", "job_clusters": [{"job_cluster_key": "small", "new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": 4}}], "tasks": ['"$(task t '"job_cluster_key": "small"')"']}'
assert_contains "$ERR" "runs/submit takes no job_clusters"
expect_ok brix clusters list -o json
assert_json "$OUT_FILE" 'len(d) == 2'

# ---------------------------------------------------------------------------------------------
step "delete terminates (it stays listed); a job run starts it again"
expect_ok brix clusters delete --cluster-id "$ENVS"
expect_ok brix clusters get "$ENVS"
assert_json "$OUT_FILE" 'd["state"] == "TERMINATED" and d["termination_reason"]["code"] == "USER_REQUEST" and d["terminated_time"] > 0'
expect_exit 1 brix --debug clusters restart "$ENVS"
assert_contains "$ERR" "INVALID_STATE"
expect_exit 0 brix jobs run-now "$ENVS_JOB"
assert_contains "$OUT" "hello from envs local[2]"
expect_ok brix clusters get "$ENVS"
assert_json "$OUT_FILE" 'd["state"] == "RUNNING" and "termination_reason" not in d'

step "edit a RUNNING cluster: it restarts with the new settings, and tasks see them"
expect_ok brix clusters edit "$ENVS" --json '{"spark_version": "15.4.x-scala2.12", "cluster_name": "envs", "num_workers": 6, "spark_env_vars": {"GREETING": "edited"}}'
expect_ok brix clusters get "$ENVS"
# RESTARTING for 3 s; on a machine busy enough the restart can be over before this get.
assert_json "$OUT_FILE" 'd["state"] in ("RESTARTING", "RUNNING") and d["num_workers"] == 6'
expect_ok brix clusters restart "$ETL" --no-wait
expect_exit 1 brix --debug clusters edit "$ETL" --json '{"spark_version": "x"}'
assert_contains "$ERR" "INVALID_STATE"
sleep 3.1
expect_exit 0 brix jobs run-now "$ENVS_JOB"
assert_out_bytes "edited local[6] $ENVS"$'\nconf: False\n'
# edit replaces the whole spec: with a flag alone brix sends the cluster's settings with the change
expect_ok brix clusters edit "$ENVS" --num-workers 2
expect_ok brix clusters get "$ENVS"
assert_json "$OUT_FILE" 'd["num_workers"] == 2 and d["spark_version"] == "15.4.x-scala2.12" and d["cluster_name"] == "envs" and d["spark_env_vars"] == {"GREETING": "edited"} and d["state"] in ("RESTARTING", "RUNNING")'
expect_ok brix clusters get "$ETL"
assert_json "$OUT_FILE" 'd["state"] == "RUNNING" and d["last_restarted_time"] > 0'

step "start a terminated cluster (waits for RUNNING); resize"
expect_ok brix clusters delete "$ETL" --no-wait
expect_ok brix clusters start "$ETL"
expect_ok brix clusters get "$ETL"
assert_json "$OUT_FILE" 'd["state"] == "RUNNING"'
expect_ok brix clusters resize "$ETL" --num-workers 1
expect_ok brix clusters get "$ETL"
assert_json "$OUT_FILE" 'd["num_workers"] == 1'
assert_json "$OUT_FILE" 'd["brix_environment"]["spark_master"] == "local[1]"'

step "autotermination: a cluster idle past autotermination_minutes is TERMINATED (INACTIVITY)"
if command -v sqlite3 >/dev/null; then
    # 31 idle minutes, without waiting for them: the activity clock is moved back in the store.
    sqlite3 "$ROOT/brix.db" "UPDATE clusters SET last_activity_time = last_activity_time - 31 * 60000 WHERE cluster_id = '$ETL'" ||
        fail "cannot age the cluster"
    expect_ok brix clusters get "$ETL"
    assert_json "$OUT_FILE" 'd["state"] == "TERMINATED" and d["termination_reason"]["code"] == "INACTIVITY" and d["termination_reason"]["parameters"]["inactivity_duration_min"] == "30"'
else
    skip "no sqlite3: autotermination not checked"
fi

# ---------------------------------------------------------------------------------------------
step "bad input: unknown cluster ids, bad settings, an interpreter that is not there"
expect_exit 1 brix jobs create --json '{"name": "x", "tasks": ['"$(task t '"existing_cluster_id": "0000-000000-nothere0"')"']}'
assert_contains "$ERR" "cluster 0000-000000-nothere0 does not exist"
expect_exit 1 brix jobs submit --json '{"run_name": "x", "tasks": ['"$(task t '"existing_cluster_id": "0000-000000-nothere0"')"']}'
assert_contains "$ERR" "does not exist"
expect_exit 1 brix jobs create --json '{"name": "x", "tasks": ['"$(task t '"job_cluster_key": "missing"')"']}'
assert_contains "$ERR" "job_cluster_key 'missing' is not defined"
expect_exit 3 brix clusters get 0000-000000-nothere0
assert_contains "$ERR" "Cluster 0000-000000-nothere0 does not exist"
expect_exit 1 brix clusters create 15.4.x-scala2.12 --autotermination-minutes 5
assert_contains "$ERR" "autotermination_minutes must be 0 (never) or between 10 and 10000"
expect_exit 1 brix clusters create --json '{"cluster_name": "no version"}'
assert_contains "$ERR" "spark_version"
expect_exit 1 brix clusters create --json '{"spark_version": "15.4.x-scala2.12", "spark_env_vars": {"PYSPARK_PYTHON": "/nowhere/python3"}}'
assert_contains "$ERR" "is TERMINATED: spark_env_vars.PYSPARK_PYTHON (/nowhere/python3) is not an executable on this machine"
expect_exit 2 brix clusters get
expect_exit 2 brix clusters get one --cluster-id two

step "permanent-delete: gone from get and list; a job that named it fails its run clearly"
expect_ok brix clusters permanent-delete "$ENVS"
expect_exit 3 brix clusters get "$ENVS"
expect_ok brix clusters list -o json
assert_json "$OUT_FILE" '"'"$ENVS"'" not in [c["cluster_id"] for c in d]'
expect_exit 5 brix jobs run-now "$ENVS_JOB"
assert_contains "$ERR" "Cluster $ENVS does not exist"

finish
