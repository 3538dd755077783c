#!/usr/bin/env bash
# What task code sees: /dbfs, /Volumes and /Workspace paths (open, os.*, sys.path imports),
# dbutils.fs, widgets, notebook magics (%md, %sh, %sh -e, %fs, %scala) and where a failing cell
# is reported, dbutils.notebook.run, spark with and without (a fake) pyspark, %sql and _sqldf,
# python_wheel_task with a fake installed package, run_job_task, spark_jar_task without
# spark-submit, and logs over 5 MB.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

# submit EXIT TASK-JSON [brix options...]: a one-task `jobs submit` (task_key "t") that must exit
# EXIT; then the run is in $E2E_TMP/run.json and the task's get-output in $E2E_TMP/output.json.
submit() {
    local want=$1 task=$2
    shift 2
    expect_exit "$want" brix jobs submit --json "{\"run_name\": \"rt\", \"tasks\": [{\"task_key\": \"t\", $task}]}" "$@"
    cp "$OUT_FILE" "$E2E_TMP/submit.out"
    cp "$ERR_FILE" "$E2E_TMP/submit.err"
    SUBMIT_OUT=$OUT
    SUBMIT_ERR=$ERR
    local run
    run=$(sqlite3 "$ROOT/brix.db" "SELECT max(run_id) FROM runs WHERE parent_run_id IS NULL AND run_name = 'rt'")
    get_run "$run"
    expect_ok brix runs get-output --run-id "$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')"
    cp "$OUT_FILE" "$E2E_TMP/output.json"
}

# notebook NAME: imports ./NAME.py as the notebook /Shared/rt/NAME
notebook() { expect_ok brix workspace import "$1.py" "/Shared/rt/$1" -l PYTHON --overwrite; }

nb_task() { echo "\"notebook_task\": {\"notebook_path\": \"/Shared/rt/$1\"${2:+, \"base_parameters\": $2}}"; }
py_task() { echo "\"spark_python_task\": {\"python_file\": \"$1\"${2:+, \"parameters\": $2}}"; }

expect_ok brix workspace mkdirs /Shared/rt

# ---------------------------------------------------------------------------------------------
step "/dbfs, /Volumes and /Workspace paths in a script"
printf 'line one\nline two\n' >data.txt
expect_ok brix workspace import data.txt /Shared/rt/data.txt
printf 'WHO = "workspace module"\n' >wsmod.py
expect_ok brix workspace import wsmod.py /Shared/rt/wsmod.py
cat >paths.py <<'EOF'
import os, shutil, sys
from pathlib import Path
os.makedirs("/dbfs/rt/a/b", exist_ok=True)
with open("/dbfs/rt/a/b/f.txt", "w") as f:
    f.write("hello dbfs")
print("exists", os.path.exists("/dbfs/rt/a/b/f.txt"), os.path.isdir("/dbfs/rt/a"), os.path.exists("/dbfs/rt/none"))
print("listdir", sorted(os.listdir("/dbfs/rt/a")), sorted(os.listdir("/dbfs/rt/a/b")))
print("pathlib", Path("/dbfs/rt/a/b/f.txt").read_text(), Path("/dbfs/rt/a/b/f.txt").stat().st_size)
shutil.copy("/dbfs/rt/a/b/f.txt", "/dbfs/rt/copy.txt")
os.rename("/dbfs/rt/copy.txt", "/dbfs/rt/renamed.txt")
os.makedirs("/dbfs/lib", exist_ok=True)
with open("/dbfs/lib/dbfsmod.py", "w") as f:
    f.write("VALUE = 'imported from /dbfs/lib'\n")
