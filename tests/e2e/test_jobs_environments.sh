#!/usr/bin/env bash
# A task's own Python environment, as on a cluster: `libraries` (whl from /Workspace, dbfs:/ and
# /Volumes, pypi with a repo, a requirements file), `environments` with `environment_key`, and a
# notebook's %pip each get their own virtual environment, cached by a hash of the spec (a second
# run does not install again; two runs at once build it once), never touching the host's Python.
# A python_wheel_task runs the entry point of its whl library; dbutils.library.restartPython()
# restarts a notebook; a cluster's spark_conf (spark.master too) and spark_env_vars reach a
# SparkSession of a (fake) pyspark installed as a library. Wheels are built here, and the package
# index is a PEP 503 folder served by this test on loopback: no network.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

# A Python that can build wheels without the network (setuptools, and wheel for setuptools < 70).
WHEEL_PYTHON=""
mkdir -p "$E2E_TMP/probe/probe_pkg"
printf '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "probe_pkg"\nversion = "1"\n' >"$E2E_TMP/probe/pyproject.toml"
: >"$E2E_TMP/probe/probe_pkg/__init__.py"
for py in python3 /usr/bin/python3; do
    if "$py" -m pip wheel -q --no-index --no-build-isolation --no-deps -w "$E2E_TMP/probe/dist" "$E2E_TMP/probe" >/dev/null 2>&1; then
        WHEEL_PYTHON=$py
        break
    fi
done
[[ -n $WHEEL_PYTHON ]] || fail "no Python here builds wheels offline (scripts/install-deps.sh test installs python3-setuptools and python3-wheel)"

