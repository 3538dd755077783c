#!/usr/bin/env bash
# Pre-forked task interpreters (BRIX_PREFORK, on by default): Python tasks are forked from a warm
# interpreter and must be indistinguishable from a fresh start. A task that taints everything it
# can (a runtime module's global, a preloaded standard module's global, an environment variable,
# its working folder, a signal handler and mask, sys.path) leaves nothing to the next task forked
# from the same interpreter; BRIX_PREFORK=0 gives the same outputs with start "exec". Exit codes,
# SystemExit, an uncaught exception's trace, stdout/stderr order, background children, cancel and
# timeout, the working folder and /dbfs for a subprocess, all as from a fresh start; a warm
# interpreter lost while a task runs fails that task with the reason, and the next ones still run.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

# run_job NAME EXIT: runs job $NAME's ID (in JOBS[NAME]) now, waited for, expecting EXIT; the run
# in $E2E_TMP/run.json.
declare -A JOBS
run_job() {
    expect_exit "$2" brix jobs run-now "${JOBS[$1]}"
    get_run "$(sqlite3 "$ROOT/brix.db" "SELECT max(run_id) FROM runs WHERE job_id = ${JOBS[$1]} AND parent_run_id IS NULL")"
}
# task_logs KEY: the logs of task KEY of the last get_run
task_logs() {
    expect_ok brix runs get-output --run-id "$(task_run "$1")"
    jv "$OUT_FILE" 'd["logs"]'
}
# how the tasks of the last get_run started, but "warm"
starts() { jv "$E2E_TMP/run.json" '" ".join(t["task_key"] + "=" + t["brix_metrics"]["start"] for t in d["tasks"] if t["task_key"] != "warm")'; }
# task_json KEY EXPR: EXPR on task KEY of the last get_run (as t)
task_is() { assert_json "$E2E_TMP/run.json" '[t for t in d["tasks"] if t["task_key"] == "'"$1"'"] and all('"$2"' for t in d["tasks"] if t["task_key"] == "'"$1"'")'; }
# The first Python task of an engine process is started as before; the second starts the warm
# interpreter and is forked, as are the tasks after it. Every job here starts with this one.
WARM='{"task_key": "warm", "spark_python_task": {"python_file": "/Shared/prefork/warm.py"}}'
AFTER_WARM='"depends_on": [{"task_key": "warm"}]'


if { [[ $(id -u) == 0 ]] && unshare --mount true 2>/dev/null; } || unshare --user --map-root-user --mount true 2>/dev/null; then
    EXPECTED_FS=mount_namespace
else
    EXPECTED_FS=python_mapping
fi
echo "this machine: tasks get $EXPECTED_FS"

expect_ok brix workspace mkdirs /Shared/prefork
cat >taint.py <<'EOF'
import json, os, signal, sys
import brix_runtime
brix_runtime.TAINT = "runtime module tainted by A"
json.TAINT = "json tainted by A"
os.environ["PREFORK_TAINT"] = "A"
os.chdir("/")
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
sys.path.append("/tainted-by-a")
sys.modules["tainted_by_a"] = json
print("A tainted everything")
EOF
cat >probe.py <<'EOF'
import json, os, signal, sys
import brix_runtime
print("runtime global:", getattr(brix_runtime, "TAINT", None))
print("json global:", getattr(json, "TAINT", None))
print("env:", os.environ.get("PREFORK_TAINT"), os.environ["BRIX_TASK_KEY"])
print("cwd:", os.getcwd())
name = lambda sig: getattr(signal.getsignal(sig), "name", None) or signal.getsignal(sig).__name__
print("SIGTERM:", name(signal.SIGTERM), "SIGINT:", name(signal.SIGINT), "SIGPIPE:", name(signal.SIGPIPE))
print("blocked:", sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])))
print("tainted path:", "/tainted-by-a" in sys.path, "tainted module:", "tainted_by_a" in sys.modules)
print("argv:", sys.argv)
print("sys.path:", sys.path[0], [p for p in sys.path if "prefork" in p or p.startswith(os.environ["BRIX_ROOT"])])
print("main:", __name__, __file__, sorted(k for k in vars(sys.modules["__main__"]) if k.startswith("__")))
print("stdin:", repr(sys.stdin.read()))
print("process group leader:", os.getpgid(0) == os.getpid())
with open("/proc/%d/cmdline" % os.getppid(), "rb") as f:
    parent = f.read().split(b"\0")