sys.path.append("/dbfs/lib")
import dbfsmod
print(dbfsmod.VALUE)
print("workspace", open("/Workspace/Shared/rt/data.txt").read().splitlines(), os.path.isfile("/Workspace/Shared/rt/paths.py"))
sys.path.append("/Workspace/Shared/rt")
import wsmod
print(wsmod.WHO)
os.makedirs("/Volumes/main/default/vol/in", exist_ok=True)
Path("/Volumes/main/default/vol/in/v.txt").write_text("into a volume")
print("cwd is the script's folder", os.path.samefile(os.getcwd(), "/Workspace/Shared/rt"))
# outside the virtual folders nothing is translated
print("real", os.path.exists("/dbfsx"), os.path.exists("/dbfs/../etc/hostname") == os.path.exists("/etc/hostname"))
EOF
expect_ok brix workspace import paths.py /Shared/rt/paths.py
submit 0 "$(py_task /Shared/rt/paths.py)"
assert_eq "exists True True False
listdir ['b'] ['f.txt']
pathlib hello dbfs 10
imported from /dbfs/lib
workspace ['line one', 'line two'] True
workspace module
cwd is the script's folder True
real False True" "$SUBMIT_OUT" "paths script output"
expect_ok brix fs cat dbfs:/rt/a/b/f.txt
assert_out_bytes "hello dbfs"
expect_ok brix fs ls dbfs:/rt
assert_eq $'a\nrenamed.txt' "$OUT" "dbfs:/rt"
expect_ok brix fs cat /Volumes/main/default/vol/in/v.txt
assert_out_bytes "into a volume"
assert_no_file /dbfs/rt
assert_no_file /Volumes/main
# a python_file on DBFS runs too
expect_ok brix fs cp paths.py dbfs:/code/paths.py
submit 0 "$(py_task dbfs:/code/paths.py)"
assert_contains "$SUBMIT_OUT" "imported from /dbfs/lib"

# ---------------------------------------------------------------------------------------------
step "dbutils.fs: ls, cp, mv, rm, mkdirs, put, head"
cat >fsops.py <<'EOF'
import os
from databricks.sdk.runtime import dbutils
fs = dbutils.fs
print(fs.mkdirs("dbfs:/u/dir"), fs.mkdirs("/u/dir"))
print(fs.put("/u/dir/a.txt", "alpha\n"))
try:
    fs.put("dbfs:/u/dir/a.txt", "again")
except FileExistsError as e:
    print("put refused:", e)
print(fs.put("dbfs:/u/dir/a.txt", "alpha 2\n", overwrite=True))
print(repr(fs.head("dbfs:/u/dir/a.txt")))
print(repr(fs.head("/u/dir/a.txt", 3)))
print([(f.path, f.name, f.size) for f in fs.ls("dbfs:/u")])
print([(f.name, f.isDir(), f.isFile()) for f in fs.ls("dbfs:/u/dir/a.txt")])
print(fs.cp("dbfs:/u/dir/a.txt", "dbfs:/u/copy.txt"))
try:
    fs.cp("dbfs:/u/dir", "dbfs:/u/dir2")
except IsADirectoryError as e:
    print("cp refused:", e)
print(fs.cp("dbfs:/u/dir", "dbfs:/u/dir2", recurse=True), sorted(f.name for f in fs.ls("/u/dir2")))
print(fs.cp("dbfs:/u/dir/a.txt", "file:" + os.getcwd() + "/local.txt"), open("local.txt").read().strip())
print(fs.cp("file:" + os.getcwd() + "/local.txt", "dbfs:/u/from_local.txt"))
print(fs.mv("dbfs:/u/copy.txt", "dbfs:/u/moved.txt"), os.path.exists("/dbfs/u/copy.txt"))
try:
    fs.rm("dbfs:/u/dir2")
except OSError as e:
    print("rm refused:", e)
print(fs.rm("dbfs:/u/dir2", True), fs.rm("dbfs:/u/nothing"))
try:
    fs.ls("dbfs:/u/nothing")
except FileNotFoundError as e:
    print("ls refused:", e)
try:
    fs.ls("s3://bucket/x")
except ValueError as e:
    print("scheme refused:", e)
print(fs.put("/Volumes/main/default/vol/u.txt", "vol via dbutils"), fs.head("dbfs:/Volumes/main/default/vol/u.txt"))
EOF
expect_ok brix workspace import fsops.py /Shared/rt/fsops.py
submit 0 "$(py_task /Shared/rt/fsops.py)"
assert_eq "True True
Wrote 6 bytes.
True
put refused: File already exists: dbfs:/u/dir/a.txt (pass overwrite=True to replace it)
Wrote 8 bytes.
True
'alpha 2\n'
[Truncated to first 3 bytes]
'alp'
[('dbfs:/u/dir/', 'dir/', 0)]
[('a.txt', False, True)]
True
cp refused: dbfs:/u/dir is a directory: pass recurse=True to copy it
True ['a.txt']
True alpha 2
True
True False
rm refused: [Errno 39] dbfs:/u/dir2 is a non-empty directory: pass recurse=True to delete it
True False
ls refused: File dbfs:/u/nothing does not exist.
scheme refused: unsupported file system scheme 's3:' in 's3://bucket/x': the brix local engine supports dbfs:/, /Volumes/... and file:/ paths
Wrote 15 bytes.
True vol via dbutils" "$SUBMIT_OUT" "dbutils.fs output"
expect_ok brix fs ls dbfs:/u
assert_eq $'dir\nfrom_local.txt\nmoved.txt' "$OUT" "dbfs:/u after the script"
expect_ok brix fs cat dbfs:/u/moved.txt
assert_out_bytes $'alpha 2\n'
expect_ok brix fs cat /Volumes/main/default/vol/u.txt
assert_out_bytes "vol via dbutils"

