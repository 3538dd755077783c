#!/usr/bin/env bash
# The same code, the same result: what a task sees on the local engine is what it would see on a
# cluster. /dbfs, /Workspace and /Volumes are real paths for every process of a task (%sh, a
# subprocess, sqlite3), in the task's own mount namespace; where that is refused (forced here with
# BRIX_TASK_FILE_SYSTEM=python_mapping) the Python-level mapping runs and says so. The working
# folder is the code's folder (config.json next to a script, a repo's root on sys.path); tasks
# start with clean signals (`timeout` works, a SIGTERM handler runs on cancel, also through
# `brix serve`); UTF-8 BOM and non-UTF-8 notebooks; 20 MB of output; a deleted notebook.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root
export GIT_AUTHOR_NAME=brix GIT_AUTHOR_EMAIL=brix@example.com GIT_COMMITTER_NAME=brix GIT_COMMITTER_EMAIL=brix@example.com
: >"$E2E_TMP/gitconfig"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$E2E_TMP/gitconfig

# submit EXIT TASK-JSON: a one-task `jobs submit` (task_key "t", waited for) that must exit EXIT;
# then the run is in $E2E_TMP/run.json and the task's get-output in $E2E_TMP/output.json.
submit() {
    local want=$1 task=$2
    expect_exit "$want" brix jobs submit --json "{\"run_name\": \"parity\", \"tasks\": [{\"task_key\": \"t\", $task}]}"
    SUBMIT_OUT=$OUT
    SUBMIT_ERR=$ERR
    get_run "$(sqlite3 "$ROOT/brix.db" "SELECT max(run_id) FROM runs WHERE parent_run_id IS NULL AND run_name = 'parity'")"
    TASK_RUN=$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')
    expect_ok brix runs get-output --run-id "$TASK_RUN"
    cp "$OUT_FILE" "$E2E_TMP/output.json"
}
logs() { jv "$E2E_TMP/output.json" 'd["logs"]'; }
nb_task() { echo "\"notebook_task\": {\"notebook_path\": \"$1\"}"; }
py_task() { echo "\"spark_python_task\": {\"python_file\": \"$1\"}"; }

# What this machine allows, asked with util-linux rather than brix: root may unshare a mount
# namespace; anyone may where unprivileged user namespaces work.
if { [[ $(id -u) == 0 ]] && unshare --mount true 2>/dev/null; } || unshare --user --map-root-user --mount true 2>/dev/null; then
    EXPECTED_FS=mount_namespace
else
    EXPECTED_FS=python_mapping
fi
echo "this machine: tasks get $EXPECTED_FS"

expect_ok brix workspace mkdirs /Shared/parity
printf '{"source": "config next to the code"}\n' >config.json
expect_ok brix workspace import config.json /Shared/parity/config.json
expect_ok brix fs put /Volumes/main/default/vol/v.txt "in a volume"

# ---------------------------------------------------------------------------------------------
step "%sh, a subprocess and sqlite3 see what dbutils.fs.put wrote under /dbfs"
cat >fsnb.py <<'EOF'
# Databricks notebook source
dbutils.fs.put("dbfs:/parity/put.txt", "written by dbutils.fs.put", True)

# COMMAND ----------

# MAGIC %sh
# MAGIC echo "sh: $(cat /dbfs/parity/put.txt)"
# MAGIC echo "sh pwd: $(pwd)"
# MAGIC echo "sh volume: $(cat /Volumes/main/default/vol/v.txt)"
# MAGIC echo "sh config: $(cat config.json)"

# COMMAND ----------

import os, sqlite3, subprocess, sys
print("subprocess:", subprocess.run(["cat", "/dbfs/parity/put.txt"], capture_output=True, text=True).stdout)
con = sqlite3.connect("/dbfs/parity/rows.db")
con.execute("CREATE TABLE t (v TEXT)")
con.execute("INSERT INTO t VALUES ('written through sqlite3')")
con.commit()
con.close()
print("cwd:", os.getcwd())
print("notebook folder on sys.path:", "/Workspace/Shared/parity" in sys.path)
print("file system:", os.environ["BRIX_FILE_SYSTEM"])
EOF
expect_ok brix workspace import fsnb.py /Shared/parity/fsnb -l PYTHON
if [[ $EXPECTED_FS == mount_namespace ]]; then
    submit 0 "$(nb_task /Shared/parity/fsnb)"
    assert_eq 'Wrote 25 bytes.