sys.stderr.write("parent: %d %s\n" % (os.getppid(), "fork_server" if b"brix_runtime.fork_server" in parent else "engine"))
EOF
printf 'print("warm")\n' >warm.py
for f in warm taint probe; do expect_ok brix workspace import $f.py /Shared/prefork/$f.py; done
create_job '{"name": "isolation", "tasks": ['"$WARM"', {"task_key": "a", '"$AFTER_WARM"', "spark_python_task": {"python_file": "/Shared/prefork/taint.py"}},
  {"task_key": "b", "depends_on": [{"task_key": "a"}], "spark_python_task": {"python_file": "/Shared/prefork/probe.py", "parameters": ["x", "y z"]}}]}'
JOBS[isolation]=$JOB

# ---------------------------------------------------------------------------------------------
step "isolation: task B forked after task A sees none of what A changed"
run_job isolation 0
assert_eq "a=forked b=forked" "$(starts)" "how the tasks started"
if backend_is_local; then task_is warm 't["brix_metrics"]["start"] == "exec"'; fi
FORKED_LOGS=$(task_logs b)
if [[ $EXPECTED_FS == mount_namespace ]]; then CODE_DIR=/Workspace/Shared/prefork; else CODE_DIR=$ROOT/workspace/Shared/prefork; fi
assert_contains "$FORKED_LOGS" "runtime global: None
json global: None
env: None b
cwd: $CODE_DIR
SIGTERM: SIG_DFL SIGINT: default_int_handler SIGPIPE: SIG_IGN
blocked: []
tainted path: False tainted module: False
argv: ['$CODE_DIR/probe.py', 'x', 'y z']
sys.path: $CODE_DIR"
assert_contains "$FORKED_LOGS" "main: __main__ $CODE_DIR/probe.py ['__annotations__', '__builtins__', '__cached__', '__doc__', '__file__', '__loader__', '__name__', '__package__', '__spec__']
stdin: ''
process group leader: True"
assert_contains "$FORKED_LOGS" "fork_server" "B's parent"
PARENT_B=$(grep -o 'parent: [0-9]*' <<<"$FORKED_LOGS")
# a second run is forked from the same warm interpreter (within one engine process: serve only)
if ! backend_is_local; then
    run_job isolation 0
    assert_eq "$PARENT_B" "$(grep -o 'parent: [0-9]*' <<<"$(task_logs b)")" "the warm interpreter across runs"
fi

step "BRIX_PREFORK=0: the same outputs from a fresh start"
with_task_env BRIX_PREFORK=0 run_job isolation 0
assert_eq "a=exec b=exec" "$(starts)" "how the tasks started"
EXEC_LOGS=$(task_logs b)
assert_contains "$EXEC_LOGS" "parent: " "B's parent"
assert_eq "$(grep -v '^parent: ' <<<"$FORKED_LOGS")" "$(grep -v '^parent: ' <<<"$EXEC_LOGS")" "forked and exec'd outputs"
assert_not_contains "$EXEC_LOGS" "fork_server"

# ---------------------------------------------------------------------------------------------
step "exit codes, SystemExit, an uncaught exception and the order of stdout and stderr"
printf 'import sys\nprint("three")\nraise SystemExit(3)\n' >exit3.py
cat >boom.py <<'EOF'
import sys
print("out 1")
print("err 1", file=sys.stderr)
print("out 2")

def inner():
    raise ValueError("boom")

inner()
EOF
printf 'import sys\nsys.exit("a message")\n' >message.py
for f in exit3 boom message; do expect_ok brix workspace import $f.py /Shared/prefork/$f.py; done
create_job '{"name": "ends", "tasks": ['"$WARM"', {"task_key": "exit3", '"$AFTER_WARM"', "spark_python_task": {"python_file": "/Shared/prefork/exit3.py"}},
  {"task_key": "boom", '"$AFTER_WARM"', "spark_python_task": {"python_file": "/Shared/prefork/boom.py"}},
  {"task_key": "message", '"$AFTER_WARM"', "spark_python_task": {"python_file": "/Shared/prefork/message.py"}}]}'