# ---------------------------------------------------------------------------------------------
step "widgets: get, getAll, defaults, passed values, errors"
cat >widgets.py <<'EOF'
# Databricks notebook source
dbutils.widgets.text("name", "nobody", "Your name")
dbutils.widgets.dropdown("color", "red", ["red", "green"])
dbutils.widgets.multiselect("tags", "a", ["a", "b"])
print("get", dbutils.widgets.get("name"), dbutils.widgets.get("color"), dbutils.widgets.get("tags"), dbutils.widgets.get("only_passed"))
print("getAll", sorted(dbutils.widgets.getAll().items()))
print("getArgument", getArgument("nope", "fallback"))

# COMMAND ----------

from brix_runtime.dbutils import InputWidgetNotDefined
try:
    dbutils.widgets.get("nope")
except InputWidgetNotDefined as e:
    print("get refused:", e)
for bad in (lambda: dbutils.widgets.dropdown("d", "x", ["a", "b"]), lambda: dbutils.widgets.text("n", 5)):
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)
dbutils.widgets.remove("name")
print("after remove", dbutils.widgets.get("name"))
dbutils.widgets.removeAll()
print("after removeAll", sorted(dbutils.widgets.getAll()))

# COMMAND ----------

dbutils.widgets.get("undefined_widget")
EOF
notebook widgets
submit 5 "$(nb_task widgets '{"name": "ada", "only_passed": "p", "tags": "a,b"}')"
assert_json "$E2E_TMP/output.json" 'd["logs"].split("\n")[:10] == [
 "get ada red a,b p",
 "getAll [(\x27color\x27, \x27red\x27), (\x27name\x27, \x27ada\x27), (\x27only_passed\x27, \x27p\x27), (\x27tags\x27, \x27a,b\x27)]",
 "getArgument fallback",
 "get refused: No input widget named nope is defined",
 "ValueError: default value \x27x\x27 of dropdown widget \x27d\x27 is not one of its choices [\x27a\x27, \x27b\x27]",
 "TypeError: defaultValue of widget \x27n\x27 must be a str, not int",
 "after remove ada",
 "after removeAll [\x27name\x27, \x27only_passed\x27, \x27tags\x27]",
 "Cell 3 (/Shared/rt/widgets, line 28)",
 "Traceback (most recent call last):"]'
assert_json "$E2E_TMP/output.json" 'd["error"] == "InputWidgetNotDefined: No input widget named undefined_widget is defined" and d["error_trace"].startswith("Cell 3 (/Shared/rt/widgets, line 28)\n")'
assert_contains "$SUBMIT_ERR" "Task t FAILED: InputWidgetNotDefined: No input widget named undefined_widget is defined"
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "FAILED" and d["run_type"] == "SUBMIT_RUN"'

# ---------------------------------------------------------------------------------------------
step "notebook magics: %md skipped, %sh, %fs; a failing cell named by number and line"
cat >magics.py <<'EOF'
# Databricks notebook source
# MAGIC %md
# MAGIC # Title
# MAGIC this is markdown, not code: print("never")

# COMMAND ----------

x = 20 + 1
print("python cell", x)

# COMMAND ----------

# MAGIC %sh
# MAGIC echo "sh says $((1 + 2)) in $(basename "$PWD")"
# MAGIC false
# MAGIC echo "without -e a failing line does not stop the cell"

# COMMAND ----------

# MAGIC %fs ls dbfs:/u/dir

# COMMAND ----------

# MAGIC %fs put dbfs:/magic/fs.txt "written by fs"

