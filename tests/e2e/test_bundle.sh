#!/usr/bin/env bash
# Asset bundles end to end: a bundle with two jobs (a spark_python_task script and a notebook_task
# notebook with a widget), an included YAML file, variables and two targets. validate (and the
# errors it must catch before anything is deployed), deploy (files and jobs, idempotent, changed
# files only, recreated jobs, the lock), run (output, exit codes), summary, -t prod, destroy.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

BUNDLE=$WORK/demo
mkdir -p "$BUNDLE/src" "$BUNDLE/resources"
cd "$BUNDLE" || fail "cannot enter $BUNDLE"

cat >databricks.yml <<'EOF'
bundle:
  name: demo

include:
  - resources/*.yml

variables:
  rows:
    description: how many rows the ETL loads
    default: 3
  greeting:
    description: what the report says
    default: hello

resources:
  jobs:
    etl:
      name: etl-${bundle.target}
      tasks:
        - task_key: load
          spark_python_task:
            python_file: ./src/etl.py
            parameters: ["--rows", "${var.rows}", "--target", "${bundle.target}"]

targets:
  dev:
    default: true
    mode: development
  prod:
    mode: production
    workspace:
      root_path: /Workspace/Shared/.bundle/${bundle.name}/${bundle.target}
    variables:
      rows: 10
  elsewhere:
    workspace:
      host: https://elsewhere.example.com
EOF
cat >resources/report.yml <<'EOF'
resources:
  jobs:
    report:
      name: report
      parameters:
        - name: greeting
          default: ${var.greeting}
      tasks:
        - task_key: show
          notebook_task:
            notebook_path: ../src/report.py
EOF
cat >src/etl.py <<'EOF'
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int)
parser.add_argument("--target")
args = parser.parse_args()
print(f"etl loaded {args.rows} rows for {args.target}")
EOF
cat >src/report.py <<'EOF'
# Databricks notebook source
greeting = dbutils.widgets.get("greeting")
print(f"{greeting} from the report")

# COMMAND ----------

dbutils.notebook.exit(f"report says {greeting}")
EOF
mkdir -p src/__pycache__ .databricks
echo "cache" >src/__pycache__/etl.cpython-311.pyc
printf 'secrets.env\n' >.gitignore
echo "TOKEN=x" >secrets.env

# ---------------------------------------------------------------------------------------------
step "validate: the resolved configuration"
expect_exit 0 brix bundle validate -o json
assert_json "$OUT_FILE" 'd["bundle"]["name"] == "demo" and d["bundle"]["target"] == "dev"'
USER_NAME=$(jv "$OUT_FILE" 'd["workspace"]["current_user"]["userName"]')
SHORT=$(jv "$OUT_FILE" 'd["workspace"]["current_user"]["short_name"]')
[[ -n $USER_NAME && -n $SHORT ]] || fail "no current user in the resolved configuration"
ok
ROOT_PATH=/Workspace/Users/$USER_NAME/.bundle/demo/dev
FILES=$ROOT_PATH/files
assert_eq "$ROOT_PATH" "$(jv "$OUT_FILE" 'd["workspace"]["root_path"]')" "default root_path"
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["etl"]["name"] == "[dev '"$SHORT"'] etl-dev"'
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["report"]["name"] == "[dev '"$SHORT"'] report"'
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["etl"]["tasks"][0]["spark_python_task"]["python_file"] == "'"$FILES"'/src/etl.py"'
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["etl"]["tasks"][0]["spark_python_task"]["parameters"] == ["--rows", "3", "--target", "dev"]'
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["report"]["tasks"][0]["notebook_task"]["notebook_path"] == "'"$FILES"'/src/report"'
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["report"]["parameters"] == [{"name": "greeting", "default": "hello"}]'
expect_ok brix bundle validate
assert_contains "$OUT" "Name: demo"
assert_contains "$OUT" "Target: dev"
assert_contains "$OUT" "Path: $ROOT_PATH"
assert_contains "$OUT" "Validation OK!"
# --var beats $BUNDLE_VAR_x, which beats the target and the default; -t picks the target
expect_exit 0 env BUNDLE_VAR_rows=8 "$BRIX" bundle validate -o json
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["etl"]["tasks"][0]["spark_python_task"]["parameters"][1] == "8"'
expect_exit 0 env BUNDLE_VAR_rows=8 "$BRIX" bundle validate --var rows=7 -o json
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["etl"]["tasks"][0]["spark_python_task"]["parameters"][1] == "7"'
expect_exit 0 brix bundle -t prod validate -o json
assert_json "$OUT_FILE" 'd["workspace"]["root_path"] == "/Workspace/Shared/.bundle/demo/prod" and d["resources"]["jobs"]["etl"]["name"] == "etl-prod"'
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["etl"]["tasks"][0]["spark_python_task"]["parameters"][1] == "10"'
# from a subfolder, the bundle above is found
(cd src && "$BRIX" bundle validate >/dev/null 2>&1) || fail "validate from a subfolder"
ok

# ---------------------------------------------------------------------------------------------
step "validate: errors stop everything, warnings are shown"
expect_ok brix jobs list  # opens the store, so the snapshot compares the database too
snapshot_save before_errors
bad_bundle() {  # bad_bundle NAME: a copy of the bundle in $WORK/NAME, entered
    rm -rf "${WORK:?}/$1"
    cp -r "$BUNDLE" "$WORK/$1"
    rm -rf "$WORK/$1/.databricks"
    cd "$WORK/$1" || fail "cannot enter $WORK/$1"
}
bad_bundle undefined_var
# shellcheck disable=SC2016  # the ${...} are the bundle's, not the shell's
sed -i 's/"--target", "${bundle.target}"/"--target", "${var.nope}"/' databricks.yml
expect_exit 1 brix bundle validate
assert_contains "$ERR" 'Error: unknown variable nope'
assert_contains "$ERR" 'resources.jobs.etl.tasks[0].spark_python_task.parameters[3]'
expect_exit 1 brix bundle deploy
assert_contains "$ERR" 'Error: unknown variable nope'

bad_bundle missing_file
sed -i 's|./src/etl.py|./src/missing.py|' databricks.yml
expect_exit 1 brix bundle deploy
assert_contains "$ERR" 'file src/missing.py not found'

bad_bundle not_a_notebook
sed -i 's|../src/report.py|../src/etl.py|' resources/report.yml
expect_exit 1 brix bundle validate
assert_contains "$ERR" 'src/etl.py is a file, not a notebook'

bad_bundle pipelines
cat >resources/pipeline.yml <<'EOF'
resources:
  pipelines:
    ingest:
      name: ingest
EOF
expect_exit 1 brix bundle deploy
assert_contains "$ERR" 'Error: resources.pipelines is not supported by brix'

bad_bundle two_errors
sed -i 's|./src/etl.py|./src/missing.py|' databricks.yml
printf 'artifacts:\n  wheel:\n    type: whl\n' >>databricks.yml
expect_exit 1 brix bundle validate
assert_contains "$ERR" 'Error: artifacts is not supported by brix'
assert_contains "$ERR" 'Error: resources.jobs.etl.tasks[0].spark_python_task.python_file: file src/missing.py not found'

bad_bundle excluded
printf 'sync:\n  exclude:\n    - src/etl.py\n' >>databricks.yml
expect_exit 1 brix bundle validate
assert_contains "$ERR" 'src/etl.py is not uploaded'

bad_bundle unknown_target
expect_exit 1 brix bundle validate -t qa
assert_contains "$ERR" 'no target qa in the bundle (targets: dev, prod, elsewhere)'

bad_bundle host_mismatch
expect_exit 1 env DATABRICKS_HOST="${DATABRICKS_HOST:-local:$ROOT}" "$BRIX" bundle validate -t elsewhere
assert_contains "$ERR" 'target elsewhere deploys to workspace.host https://elsewhere.example.com, but this command uses'

bad_bundle hosted  # a target naming the workspace the command uses (or would use) is fine
printf '  hosted:\n    workspace:\n      host: %s\n' "${DATABRICKS_HOST:-local:$ROOT}" >>databricks.yml
expect_exit 0 brix bundle validate -t hosted
assert_contains "$OUT" "Host: ${DATABRICKS_HOST:-local:$ROOT}"

bad_bundle warned
printf 'permissions:\n  - level: CAN_VIEW\n    group_name: users\nexperimental:\n  pydabs: {}\n' >>databricks.yml
expect_exit 0 brix bundle validate
assert_contains "$ERR" 'Warning: permissions is ignored'
assert_contains "$ERR" 'Warning: experimental is ignored'
assert_contains "$OUT" 'Found 2 warnings'

mkdir -p "$WORK/empty"
cd "$WORK/empty" || fail "cannot enter $WORK/empty"
expect_exit 1 brix bundle validate
assert_contains "$ERR" 'no databricks.yml in'
# nothing of all that reached the workspace
expect_ok brix jobs list -o json
assert_eq "[]" "$OUT" "jobs after failed deploys"
expect_exit 3 brix workspace get-status "/Workspace/Users/$USER_NAME/.bundle"
assert_unchanged before_errors
cd "$BUNDLE" || fail "cannot enter $BUNDLE"

# ---------------------------------------------------------------------------------------------
step "deploy: files uploaded, two jobs created"
expect_exit 0 brix bundle deploy
assert_contains "$OUT" "Deploy complete: 7 changed (jobs: 2 created, 0 updated, 0 deleted, 0 unchanged; files: 5 uploaded, 0 deleted, 0 unchanged)"
assert_contains "$ERR" "Uploading bundle files to $FILES..."
assert_contains "$ERR" "uploaded src/etl.py"
assert_contains "$ERR" "created jobs.etl (job "
assert_not_contains "$ERR" "secrets.env"
assert_not_contains "$ERR" "__pycache__"
expect_ok brix jobs list -o json
assert_json "$OUT_FILE" 'sorted(j["settings"]["name"] for j in d) == ["[dev '"$SHORT"'] etl-dev", "[dev '"$SHORT"'] report"]'
ETL_JOB=$(jv "$OUT_FILE" '[j["job_id"] for j in d if j["settings"]["name"].endswith("etl-dev")][0]')
REPORT_JOB=$(jv "$OUT_FILE" '[j["job_id"] for j in d if j["settings"]["name"].endswith("report")][0]')
expect_ok brix jobs get "$ETL_JOB"
assert_json "$OUT_FILE" 'd["settings"]["tasks"][0]["spark_python_task"]["python_file"] == "'"$FILES"'/src/etl.py"'
expect_ok brix jobs get "$REPORT_JOB"
assert_json "$OUT_FILE" 'd["settings"]["tasks"][0]["notebook_task"]["notebook_path"] == "'"$FILES"'/src/report"'
# files are there, byte for byte; the notebook lost its extension
expect_ok brix workspace export "$FILES/src/etl.py" "$E2E_TMP/etl.exported"
assert_file_eq src/etl.py "$E2E_TMP/etl.exported"
expect_ok brix workspace get-status "$FILES/src/report" -o json
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "PYTHON"'
expect_ok brix workspace export "$FILES/src/report"
assert_contains "$OUT" 'report says {greeting}'
expect_ok brix workspace get-status "$FILES/resources/report.yml"
expect_exit 3 brix workspace get-status "$FILES/secrets.env"
expect_exit 3 brix workspace get-status "$FILES/src/__pycache__"
expect_exit 3 brix workspace get-status "$ROOT_PATH/state/deploy.lock"
expect_ok brix workspace get-status "$ROOT_PATH/state/deployment.json"
assert_json "$BUNDLE/.databricks/bundle/dev/deployment.json" 'd["jobs"]["etl"]["job_id"] == '"$ETL_JOB"

step "deploy again: 0 changed; a changed file: 1 changed"
expect_exit 0 brix bundle deploy
assert_contains "$OUT" "Deploy complete: 0 changed (jobs: 0 created, 0 updated, 0 deleted, 2 unchanged; files: 0 uploaded, 0 deleted, 5 unchanged)"
assert_not_contains "$ERR" "uploaded"
echo 'print("etl version 2")' >>src/etl.py
expect_exit 0 brix bundle deploy
assert_contains "$OUT" "Deploy complete: 1 changed (jobs: 0 created, 0 updated, 0 deleted, 2 unchanged; files: 1 uploaded, 0 deleted, 4 unchanged)"
assert_contains "$ERR" "uploaded src/etl.py"
expect_ok brix workspace export "$FILES/src/etl.py"
assert_contains "$OUT" "etl version 2"
# a changed job setting updates the job in place
sed -i 's/default: hello/default: howdy/' databricks.yml
expect_exit 0 brix bundle deploy
assert_contains "$OUT" "Deploy complete: 2 changed (jobs: 0 created, 1 updated,"
assert_contains "$ERR" "updated jobs.report (job $REPORT_JOB)"
expect_ok brix jobs get "$REPORT_JOB"
assert_json "$OUT_FILE" 'd["settings"]["parameters"][0]["default"] == "howdy"'

# ---------------------------------------------------------------------------------------------
step "run: output and exit codes as jobs run-now"
expect_exit 0 brix bundle run etl
assert_out_bytes $'etl loaded 3 rows for dev\netl version 2\n'
assert_contains "$ERR" "TERMINATED SUCCESS"
expect_exit 0 brix bundle run report --params greeting=hi
assert_out_bytes $'report says hi\n'
expect_exit 0 brix bundle run report -o json
assert_json "$OUT_FILE" 'd["state"]["result_state"] == "SUCCESS" and d["job_id"] == '"$REPORT_JOB"
TASK_RUN=$(jv "$OUT_FILE" 'd["tasks"][0]["run_id"]')
expect_ok brix runs get-output --run-id "$TASK_RUN"
assert_json "$OUT_FILE" 'd["notebook_output"]["result"] == "report says howdy"'
expect_exit 0 brix bundle run etl --no-wait
assert_json "$OUT_FILE" '"run_id" in d'
wait_done "$(jv "$OUT_FILE" 'd["run_id"]')"
expect_exit 2 brix bundle run nope
assert_contains "$ERR" "no job nope in the bundle (jobs: etl, report)"

step "a failing job: exit 5; gone from the bundle: deleted"
cat >src/broken.py <<'EOF'
raise RuntimeError("the source table is missing")
EOF
cat >resources/broken.yml <<'EOF'
resources:
  jobs:
    broken:
      tasks:
        - task_key: fail
          spark_python_task:
            python_file: ../src/broken.py
EOF
expect_exit 0 brix bundle deploy
assert_contains "$OUT" "jobs: 1 created"
BROKEN_JOB=$(jv .databricks/bundle/dev/deployment.json 'd["jobs"]["broken"]["job_id"]')
expect_ok brix jobs get "$BROKEN_JOB"
assert_json "$OUT_FILE" 'd["settings"]["name"] == "[dev '"$SHORT"'] broken"'
expect_exit 5 brix bundle run broken
assert_contains "$ERR" "Task fail FAILED"
assert_contains "$ERR" "the source table is missing"
rm resources/broken.yml src/broken.py
expect_exit 0 brix bundle deploy
assert_contains "$OUT" "Deploy complete: 3 changed (jobs: 0 created, 0 updated, 1 deleted, 2 unchanged; files: 0 uploaded, 2 deleted,"
expect_exit 3 brix jobs get "$BROKEN_JOB"
expect_exit 3 brix workspace get-status "$FILES/src/broken.py"

step "a recorded job deleted behind the bundle's back is created again"
expect_ok brix jobs delete "$ETL_JOB"
expect_exit 0 brix bundle deploy
assert_contains "$OUT" "Deploy complete: 1 changed (jobs: 1 created,"
assert_contains "$ERR" "replacing job $ETL_JOB, which no longer exists"
OLD_ETL=$ETL_JOB
ETL_JOB=$(jv .databricks/bundle/dev/deployment.json 'd["jobs"]["etl"]["job_id"]')
[[ $ETL_JOB != "$OLD_ETL" ]] || fail "the etl job kept its deleted ID"
ok
expect_exit 0 brix bundle run etl
assert_contains "$OUT" "etl loaded 3 rows for dev"

step "the lock: a held lock stops a deploy, --force-lock takes it"
printf '{"id": "other", "user": "someone", "machine": "ci-7", "acquired_at": "2026-01-01T00:00:00Z"}\n' >"$E2E_TMP/lock.json"
expect_ok brix workspace import "$E2E_TMP/lock.json" "$ROOT_PATH/state/deploy.lock" --format RAW
echo 'print("etl version 3")' >>src/etl.py
expect_exit 1 brix bundle deploy
assert_contains "$ERR" "target dev is locked by someone on ci-7 since 2026-01-01T00:00:00Z"
expect_ok brix workspace export "$FILES/src/etl.py"
assert_not_contains "$OUT" "etl version 3"
expect_exit 0 brix bundle deploy --force-lock
assert_contains "$OUT" "1 changed"
expect_exit 3 brix workspace get-status "$ROOT_PATH/state/deploy.lock"

step "summary"
expect_ok brix bundle summary
assert_contains "$OUT" "Name: demo"
assert_contains "$OUT" "    etl:"
assert_contains "$OUT" "      Name: [dev $SHORT] etl-dev"
assert_contains "$OUT" "      ID: $ETL_JOB"
assert_contains "$OUT" "      ID: $REPORT_JOB"
expect_ok brix bundle summary -o json
assert_json "$OUT_FILE" 'd["resources"]["jobs"]["etl"]["id"] == '"$ETL_JOB"' and d["resources"]["jobs"]["report"]["id"] == '"$REPORT_JOB"' and d["target"] == "dev"'
if ! backend_is_local; then
    assert_json "$OUT_FILE" 'd["resources"]["jobs"]["etl"]["url"] == "'"$DATABRICKS_HOST"'/jobs/'"$ETL_JOB"'"'
fi

# ---------------------------------------------------------------------------------------------
step "-t prod: another root path, names without a prefix, its own variables"
expect_exit 0 brix bundle deploy -t prod
assert_contains "$OUT" "jobs: 2 created"
assert_contains "$ERR" "Uploading bundle files to /Workspace/Shared/.bundle/demo/prod/files..."
expect_ok brix workspace get-status /Workspace/Shared/.bundle/demo/prod/files/src/report
PROD_ETL=$(jv .databricks/bundle/prod/deployment.json 'd["jobs"]["etl"]["job_id"]')
expect_ok brix jobs get "$PROD_ETL"
assert_json "$OUT_FILE" 'd["settings"]["name"] == "etl-prod" and d["settings"]["tasks"][0]["spark_python_task"]["python_file"] == "/Workspace/Shared/.bundle/demo/prod/files/src/etl.py"'
expect_exit 0 brix bundle run -t prod etl
assert_contains "$OUT" "etl loaded 10 rows for prod"
expect_ok brix jobs list -o json
assert_json "$OUT_FILE" 'len(d) == 4'

# ---------------------------------------------------------------------------------------------
step "destroy"
expect_exit 1 brix bundle destroy
assert_contains "$ERR" "pass --auto-approve"
expect_ok brix jobs get "$ETL_JOB"
expect_exit 0 brix bundle destroy --auto-approve
assert_contains "$OUT" "Destroy complete: 2 jobs deleted, $ROOT_PATH deleted"
expect_exit 3 brix jobs get "$ETL_JOB"
expect_exit 3 brix jobs get "$REPORT_JOB"
expect_exit 3 brix workspace get-status "$ROOT_PATH"
assert_no_file .databricks/bundle/dev
expect_exit 3 brix bundle run etl
assert_contains "$ERR" "jobs.etl is not deployed to target dev"
expect_ok brix bundle summary -o json
assert_json "$OUT_FILE" 'd["deployed"] == False and "id" not in d["resources"]["jobs"]["etl"]'
# prod is untouched until destroyed too
expect_ok brix jobs get "$PROD_ETL"
expect_exit 0 brix bundle destroy -t prod --auto-approve
expect_exit 3 brix jobs get "$PROD_ETL"
expect_exit 3 brix workspace get-status /Workspace/Shared/.bundle/demo/prod
expect_ok brix jobs list -o json
assert_eq "[]" "$OUT" "jobs after destroy"
# a destroyed bundle deploys again from scratch
expect_exit 0 brix bundle deploy
assert_contains "$OUT" "jobs: 2 created"

# ---------------------------------------------------------------------------------------------
step "deploy sends each value with the API's type: strings in string maps, integers from --var"
mkdir -p "$WORK/typed/src"
cd "$WORK/typed" || fail "cannot enter $WORK/typed"
printf 'print("typed")\n' >src/typed.py
cat >databricks.yml <<'EOF'
bundle:
  name: typed
variables:
  workers:
    default: 1
resources:
  jobs:
    typed:
      name: typed
      max_concurrent_runs: ${var.workers}
      tags:
        cost_center: 1234
        critical: true
      job_clusters:
        - job_cluster_key: main
          new_cluster:
            spark_version: 15.4.x-scala2.12
            num_workers: ${var.workers}
            spark_conf:
              spark.sql.shuffle.partitions: 8
            custom_tags:
              tier: 2
      tasks:
        - task_key: run
          job_cluster_key: main
          spark_python_task:
            python_file: ./src/typed.py
EOF
expect_exit 0 brix bundle deploy --var workers=3
TYPED_JOB=$(jv .databricks/bundle/default/deployment.json 'd["jobs"]["typed"]["job_id"]')
expect_ok brix jobs get "$TYPED_JOB"
assert_json "$OUT_FILE" 'd["settings"]["tags"] == {"cost_center": "1234", "critical": "true"} and d["settings"]["max_concurrent_runs"] == 3'
assert_json "$OUT_FILE" 'd["settings"]["job_clusters"][0]["new_cluster"]["num_workers"] == 3 and d["settings"]["job_clusters"][0]["new_cluster"]["spark_conf"] == {"spark.sql.shuffle.partitions": "8"} and d["settings"]["job_clusters"][0]["new_cluster"]["custom_tags"] == {"tier": "2"}'

finish