True
sh: written by dbutils.fs.put
sh pwd: /Workspace/Shared/parity
sh volume: in a volume
sh config: {"source": "config next to the code"}
subprocess: written by dbutils.fs.put
cwd: /Workspace/Shared/parity
notebook folder on sys.path: True
file system: mount_namespace' "$SUBMIT_OUT" "notebook output"
    assert_eq "written through sqlite3" "$(sqlite3 "$ROOT/dbfs/parity/rows.db" 'SELECT v FROM t')" "the SQLite file on the host"
    assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["brix_metrics"]["file_system"] == "mount_namespace" and "file_system_reason" not in d["tasks"][0]["brix_metrics"]'
    assert_not_contains "$SUBMIT_ERR" "mount namespace"
    # nothing appeared on the host's own /dbfs, /Workspace or /Volumes
    assert_no_file /dbfs/parity
    assert_no_file /Workspace/Shared/parity
    assert_no_file /Volumes/main/default/vol/v.txt
else
    skip "this machine refuses mount namespaces: the fallback below is what runs"
fi

# ---------------------------------------------------------------------------------------------
step "where namespaces are refused: the Python-level mapping, said once, shown in runs get"
cat >fallback.py <<'EOF'
import os, subprocess
print("python open:", open("/dbfs/parity/put.txt").read())
print("cwd is the script's folder:", os.path.samefile(os.getcwd(), "/Workspace/Shared/parity"))
print("config:", open("config.json").read().strip())
print("file system:", os.environ["BRIX_FILE_SYSTEM"])
print("cat sees it:", subprocess.run(["cat", "/dbfs/parity/put.txt"], capture_output=True).returncode == 0)
EOF
expect_ok brix workspace import fallback.py /Shared/parity/fallback.py
expect_ok brix fs put dbfs:/parity/put.txt "written by dbutils.fs.put" --overwrite
create_job '{"name": "fallback", "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Shared/parity/fallback.py"}},
                                            {"task_key": "b", "spark_python_task": {"python_file": "/Shared/parity/fallback.py"}}]}'
with_task_env BRIX_TASK_FILE_SYSTEM=python_mapping expect_exit 0 brix jobs run-now "$JOB"
assert_contains "$OUT" 'python open: written by dbutils.fs.put
cwd is the script'"'"'s folder: True
config: {"source": "config next to the code"}
file system: python_mapping'
[[ -e /dbfs ]] || assert_contains "$OUT" "cat sees it: False"
NOTE="Note: tasks ran without a mount namespace of their own (BRIX_TASK_FILE_SYSTEM=python_mapping): /dbfs, /Workspace and /Volumes reached them through Python's file functions only"
assert_contains "$ERR" "$NOTE"
assert_eq 1 "$(grep -c "mount namespace" "$ERR_FILE")" "the note is said once for the run's two tasks"
expect_ok brix runs list --job-id "$JOB" --limit 1 -o json
get_run "$(jv "$OUT_FILE" 'd[0]["run_id"]')"
assert_json "$E2E_TMP/run.json" 'all(t["brix_metrics"]["file_system"] == "python_mapping" and t["brix_metrics"]["file_system_reason"] == "BRIX_TASK_FILE_SYSTEM=python_mapping" for t in d["tasks"])'

# ---------------------------------------------------------------------------------------------
step "working folder: a script reads config.json next to it and imports its neighbour"
expect_ok brix workspace mkdirs /Shared/parity/etl
printf 'NAME = "helper next to the script"\n' >helpers.py
expect_ok brix workspace import helpers.py /Shared/parity/etl/helpers.py
printf '{"rows": 3}\n' >etl_config.json
expect_ok brix workspace import etl_config.json /Shared/parity/etl/config.json
cat >job.py <<'EOF'
import json, os, sys
from helpers import NAME
print(json.load(open("config.json"))["rows"], NAME, os.path.basename(os.getcwd()))
EOF
expect_ok brix workspace import job.py /Shared/parity/etl/job.py
submit 0 "$(py_task /Shared/parity/etl/job.py)"
assert_eq "3 helper next to the script etl" "$SUBMIT_OUT" "script output"