# COMMAND ----------

x
EOF
notebook magics
submit 0 "$(nb_task magics)"
assert_json "$E2E_TMP/output.json" '(lambda lines: lines[0] == "python cell 21" and lines[1] == "sh says 3 in rt" and lines[2] == "without -e a failing line does not stop the cell" and lines[3].split() == ["path", "name", "size", "modificationTime"] and lines[4].split()[:3] == ["dbfs:/u/dir/a.txt", "a.txt", "8"] and lines[5:] == ["Wrote 13 bytes.", "True", "21", ""])(d["logs"].split("\n"))'
assert_not_contains "$(jv "$E2E_TMP/output.json" 'd["logs"]')" "never"
expect_ok brix fs cat dbfs:/magic/fs.txt
assert_out_bytes "written by fs"

cat >sh_e.py <<'EOF'
# Databricks notebook source
print("before")

# COMMAND ----------

# MAGIC %sh -e
# MAGIC echo "first line runs"
# MAGIC false
# MAGIC echo "never printed"

# COMMAND ----------

print("never reached")
EOF
notebook sh_e
submit 5 "$(nb_task sh_e)"
assert_json "$E2E_TMP/output.json" 'd["error"] == "CellCommandError: %sh command exited with status 1" and d["error_trace"] == "Cell 2 (/Shared/rt/sh_e, line 6)\nCellCommandError: %sh command exited with status 1\n" and d["logs"].startswith("before\nfirst line runs\n") and "never" not in d["logs"]'

cat >scala.py <<'EOF'
# Databricks notebook source
print("python first")

# COMMAND ----------

# MAGIC %scala
# MAGIC val x = 1
EOF
notebook scala
submit 5 "$(nb_task scala)"
assert_json "$E2E_TMP/output.json" 'd["error"] == "UnsupportedMagicError: %scala cells cannot run on the brix local engine (it runs Python, %sql (with pyspark), %sh, %fs, %pip and %md)" and d["error_trace"].startswith("Cell 2 (/Shared/rt/scala, line 7)")'

# an error deep in a function: the cell and the notebook line of the raise; %run cells keep their own file
cat >inc.py <<'EOF'
# Databricks notebook source
def fail_here(v):
    return 1 / v
EOF
cat >failing.py <<'EOF'
# Databricks notebook source
# MAGIC %run ./inc

# COMMAND ----------

total = 0
for i in range(3):
    total += i

# COMMAND ----------

def compute(v):
    return v["missing"]

print("about to fail")
compute({})
EOF
notebook inc
notebook failing
submit 5 "$(nb_task failing)"
assert_json "$E2E_TMP/output.json" 'd["error"] == "KeyError: \x27missing\x27" and d["error_trace"].startswith("Cell 3 (/Shared/rt/failing, line 13)\nTraceback (most recent call last):\n") and "line 16, in <module>" in d["error_trace"] and "return v[\"missing\"]" in d["error_trace"] and "notebook.py" not in d["error_trace"]'
cat >failing2.py <<'EOF'
# Databricks notebook source
# MAGIC %run ./inc

# COMMAND ----------

fail_here(0)
EOF
notebook failing2
submit 5 "$(nb_task failing2)"
assert_json "$E2E_TMP/output.json" 'd["error"] == "ZeroDivisionError: division by zero" and d["error_trace"].startswith("Cell 2 (/Shared/rt/failing2, line 6)") and "File \"/Shared/rt/inc\", line 3, in fail_here" in d["error_trace"]'
cat >syntax.py <<'EOF'
# Databricks notebook source
print("ok")

# COMMAND ----------

