#!/usr/bin/env bash
# A small ETL on the local engine: raw CSV lands in DBFS, a script and a notebook are imported
# into the workspace, the script turns the raw data into a daily summary, and the results are
# read back. Everything lives in a temporary engine root.
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

step "Transform: daily totals per region (the imported script, run against the engine's DBFS)"
"$brix" fs cat dbfs:/landing/sales/2026-11-21.csv > "$BRIX_HOME/../raw.csv"
"$brix" workspace export /Shared/etl/summarise.py - > "$BRIX_HOME/../summarise.py"
python3 "$BRIX_HOME/../summarise.py" "$BRIX_HOME/../raw.csv" | "$brix" fs put dbfs:/curated/sales_by_region.csv

step "Results"
"$brix" fs cat dbfs:/curated/sales_by_region.csv
"$brix" workspace export /Shared/etl/report --format JUPYTER --file "$BRIX_HOME/../report.ipynb"
echo "report notebook exported as Jupyter: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cells"]))' "$BRIX_HOME/../report.ipynb") cells"
echo
echo "Engine root: $BRIX_HOME"