JOBS[ends]=$JOB
ends_summary() {
    jv "$E2E_TMP/run.json" '" ".join("%s=%s/%s/%d" % (t["task_key"], t["state"]["result_state"], t["brix_metrics"]["start"], t["brix_metrics"]["exit_code"]) for t in sorted(d["tasks"], key=lambda t: t["task_key"]) if t["task_key"] != "warm")'
}
run_job ends 5
assert_eq "boom=FAILED/forked/1 exit3=FAILED/forked/3 message=FAILED/forked/1" "$(ends_summary)" "ends"
expect_ok brix runs get-output --run-id "$(task_run boom)"
cp "$OUT_FILE" "$E2E_TMP/boom-forked.json"
assert_json "$E2E_TMP/boom-forked.json" 'd["logs"].startswith("out 1\nerr 1\nout 2\nTraceback (most recent call last):\n") and d["error"] == "ValueError: boom" and "fork_server" not in d["error_trace"] and "runpy" not in d["error_trace"] and "in inner" in d["error_trace"]'
assert_eq $'a message' "$(task_logs message)" "sys.exit with a message"
with_task_env BRIX_PREFORK=0 run_job ends 5
assert_eq "boom=FAILED/exec/1 exit3=FAILED/exec/3 message=FAILED/exec/1" "$(ends_summary)" "ends"
expect_ok brix runs get-output --run-id "$(task_run boom)"
assert_eq "$(jv "$E2E_TMP/boom-forked.json" '[d["logs"], d["error"], d["error_trace"]]')" "$(jv "$OUT_FILE" '[d["logs"], d["error"], d["error_trace"]]')" "the trace, forked and exec'd"

# ---------------------------------------------------------------------------------------------
step "a notebook (python -m brix_runtime.notebook) is forked too, its output as from a fresh start"
cat >nb.py <<'EOF'
# Databricks notebook source
import os, sys
print("notebook in", os.getcwd(), "argv", sys.argv[1:], __name__)

# COMMAND ----------

dbutils.notebook.exit("done " + dbutils.widgets.get("w"))
EOF
expect_ok brix workspace import nb.py /Shared/prefork/nb -l PYTHON
create_job '{"name": "nb", "tasks": ['"$WARM"', {"task_key": "nb", '"$AFTER_WARM"', "notebook_task": {"notebook_path": "/Shared/prefork/nb", "base_parameters": {"w": "v"}}}]}'
JOBS[nb]=$JOB
run_job nb 0
assert_eq "nb=forked" "$(starts)" "notebook start"
NB_FORKED=$(task_logs nb)
NB_RESULT=$(jv "$OUT_FILE" 'd["notebook_output"]["result"]')
assert_eq "done v" "$NB_RESULT" "notebook result"
with_task_env BRIX_PREFORK=0 run_job nb 0
assert_eq "nb=exec" "$(starts)" "notebook start"
assert_eq "$NB_FORKED" "$(task_logs nb)" "notebook output, forked and exec'd"

# ---------------------------------------------------------------------------------------------
step "what a forked task leaves running in the background ends with it"
cat >bg.py <<'EOF'
import os, subprocess
child = subprocess.Popen(["sleep", "60"])
with open(os.path.join(os.environ["BRIX_ROOT"], "bg.pid"), "w") as f:
    f.write(str(child.pid))
print("left", child.pid, "behind")
EOF
expect_ok brix workspace import bg.py /Shared/prefork/bg.py
create_job '{"name": "bg", "tasks": ['"$WARM"', {"task_key": "bg", '"$AFTER_WARM"', "spark_python_task": {"python_file": "/Shared/prefork/bg.py"}}]}'
JOBS[bg]=$JOB
run_job bg 0
assert_eq "bg=forked" "$(starts)" "background task start"
BG_PID=$(cat "$ROOT/bg.pid")
deadline=$((SECONDS + 10))
while alive "$BG_PID"; do
    ((SECONDS < deadline)) || fail "the task's background child $BG_PID still runs"
    sleep 0.05
done
ok

