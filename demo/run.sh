#!/usr/bin/env bash
# A small ETL on the embedded local engine: raw CSV lands in DBFS, a script and a notebook are
# imported into the workspace, a two-task job (script -> notebook, with a job parameter and a task
# value) really runs, and the results are read back. Everything lives in a temporary engine root.
set -euo pipefail
brix=${1:-brix}
here="$(cd "$(dirname "$0")" && pwd)"
export BRIX_HOME="$(mktemp -d)/engine"
unset DATABRICKS_HOST DATABRICKS_TOKEN DATABRICKS_CONFIG_PROFILE
export DATABRICKS_CONFIG_FILE=/dev/null
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Land the raw data in DBFS"
"$brix" fs cp "$here/data/sales.csv" dbfs:/landing/sales/2026-11-21.csv
"$brix" fs ls -l dbfs:/landing/sales

step "Import the pipeline into the workspace"
"$brix" workspace mkdirs /Shared/etl
"$brix" workspace import "$here/etl/summarise.py" /Shared/etl/summarise.py
"$brix" workspace import "$here/etl/report.py" /Shared/etl/report.py
"$brix" workspace ls -l --absolute /Shared/etl

step "Create the job and run it (script -> notebook), waiting for the result"
job=$("$brix" jobs create --json "@$here/etl_job.json" -o json | python3 -c 'import json, sys; print(json.load(sys.stdin)["job_id"])')
"$brix" jobs run-now "$job"

step "Results"
"$brix" fs cat dbfs:/curated/sales_by_region.csv
"$brix" runs list --job-id "$job"
echo
echo "Engine root: $BRIX_HOME"