x = (1,
y = 2
EOF
notebook syntax
submit 5 "$(nb_task syntax)"
assert_json "$E2E_TMP/output.json" 'd["error"].startswith("SyntaxError: ") and d["error_trace"].startswith("Cell 2 (/Shared/rt/syntax, line 6)") and d["logs"].startswith("ok\n")'

# ---------------------------------------------------------------------------------------------
step "dbutils.notebook.run: a child notebook's exit value, its failure, relative paths"
cat >child.py <<'EOF'
# Databricks notebook source
dbutils.widgets.text("n", "1")
n = int(dbutils.widgets.get("n"))
if n < 0:
    raise ValueError("negative n")
dbutils.notebook.exit(str(n * 2))
EOF
cat >parent.py <<'EOF'
# Databricks notebook source
doubled = dbutils.notebook.run("./child", 60, {"n": "21"})
print("child returned", doubled, type(doubled).__name__)
absolute = dbutils.notebook.run("/Shared/rt/child", 60)
print("default", absolute)
from brix_runtime.dbutils import WorkflowException
try:
    dbutils.notebook.run("child", 60, {"n": "-1"})
except WorkflowException as e:
    print("child failed:", str(e).splitlines()[-1])
dbutils.notebook.exit("parent:" + doubled)
EOF
notebook child
notebook parent
submit 0 "$(nb_task parent)"
assert_eq "parent:42" "$SUBMIT_OUT" "waited-for output is the exit value"
assert_json "$E2E_TMP/output.json" 'd["notebook_output"]["result"] == "parent:42" and d["logs"] == "child returned 42 str\ndefault 2\nchild failed: ValueError: negative n\n"'
# the children ran as their own one-time runs
expect_ok brix runs list -o json --limit 5
assert_json "$OUT_FILE" '[r["run_name"] for r in d[:4]] == ["notebook.run /Shared/rt/child"] * 3 + ["rt"] and [r["state"]["result_state"] for r in d[:4]] == ["FAILED", "SUCCESS", "SUCCESS", "SUCCESS"] and all(r["run_type"] == "SUBMIT_RUN" for r in d[:4])'

# ---------------------------------------------------------------------------------------------
step "spark: a clear error without pyspark; with a fake pyspark, %sql, spark.sql and _sqldf"
cat >sparky.py <<'EOF'
# Databricks notebook source
print(repr(spark))

# COMMAND ----------

spark.range(3)
EOF
notebook sparky
submit 5 "$(nb_task sparky)"
assert_json "$E2E_TMP/output.json" 'd["logs"].startswith("<SparkSession (brix: started on first use)>\n") and d["error"].startswith("RuntimeError: spark is not available: pyspark is not installed in this Python (") and d["error"].endswith("Install pyspark (and a Java runtime) in the task\x27s environment to use spark, %sql, sql() and table().") and d["error_trace"].startswith("Cell 2 (/Shared/rt/sparky, line 6)")'
mkdir -p fake/pyspark/sql
printf '__version__ = "0.0-fake"\n' >fake/pyspark/__init__.py
cat >fake/pyspark/sql/__init__.py <<'EOF'
class DataFrame:
    def __init__(self, query):
        self.query = query
        self.columns = ["value"]
    def show(self):
        print(f"| {self.query} |")
    def collect(self):
        return [("row of " + self.query,)]
class _Builder:
    def __init__(self):
        self.options = {}
    def master(self, m):
        self.options["master"] = m
        return self
    def appName(self, n):
        self.options["app"] = n
        return self
    def config(self, *args, **kwargs):
        return self
    def getOrCreate(self):
        return SparkSession(dict(self.options))
class SparkSession:
    builder = _Builder()
    def __init__(self, options):
        self.options = options
        self.sparkContext = "fake context"
    def sql(self, query):
        return DataFrame(query)
EOF
cat >sqlnb.py <<'EOF'
# Databricks notebook source
# MAGIC %sql
# MAGIC -- a comment; with a semicolon
# MAGIC SELECT 1 AS one;
# MAGIC SELECT 'a;b' AS two

# COMMAND ----------

print(type(_sqldf).__name__, _sqldf.query)
print(spark.sql("SELECT 3").collect())
print(spark.options["master"], spark.options["app"], sc)
from pyspark.dbutils import DBUtils
print(DBUtils(spark).fs.head("dbfs:/magic/fs.txt"))
EOF
notebook sqlnb
with_task_env PYTHONPATH=$WORK/fake BRIX_PARALLELISM=3 submit 0 "$(nb_task sqlnb)"
assert_json "$E2E_TMP/output.json" 'd["logs"] == "| SELECT \x27a;b\x27 AS two |\nDataFrame SELECT \x27a;b\x27 AS two\n[(\x27row of SELECT 3\x27,)]\nlocal[3] brix t \x27fake context\x27\nwritten by fs\n"'
# a script gets spark through databricks.sdk.runtime
printf 'from databricks.sdk.runtime import spark\nprint(spark.sql("SELECT 4").collect())\n' >sparkscript.py
expect_ok brix workspace import sparkscript.py /Shared/rt/sparkscript.py
with_task_env PYTHONPATH=$WORK/fake submit 0 "$(py_task /Shared/rt/sparkscript.py)"
assert_eq "[('row of SELECT 4',)]" "$SUBMIT_OUT" "spark in a script"

# ---------------------------------------------------------------------------------------------
step "python_wheel_task: a fake installed package, named and positional parameters"
mkdir -p pkgs/mypkg pkgs/mypkg-1.0.dist-info
cat >pkgs/mypkg/__init__.py <<'EOF'
import sys
def main():
    print("mypkg argv", sys.argv)
    if "--fail=yes" in sys.argv:
        raise RuntimeError("asked to fail")
    return 0
def other():
    print("other entry", sys.argv[1:])
EOF
printf 'Metadata-Version: 2.1\nName: mypkg\nVersion: 1.0\n' >pkgs/mypkg-1.0.dist-info/METADATA
printf '[console_scripts]\nmypkg-run = mypkg:main\n' >pkgs/mypkg-1.0.dist-info/entry_points.txt
WHEEL='"python_wheel_task": {"package_name": "mypkg", "entry_point": "mypkg-run", "named_parameters": {"date": "2026-11-21", "mode": "full"}}'
with_task_env PYTHONPATH=$WORK/pkgs submit 0 "$WHEEL"
assert_eq "mypkg argv ['mypkg-run', '--date=2026-11-21', '--mode=full']" "$SUBMIT_OUT" "named parameters"
with_task_env PYTHONPATH=$WORK/pkgs submit 0 '"python_wheel_task": {"package_name": "mypkg", "entry_point": "mypkg-run", "parameters": ["a", "--b", "c"]}'
assert_eq "mypkg argv ['mypkg-run', 'a', '--b', 'c']" "$SUBMIT_OUT" "positional parameters"
# an attribute of the package when no entry point has the name
with_task_env PYTHONPATH=$WORK/pkgs submit 0 '"python_wheel_task": {"package_name": "mypkg", "entry_point": "other", "parameters": ["x"]}'
assert_eq "other entry ['x']" "$SUBMIT_OUT" "module attribute entry point"
with_task_env PYTHONPATH=$WORK/pkgs submit 5 '"python_wheel_task": {"package_name": "mypkg", "entry_point": "nope"}'
assert_json "$E2E_TMP/output.json" 'd["error"] == "Entry point nope not found in package mypkg"'
with_task_env PYTHONPATH=$WORK/pkgs submit 5 '"python_wheel_task": {"package_name": "mypkg", "entry_point": "mypkg-run", "named_parameters": {"fail": "yes"}}'
assert_json "$E2E_TMP/output.json" 'd["error"] == "RuntimeError: asked to fail"'
# in a job: job parameters are pushed down to the named form; run-now --python-named-params replaces
expect_ok brix jobs create --json "{\"name\": \"wheel\", \"parameters\": [{\"name\": \"env\", \"default\": \"dev\"}], \"tasks\": [{\"task_key\": \"w\", $WHEEL}]}"
WHEEL_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
with_task_env PYTHONPATH=$WORK/pkgs expect_exit 0 brix jobs run-now "$WHEEL_JOB"
assert_out_bytes $'mypkg argv [\'mypkg-run\', \'--date=2026-11-21\', \'--env=dev\', \'--mode=full\']\n'
with_task_env PYTHONPATH=$WORK/pkgs expect_exit 0 brix jobs run-now "$WHEEL_JOB" --python-named-params '{"only": "this"}'
assert_out_bytes $'mypkg argv [\'mypkg-run\', \'--env=dev\', \'--only=this\']\n'
# without the package on PYTHONPATH
submit 5 "$WHEEL"
assert_json "$E2E_TMP/output.json" '"No module named \x27mypkg\x27" in d["error"]'

# ---------------------------------------------------------------------------------------------
step "run_job_task triggers a run of another job"
printf 'import sys\nprint("child job got", sys.argv[1:])\nif sys.argv[1:] == ["fail"]:\n    sys.exit(2)\n' >childjob.py
expect_ok brix workspace import childjob.py /Shared/rt/childjob.py
expect_ok brix jobs create --json '{"name": "child-job", "parameters": [{"name": "who", "default": "nobody"}], "tasks": [{"task_key": "c", "spark_python_task": {"python_file": "/Shared/rt/childjob.py", "parameters": ["{{job.parameters.who}}"]}}]}'
CHILD_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
expect_ok brix jobs create --json "{\"name\": \"parent-job\", \"parameters\": [{\"name\": \"who\", \"default\": \"parent-default\"}], \"tasks\": [{\"task_key\": \"trigger\", \"run_job_task\": {\"job_id\": $CHILD_JOB, \"job_parameters\": {\"who\": \"{{job.parameters.who}}\"}}}]}"
PARENT_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
expect_exit 0 brix jobs run-now "$PARENT_JOB"
expect_ok brix runs list --job-id "$CHILD_JOB" -o json
assert_json "$OUT_FILE" 'len(d) == 1 and d[0]["state"]["result_state"] == "SUCCESS" and d[0]["job_parameters"][0]["value"] == "parent-default"'
CHILD_RUN=$(jv "$OUT_FILE" 'd[0]["run_id"]')
expect_ok brix runs list --job-id "$PARENT_JOB" -o json
get_run "$(jv "$OUT_FILE" 'd[0]["run_id"]')"
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "SUCCESS" and d["tasks"][0]["state"]["result_state"] == "SUCCESS"'
expect_ok brix runs get-output --run-id "$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')"
assert_json "$OUT_FILE" 'd["run_job_output"] == {"run_id": '"$CHILD_RUN"'}'
get_run "$CHILD_RUN"
expect_ok brix runs get-output --run-id "$(jv "$E2E_TMP/run.json" 'd["tasks"][0]["run_id"]')"
assert_json "$OUT_FILE" 'd["logs"] == "child job got [\x27parent-default\x27]\n"'
# a failing child fails the triggering task
expect_exit 5 brix jobs run-now "$PARENT_JOB" --job-parameters '{"who": "fail"}'
assert_contains "$ERR" "Task trigger FAILED: The triggered run"
expect_ok brix runs list --job-id "$CHILD_JOB" --limit 1 -o json
assert_json "$OUT_FILE" 'd[0]["state"]["result_state"] == "FAILED" and d[0]["job_parameters"][0]["value"] == "fail"'

# ---------------------------------------------------------------------------------------------
step "spark_jar_task without spark-submit; unsupported task types"
if command -v spark-submit >/dev/null; then
    skip "spark-submit is installed here"
else
    submit 5 '"spark_jar_task": {"main_class_name": "com.example.Main", "parameters": ["x"]}, "libraries": [{"jar": "dbfs:/jars/app.jar"}]'
    assert_json "$E2E_TMP/output.json" 'd["error"] == "A spark_jar_task cannot run on the brix local engine: it needs spark-submit on PATH"'
    assert_json "$E2E_TMP/run.json" 'd["tasks"][0]["state"]["result_state"] == "FAILED" and d["tasks"][0]["state"]["state_message"] == "A spark_jar_task cannot run on the brix local engine: it needs spark-submit on PATH"'
    assert_contains "$SUBMIT_ERR" "Task t FAILED: A spark_jar_task cannot run on the brix local engine: it needs spark-submit on PATH"
fi
submit 5 '"pipeline_task": {"pipeline_id": "abc"}'
assert_json "$E2E_TMP/output.json" 'd["error"] == "A pipeline_task cannot run on the brix local engine: there is no local runtime for it"'

# ---------------------------------------------------------------------------------------------
step "logs over 5 MB are cut to the last 5 MB, logs_truncated"
cat >loud.py <<'EOF'
import sys
sys.stdout.write("HEAD\n" + ("x" * 1023 + "\n") * 6 * 1024 + "END\n")
EOF
expect_ok brix workspace import loud.py /Shared/rt/loud.py
submit 0 "$(py_task /Shared/rt/loud.py)" -o json
assert_json "$E2E_TMP/output.json" 'len(d["logs"]) == 5 * 1024 * 1024 and d["logs"].endswith("x\nEND\n") and "HEAD" not in d["logs"] and d["logs_truncated"] is True'
assert_json "$E2E_TMP/submit.out" 'd["state"]["result_state"] == "SUCCESS"'
submit 0 "$(py_task /Shared/rt/paths.py)"
assert_json "$E2E_TMP/output.json" 'd["logs_truncated"] is False'

finish