# build_wheel NAME VERSION INIT_PY [SCRIPTS_TOML]: dist/NAME-VERSION-py3-none-any.whl
build_wheel() {
    local name=$1 version=$2 init=$3 scripts=${4:-} dir=$E2E_TMP/src/$1-$2-$RANDOM
    mkdir -p "$dir/$name"
    printf '%s\n' "$init" >"$dir/$name/__init__.py"
    printf '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "%s"\nversion = "%s"\n%s\n' \
        "$name" "$version" "$scripts" >"$dir/pyproject.toml"
    wheel_from "$dir"
}
# wheel_from DIR: the wheel of the project in DIR, into dist/
wheel_from() {
    rm -rf "$1/build"
    "$WHEEL_PYTHON" -m pip wheel -q --no-index --no-build-isolation --no-deps -w "$E2E_TMP/wheel-out" "$1" >/dev/null 2>&1 ||
        fail "cannot build the wheel in $1"
    mkdir -p "$WORK/dist" && mv -f "$E2E_TMP"/wheel-out/*.whl "$WORK/dist/" || fail "no wheel from $1"
}

# The PEP 503 index: simple/<name>/index.html links to the wheels under files/.
INDEX=$E2E_TMP/index
publish() {
    local name=$1 wheel=$2
    mkdir -p "$INDEX/simple/$name" "$INDEX/files"
    cp "$WORK/dist/$wheel" "$INDEX/files/"
    printf '<!DOCTYPE html><html><body><a href="../../files/%s">%s</a></body></html>\n' "$wheel" "$wheel" >"$INDEX/simple/$name/index.html"
}

# outcome RUN_ID KEY: brix_metrics.python_environment of task KEY ("id reused")
environment_of() {
    get_run "$1"
    jv "$E2E_TMP/run.json" '" ".join(str(e) for e in (lambda m: [m["id"], m["reused"]])([t for t in d["tasks"] if t["task_key"] == "'"$2"'"][0]["brix_metrics"]["python_environment"]))'
}
last_run() {
    expect_ok brix runs list --job-id "$1" --limit 1 -o json
    jv "$OUT_FILE" 'd[0]["run_id"]'
}
builds() { find "$ROOT/environments/.builds" -mindepth 1 -maxdepth 1 -type d -name "$1-*" | wc -l; }

mkdir -p "$INDEX"
python3 -u -m http.server --bind 127.0.0.1 --directory "$INDEX" 0 >"$E2E_TMP/http.log" 2>&1 &
for ((i = 0; i < 200; i++)); do
    PORT=$(grep -o 'port [0-9]*' "$E2E_TMP/http.log" | head -1 | cut -d' ' -f2)
    [[ -n $PORT ]] && break
    sleep 0.05
done
[[ -n $PORT ]] || fail "the package index did not start: $(cat "$E2E_TMP/http.log")"
REPO=http://127.0.0.1:$PORT/simple

expect_ok brix workspace mkdirs /Shared/env/lib

# ---------------------------------------------------------------------------------------------
step "a whl library from /Workspace: imported by the task, not by the host's Python; the second run installs nothing"
build_wheel thepkg 1.0 'def hello():
    return "hello from thepkg 1.0"'
expect_ok brix workspace import dist/thepkg-1.0-py3-none-any.whl /Shared/env/lib/thepkg-1.0-py3-none-any.whl -f AUTO
printf 'import os, sys, thepkg\nprint(thepkg.hello())\nprint("own environment:", sys.prefix.startswith(os.environ["BRIX_ROOT"] + "/environments/"))\n' >use.py
expect_ok brix workspace import use.py /Shared/env/use.py
create_job '{"name": "whl", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/env/use.py"},
             "libraries": [{"whl": "/Workspace/Shared/env/lib/thepkg-1.0-py3-none-any.whl"}]}]}'
WHL_JOB=$JOB
expect_exit 0 brix jobs run-now "$WHL_JOB"
assert_eq $'hello from thepkg 1.0\nown environment: True' "$OUT" "the task's output"
read -r FIRST_ID FIRST_REUSED <<<"$(environment_of "$(last_run "$WHL_JOB")" t)"
assert_eq False "$FIRST_REUSED" "the first run built the environment"
run python3 -c "import thepkg"
[[ $RC != 0 && $ERR == *"No module named 'thepkg'"* ]] || fail "the host's python3 imports thepkg (exit $RC)"
ok
expect_exit 0 brix jobs run-now "$WHL_JOB"
assert_eq $'hello from thepkg 1.0\nown environment: True' "$OUT" "the second run's output"
assert_eq "$FIRST_ID True" "$(environment_of "$(last_run "$WHL_JOB")" t)" "the second run reused it"
assert_eq 1 "$(builds "$FIRST_ID")" "environments built for the spec"
assert_contains "$(cat "$ROOT/environments/$FIRST_ID/brix-install.log")" "Successfully installed thepkg-1.0"

step "a rebuilt wheel at the same path is a new spec"
build_wheel thepkg 1.0 'def hello():
    return "hello from the rebuilt thepkg"'
expect_ok brix workspace import dist/thepkg-1.0-py3-none-any.whl /Shared/env/lib/thepkg-1.0-py3-none-any.whl -f AUTO --overwrite
expect_exit 0 brix jobs run-now "$WHL_JOB"
assert_eq $'hello from the rebuilt thepkg\nown environment: True' "$OUT" "output with the rebuilt wheel"
read -r SECOND_ID SECOND_REUSED <<<"$(environment_of "$(last_run "$WHL_JOB")" t)"
[[ $SECOND_ID != "$FIRST_ID" && $SECOND_REUSED == False ]] || fail "the rebuilt wheel reused environment $SECOND_ID"
ok

# ---------------------------------------------------------------------------------------------
step "python_wheel_task with its whl library; pypi from a repo, a requirements file, a whl on dbfs:/"
build_wheel thepkg2 2.0 'def hello():
    return "thepkg2 from the index"'
publish thepkg2 thepkg2-2.0-py3-none-any.whl
build_wheel thepkg3 3.0 'WHO = "thepkg3 from requirements.txt"'
publish thepkg3 thepkg3-3.0-py3-none-any.whl
build_wheel thepkg4 4.0 'WHO = "thepkg4 from dbfs:/"'
expect_ok brix fs cp dist/thepkg4-4.0-py3-none-any.whl dbfs:/env/wheels/thepkg4-4.0-py3-none-any.whl
printf -- '--index-url %s\nthepkg3==3.0\n' "$REPO" >requirements.txt
expect_ok brix workspace import requirements.txt /Shared/env/requirements.txt
build_wheel thecli 1.0 'import sys
def main():
    import thepkg2, thepkg3, thepkg4
    print(thepkg2.hello(), "|", thepkg3.WHO, "|", thepkg4.WHO, "|", sys.argv[1:])' '[project.scripts]
thecli-run = "thecli:main"'
expect_ok brix fs cp dist/thecli-1.0-py3-none-any.whl /Volumes/main/default/libs/thecli-1.0-py3-none-any.whl
create_job '{"name": "wheel task", "tasks": [{"task_key": "w",
  "python_wheel_task": {"package_name": "thecli", "entry_point": "thecli-run", "parameters": ["--day", "2026-11-21"]},
  "libraries": [{"whl": "/Volumes/main/default/libs/thecli-1.0-py3-none-any.whl"},
                {"pypi": {"package": "thepkg2==2.0", "repo": "'"$REPO"'"}},
                {"requirements": "/Workspace/Shared/env/requirements.txt"},
                {"whl": "dbfs:/env/wheels/thepkg4-4.0-py3-none-any.whl"}]}]}'
expect_exit 0 brix jobs run-now "$JOB"
assert_eq "thepkg2 from the index | thepkg3 from requirements.txt | thepkg4 from dbfs:/ | ['--day', '2026-11-21']" "$OUT" "the wheel task"

# ---------------------------------------------------------------------------------------------
step "environments[].spec.dependencies with environment_key; two runs at once build it once"
build_wheel thepkg5 5.0 'WHO = "thepkg5 from the environment spec"'
expect_ok brix fs cp dist/thepkg5-5.0-py3-none-any.whl /Volumes/main/default/libs/thepkg5-5.0-py3-none-any.whl
printf 'import thepkg5\nprint(thepkg5.WHO)\n' >env5.py
expect_ok brix workspace import env5.py /Shared/env/env5.py
create_job '{"name": "serverless style", "max_concurrent_runs": 2,
  "environments": [{"environment_key": "default", "spec": {"client": "1", "dependencies": ["/Volumes/main/default/libs/thepkg5-5.0-py3-none-any.whl"]}}],
  "tasks": [{"task_key": "e", "environment_key": "default", "spark_python_task": {"python_file": "/Shared/env/env5.py"}}]}'
expect_ok brix jobs run-now "$JOB" --no-wait -o json
RUN_A=$(jv "$OUT_FILE" 'd["run_id"]')
expect_ok brix jobs run-now "$JOB" --no-wait -o json
RUN_B=$(jv "$OUT_FILE" 'd["run_id"]')
wait_done "$RUN_A" 300
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS"'
wait_done "$RUN_B" 300
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS"'
read -r ID_A REUSED_A <<<"$(environment_of "$RUN_A" e)"
read -r ID_B REUSED_B <<<"$(environment_of "$RUN_B" e)"
assert_eq "$ID_A" "$ID_B" "both runs' environment"
assert_eq "False True" "$(printf '%s\n' "$REUSED_A" "$REUSED_B" | sort | tr '\n' ' ' | sed 's/ $//')" "one run built it, the other reused it"
assert_eq 1 "$(builds "$ID_A")" "environments built for the spec"
expect_ok brix runs get-output --run-id "$(task_run e)"
assert_json "$OUT_FILE" 'd["logs"] == "thepkg5 from the environment spec\n"'

# ---------------------------------------------------------------------------------------------
step "a cluster's spark_conf (spark.master too) and spark_env_vars reach the task and the SparkSession builder"
# a fake pyspark whose pyspark.sql records what the builder was given
FAKE=$E2E_TMP/src/pyspark
mkdir -p "$FAKE/pyspark/sql"
printf '__version__ = "0.0.1-fake"\n' >"$FAKE/pyspark/__init__.py"
printf '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "pyspark"\nversion = "0.0.1"\n' >"$FAKE/pyproject.toml"
cat >"$FAKE/pyspark/sql/__init__.py" <<'EOF'
class _Builder:
    def __init__(self):
        self.settings = {}
    def master(self, m):
        self.settings["master"] = m
        return self
    def appName(self, n):
        self.settings["app"] = n
        return self
    def config(self, key, value):
        self.settings[key] = value
        return self
    def getOrCreate(self):
        return SparkSession(dict(self.settings))
class SparkSession:
    builder = _Builder()
    def __init__(self, settings):
        self.settings = settings
EOF
wheel_from "$FAKE"
expect_ok brix fs cp dist/pyspark-0.0.1-py3-none-any.whl /Volumes/main/default/libs/pyspark-0.0.1-py3-none-any.whl
cat >sparknb.py <<'EOF'
# Databricks notebook source
import os
print(sorted(spark.settings.items()))
print(os.environ["PARITY_VAR"])
EOF
expect_ok brix workspace import sparknb.py /Shared/env/sparknb -l PYTHON
create_job '{"name": "spark conf",
  "job_clusters": [{"job_cluster_key": "c", "new_cluster": {"spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2,
     "spark_conf": {"spark.master": "spark://127.0.0.1:7077", "spark.sql.shuffle.partitions": "7"},
     "spark_env_vars": {"PARITY_VAR": "from spark_env_vars"}}}],
  "tasks": [{"task_key": "s", "job_cluster_key": "c", "notebook_task": {"notebook_path": "/Shared/env/sparknb"},
             "libraries": [{"whl": "/Volumes/main/default/libs/pyspark-0.0.1-py3-none-any.whl"}]}]}'
expect_exit 0 brix jobs run-now "$JOB"
assert_eq "[('app', 'brix s'), ('master', 'spark://127.0.0.1:7077'), ('spark.sql.shuffle.partitions', '7')]
from spark_env_vars" "$OUT" "the builder's settings"

# ---------------------------------------------------------------------------------------------
step "%pip in a notebook: its own environment, importable at once; restartPython goes on with the next cell"
cat >pipnb.py <<EOF
# Databricks notebook source
dbutils.widgets.text("who", "the widget's default")
before_restart = 1

# COMMAND ----------

# MAGIC %pip install thepkg2==2.0 --index-url $REPO

# COMMAND ----------

import os, sys, thepkg2
print(thepkg2.hello(), "| own environment:", sys.executable.startswith(os.environ["BRIX_ROOT"] + "/environments/"))

# COMMAND ----------

dbutils.library.restartPython()
print("never printed: the process restarted")

# COMMAND ----------

import thepkg2
print("after restart:", "before_restart" in globals(), thepkg2.hello(), "|", dbutils.widgets.get("who"))

# COMMAND ----------

# MAGIC %sh python -c "import thepkg2; print('%sh python sees', thepkg2.__name__)"
EOF
expect_ok brix workspace import pipnb.py /Shared/env/pipnb -l PYTHON
create_job '{"name": "pip", "tasks": [{"task_key": "p", "notebook_task": {"notebook_path": "/Shared/env/pipnb"}}]}'
expect_exit 0 brix jobs run-now "$JOB"
assert_eq "thepkg2 from the index | own environment: True
after restart: False thepkg2 from the index | the widget's default
%sh python sees thepkg2" "$OUT" "the %pip notebook"
read -r PIP_ID PIP_REUSED <<<"$(environment_of "$(last_run "$JOB")" p)"
assert_eq False "$PIP_REUSED" "the first %pip built the notebook's environment"
expect_exit 0 brix jobs run-now "$JOB"
assert_eq "$PIP_ID True" "$(environment_of "$(last_run "$JOB")" p)" "the second run reused it"
run python3 -c "import thepkg2"
[[ $RC != 0 ]] || fail "the host's python3 imports thepkg2"
ok

# ---------------------------------------------------------------------------------------------
step "a task on an existing cluster gets the libraries installed on the cluster"
build_wheel clusterpkg 1.0 'VALUE = "from the cluster"'
expect_ok brix fs cp dist/clusterpkg-1.0-py3-none-any.whl /Volumes/main/default/libs/clusterpkg-1.0-py3-none-any.whl
printf 'import clusterpkg\nprint(clusterpkg.VALUE)\n' >use_cluster.py
expect_ok brix workspace import use_cluster.py /Shared/env/use_cluster.py
expect_ok brix clusters create --json '{"cluster_name": "with-libs", "spark_version": "15.4.x-scala2.12", "num_workers": 0}'
LIB_CLUSTER=$(jv "$OUT_FILE" 'd["cluster_id"]')
expect_ok brix libraries install --json "{\"cluster_id\": \"$LIB_CLUSTER\", \"libraries\": [{\"whl\": \"/Volumes/main/default/libs/clusterpkg-1.0-py3-none-any.whl\"}]}"
expect_exit 0 brix jobs submit --json "{\"run_name\": \"on-cluster\", \"tasks\": [{\"task_key\": \"t\", \"existing_cluster_id\": \"$LIB_CLUSTER\", \"spark_python_task\": {\"python_file\": \"/Shared/env/use_cluster.py\"}}]}"
assert_out_bytes $'from the cluster\n'

step "what cannot be installed fails the task and says why"
submit_failing() {
    expect_exit 5 brix jobs submit --json "{\"run_name\": \"bad\", \"tasks\": [{\"task_key\": \"t\", $1}]}"
    get_run "$(sqlite3 "$ROOT/brix.db" "SELECT max(run_id) FROM runs WHERE parent_run_id IS NULL AND run_name = 'bad'")"
}
submit_failing '"spark_python_task": {"python_file": "/Shared/env/use.py"}, "libraries": [{"pypi": {"package": "no-such-package-here", "repo": "'"$REPO"'"}}]'
assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["state"]["state_message"] == "Library installation failed for pypi: no-such-package-here: pip exited with status 1"'
expect_ok brix runs get-output --run-id "$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')"
assert_json "$OUT_FILE" '"No matching distribution found for no-such-package-here" in d["error_trace"]'
submit_failing '"spark_python_task": {"python_file": "/Shared/env/use.py"}, "libraries": [{"maven": {"coordinates": "org.example:lib:1.0"}}]'
assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["state"]["state_message"] == "Library installation failed: a maven library cannot be installed by the brix local engine (it installs whl, pypi, requirements and jar libraries)"'
submit_failing '"spark_python_task": {"python_file": "/Shared/env/use.py"}, "environment_key": "nope"'
assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["state"]["state_message"] == "environment_key nope is not defined in the job'"'"'s environments"'

finish