# ---------------------------------------------------------------------------------------------
step "timeout and cancel of a forked task: SIGTERM to its group, its handler runs"
cat >nap.py <<'EOF'
import os, signal, sys, time
def stop(signum, frame):
    print("got SIGTERM", flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
with open(os.path.join(os.environ["BRIX_ROOT"], "nap." + os.environ["BRIX_TASK_KEY"]), "w") as f:
    f.write(str(os.getpid()))
print("napping", flush=True)
time.sleep(60)
EOF
expect_ok brix workspace import nap.py /Shared/prefork/nap.py
create_job '{"name": "timeout", "tasks": ['"$WARM"', {"task_key": "late", '"$AFTER_WARM"', "timeout_seconds": 1, "spark_python_task": {"python_file": "/Shared/prefork/nap.py"}}]}'
JOBS[timeout]=$JOB
run_job timeout 5
task_is late 't["state"]["result_state"] == "TIMEDOUT" and t["brix_metrics"]["start"] == "forked"'
assert_eq $'napping\ngot SIGTERM' "$(task_logs late)" "timed-out task's log"
create_job '{"name": "cancel", "tasks": ['"$WARM"', {"task_key": "canceled", '"$AFTER_WARM"', "spark_python_task": {"python_file": "/Shared/prefork/nap.py"}}]}'
expect_ok brix jobs run-now "$JOB" --no-wait
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
wait_file "$ROOT/nap.canceled" 30
assert_eq "$(cat "$ROOT/nap.canceled")" "$(sqlite3 "$ROOT/brix.db" "SELECT task_pid FROM runs WHERE parent_run_id = $RUN AND task_key = 'canceled'")" "the engine knows the forked task's pid"
expect_ok brix runs cancel --run-id "$RUN"
wait_done "$RUN" 30
assert_json "$E2E_TMP/run.json" 'd["state"]["result_state"] == "CANCELED"'
task_is canceled 't["brix_metrics"]["start"] == "forked"'
assert_eq $'napping\ngot SIGTERM' "$(task_logs canceled)" "canceled task's log"

# ---------------------------------------------------------------------------------------------
step "a forked task's subprocess sees /dbfs; its working folder is the code's folder"
expect_ok brix fs put dbfs:/prefork/in.txt "from dbfs"
cat >sub.py <<'EOF'
import os, subprocess
print("cwd:", os.getcwd())
print("python:", open("/dbfs/prefork/in.txt").read())
if os.environ["BRIX_FILE_SYSTEM"] == "mount_namespace":
    print("cat:", subprocess.run(["cat", "/dbfs/prefork/in.txt"], capture_output=True, text=True).stdout)
EOF
expect_ok brix workspace import sub.py /Shared/prefork/sub.py
create_job '{"name": "sub", "tasks": ['"$WARM"', {"task_key": "sub", '"$AFTER_WARM"', "spark_python_task": {"python_file": "/Shared/prefork/sub.py"}}]}'
JOBS[sub]=$JOB
run_job sub 0
assert_eq "sub=forked" "$(starts)" "subprocess task start"
if [[ $EXPECTED_FS == mount_namespace ]]; then
    assert_eq $'cwd: /Workspace/Shared/prefork\npython: from dbfs\ncat: from dbfs' "$(task_logs sub)" "subprocess task's log"
else
    assert_eq "cwd: $CODE_DIR"$'\npython: from dbfs' "$(task_logs sub)" "subprocess task's log"
fi
# where namespaces are refused, the warm interpreter has the Python-level mapping of /dbfs
with_task_env BRIX_TASK_FILE_SYSTEM=python_mapping run_job sub 0
assert_eq "sub=forked" "$(starts)" "python_mapping task start"
assert_eq "cwd: $ROOT/workspace/Shared/prefork"$'\npython: from dbfs' "$(task_logs sub)" "python_mapping task's log"

# ---------------------------------------------------------------------------------------------
step "the warm interpreter gone while a task runs: the task fails and says why; the next tasks still run"
cat >killer.py <<'EOF2'
import os, signal, time
with open("/proc/%d/cmdline" % os.getppid(), "rb") as f:
    if b"brix_runtime.fork_server" in f.read():
        os.kill(os.getppid(), signal.SIGKILL)
time.sleep(30)
EOF2
expect_ok brix workspace import killer.py /Shared/prefork/killer.py
create_job '{"name": "killer", "tasks": ['"$WARM"', {"task_key": "killer", '"$AFTER_WARM"', "spark_python_task": {"python_file": "/Shared/prefork/killer.py"}}]}'
JOBS[killer]=$JOB
run "$BRIX" jobs run-now "${JOBS[killer]}"
KILLER_RC=$RC
get_run "$(sqlite3 "$ROOT/brix.db" "SELECT max(run_id) FROM runs WHERE job_id = ${JOBS[killer]} AND parent_run_id IS NULL")"
if [[ $(starts) == "killer=exec" ]]; then
    # Started fresh after all: the warm interpreter's log must say why (seen once on a machine at
    # load 9, before the engine wrote the reason there).
    assert_contains "$(cat "$ROOT"/fork-servers/*.log)" "brix: " "the warm interpreter's log"
    skip "killer was started fresh: $(cat "$ROOT"/fork-servers/*.log)"
else
    assert_eq 5 "$KILLER_RC" "exit status of a run whose warm interpreter was lost"

    task_is killer 't["state"]["result_state"] == "FAILED" and t["brix_metrics"]["start"] == "forked"'
    expect_ok brix runs get-output --run-id "$(task_run killer)"
    assert_contains "$(jv "$OUT_FILE" 'd["error"]')" "the warm interpreter this task was forked from ended while the task ran"
fi
# a new warm interpreter for the tasks after it
run_job isolation 0
assert_eq "a=forked b=forked" "$(starts)" "how the tasks started after the warm interpreter was lost"

finish