step "working folder in a Git folder: the repo's root is on sys.path"
ORIGIN=$E2E_TMP/origin.git
SRC=$E2E_TMP/src
git init -q --bare -b main "$ORIGIN" && git init -q -b main "$SRC" && git -C "$SRC" remote add origin "$ORIGIN" || fail "git init"
mkdir -p "$SRC/proj_util" "$SRC/jobs"
printf 'WHERE = "the repo root"\n' >"$SRC/proj_util/__init__.py"
printf 'import json, proj_util\nprint(proj_util.WHERE, json.load(open("settings.json"))["env"])\n' >"$SRC/jobs/run.py"
printf '{"env": "from settings.json"}\n' >"$SRC/jobs/settings.json"
git -C "$SRC" add -A && git -C "$SRC" commit -qm v1 && git -C "$SRC" push -q origin HEAD:refs/heads/main || fail "git push"
expect_ok brix repos create --url "file://$ORIGIN" --provider gitHub --path /Repos/ci/proj
submit 0 "$(py_task /Repos/ci/proj/jobs/run.py)"
assert_eq "the repo root from settings.json" "$SUBMIT_OUT" "script in a Git folder"

# ---------------------------------------------------------------------------------------------
step "signals: a task starts with none blocked or ignored; timeout(1) works; a SIGTERM handler runs on cancel"
cat >signals.py <<'EOF'
import subprocess
print(subprocess.run("timeout --preserve-status 1 sleep 30; echo status $?", shell=True, capture_output=True, text=True).stdout.strip())
print(subprocess.run("grep -E '^Sig(Blk|Ign)' /proc/self/status", shell=True, capture_output=True, text=True).stdout.split())
EOF
expect_ok brix workspace import signals.py /Shared/parity/signals.py
submit 0 "$(py_task /Shared/parity/signals.py)"
# 143 = killed by the SIGTERM of timeout; a blocked SIGTERM would let sleep finish (status 0)
assert_eq "status 143
['SigBlk:', '0000000000000000', 'SigIgn:', '0000000000000000']" "$SUBMIT_OUT" "signals in the task"

cat >term.py <<'EOF'
import signal, sys, time
def on_term(signum, frame):
    with open("/dbfs/parity/term.txt", "w") as f:
        f.write("handled SIGTERM")
    sys.exit(0)
signal.signal(signal.SIGTERM, on_term)
print("ready", flush=True)
time.sleep(120)
EOF
expect_ok brix workspace import term.py /Shared/parity/term.py
expect_ok brix runs submit --no-wait --json '{"run_name": "term", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/parity/term.py"}}]}'
TERM_RUN=$(jv "$OUT_FILE" 'd["run_id"]')
deadline=$((SECONDS + 60))
while :; do
    get_run "$TERM_RUN"
    task=$(jv "$E2E_TMP/run.json" '[t.get("run_id") for t in d.get("tasks", [])][0]')
    if [[ $(jv "$E2E_TMP/run.json" 'd["tasks"][0]["state"]["life_cycle_state"]') == RUNNING ]]; then
        run brix runs get-output --run-id "$task"
        [[ $OUT == *'"logs": "ready\n"'* ]] && break
    fi
    ((SECONDS < deadline)) || fail "the task never said ready"
    sleep 0.1
done
expect_ok brix runs cancel --run-id "$TERM_RUN"
wait_done "$TERM_RUN" 30
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "CANCELED"'
expect_ok brix fs cat dbfs:/parity/term.txt
assert_out_bytes "handled SIGTERM"

# ---------------------------------------------------------------------------------------------
step "a UTF-8 byte order mark: dropped from notebooks imported with -l PYTHON and AUTO"
printf '\xef\xbb\xbf# Databricks notebook source\nprint("bom notebook ran")\n' >bom_nb.py
expect_ok brix workspace import bom_nb.py /Shared/parity/bom_source -l PYTHON
expect_ok brix workspace export /Shared/parity/bom_source
assert_out_bytes $'# Databricks notebook source\nprint("bom notebook ran")\n'
expect_ok brix workspace import bom_nb.py /Shared/parity/bom_auto.py -f AUTO
expect_ok brix workspace get-status /Shared/parity/bom_auto -o json
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "PYTHON"'
expect_ok brix workspace export /Shared/parity/bom_auto
assert_out_bytes $'# Databricks notebook source\nprint("bom notebook ran")\n'
printf '\xef\xbb\xbfprint("bom script as a notebook")\n' >bom_plain.py
expect_ok brix workspace import bom_plain.py /Shared/parity/bom_plain -l PYTHON
expect_ok brix workspace export /Shared/parity/bom_plain
assert_out_bytes $'# Databricks notebook source\nprint("bom script as a notebook")\n'
for nb in bom_source bom_auto bom_plain; do
    submit 0 "$(nb_task /Shared/parity/$nb)"
done
assert_eq "bom script as a notebook" "$SUBMIT_OUT" "the last BOM notebook ran"

# ---------------------------------------------------------------------------------------------
step "bytes that are not UTF-8: a notebook runs with U+FFFD for them; a task's error stays readable"
printf '# Databricks notebook source\nprint("caf\xe9 au lait")\n' >latin1.py
expect_ok brix workspace import latin1.py /Shared/parity/latin1 -l PYTHON
submit 0 "$(nb_task /Shared/parity/latin1)"
assert_eq $'caf\xef\xbf\xbd au lait' "$SUBMIT_OUT" "notebook output"
printf 'import sys\nsys.stderr.buffer.write(b"Error: bad byte \\xff here\\n")\nsys.exit(1)\n' >badbytes.py
expect_ok brix workspace import badbytes.py /Shared/parity/badbytes.py
submit 5 "$(py_task /Shared/parity/badbytes.py)"
assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["state"]["state_message"] == "Error: bad byte \ufffd here" and d["state"]["state_message"].startswith("Task t failed")'

# ---------------------------------------------------------------------------------------------
step "20 MB of output: run-now says it was cut and where the whole log is"
printf 'import sys\nsys.stdout.write("FIRST\\n" + ("y" * 1023 + "\\n") * 20 * 1024 + "LAST\\n")\n' >loud.py
expect_ok brix workspace import loud.py /Shared/parity/loud.py
create_job '{"name": "loud", "tasks": [{"task_key": "loud", "spark_python_task": {"python_file": "/Shared/parity/loud.py"}}]}'
expect_exit 0 brix jobs run-now "$JOB"
RUN_NOW_ERR=$ERR
assert_eq $((5 * 1024 * 1024)) "$(wc -c <"$OUT_FILE")" "stdout: the last 5 MB"
expect_ok brix runs list --job-id "$JOB" --limit 1 -o json
get_run "$(jv "$OUT_FILE" 'd[0]["run_id"]')"
LOG=$ROOT/runs/$(jv "$E2E_TMP/run.json" 'd["run_id"]')/$(task_run loud)/output.log
assert_contains "$RUN_NOW_ERR" "Warning: the output of task loud was cut to its last 5 MB; the full log is $LOG"
assert_eq $((20 * 1024 * 1024 + 11)) "$(wc -c <"$LOG")" "the whole log on disk"
assert_eq FIRST "$(head -1 "$LOG")" "the log's first line"
expect_ok brix runs get-output --run-id "$(task_run loud)"
assert_json "$OUT_FILE" 'd["logs_truncated"] is True and d["logs"].endswith("LAST\n")'

# ---------------------------------------------------------------------------------------------
step "a job whose notebook was deleted says it does not exist"
printf '# Databricks notebook source\nprint(1)\n' >gone.py
expect_ok brix workspace import gone.py /Shared/parity/gone -l PYTHON
create_job '{"name": "gone", "tasks": [{"task_key": "g", "notebook_task": {"notebook_path": "/Shared/parity/gone"}}]}'
expect_ok brix workspace delete /Shared/parity/gone
expect_exit 5 brix jobs run-now "$JOB"
assert_contains "$ERR" "Task g FAILED: Notebook /Shared/parity/gone does not exist"
expect_ok brix runs list --job-id "$JOB" --limit 1 -o json
get_run "$(jv "$OUT_FILE" 'd[0]["run_id"]')"
assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["state"]["state_message"] == "Notebook /Shared/parity/gone does not exist"'

finish
