#!/usr/bin/env bash
# kill -9 at random points, many times: during `fs cp` of a big file (both directions, new and
# overwritten targets), during `workspace import-dir` (and once exactly between a workspace file's
# rename and its row's commit), to a run's executor (the detached worker, the
# attached worker of a waiting CLI, a worker that dies before recording itself), and to `brix
# serve` while clients write. Afterwards every file is its old or its new content, never partial; every run is
# terminal (or becomes terminal at the next look, as documented); PRAGMA integrity_check says ok;
# and a write and a read on the root still succeed.
set -u
source "$(dirname "$0")/reliability_common.sh" || exit 1
fresh_root

KILLS=$(long_or 10 50)               # kills per scenario
BIG_MB=$(long_or 48 200)
TREE_FILES=$(long_or 150 600)
WRITERS_PY=$BRIX_SOURCE_DIR/tests/reliability/crash_writers.py

# now_ms: wall clock in milliseconds
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# kill_after MS PID: SIGKILL PID after MS milliseconds unless it ended; reaps it. 0 when it was
# killed, 1 when it ended by itself first.
kill_after() {
    local ms=$1 pid=$2 status
    sleep_ms "$ms"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    [[ $status == 137 ]]
}

# same_as FILE CANDIDATE...: prints the first CANDIDATE with FILE's exact bytes
same_as() {
    local file=$1 candidate
    shift
    for candidate in "$@"; do
        cmp -s "$file" "$candidate" && { echo "$candidate"; return 0; }
    done
    return 1
}

# tmp_holds_only_orphans: what a killed writer leaves in <root>/tmp is its own temporary file
# (write-*, trash-*), never a file under a target's name. (namespace/ is the tasks' mount
# namespace scratch folder, made by the first task and kept; namespace-probe-* is what a server
# killed while probing for mount namespaces leaves.)
tmp_holds_only_orphans() {
    local name
    for name in $(ls -A "$ROOT/tmp"); do
        [[ $name == write-* || $name == trash-* || $name == upload-* || $name == namespace || $name == namespace-probe-* ]] ||
            fail "unexpected $ROOT/tmp/$name"
    done
    ok
}

# no_write_intents: every interrupted workspace write was recovered by the processes since, and
# the processes that ended removed their notes (<root>/writes/ holds the notes of live writers).
no_write_intents() {
    local notes
    notes=$(ls -A "$ROOT/writes" 2>/dev/null)
    [[ -z $notes ]] || fail "write notes left in $ROOT/writes: $notes"
    ok
}

step "make a ${BIG_MB} MB file, an old version, and a tree of $TREE_FILES files in two versions"
head -c "${BIG_MB}M" /dev/urandom >big.bin
head -c 3M /dev/urandom >old.bin
for v in 1 2; do
    for ((i = 0; i < TREE_FILES; i++)); do
        d=tree$v/d$((i % 10))
        mkdir -p "$d"
        if ((i % 7 == 0)); then
            printf '# Databricks notebook source\nprint("v%d", %d)\n' "$v" "$i" >"$d/nb$i.py"
        else
            { printf 'version %d file %d\n' "$v" "$i"; head -c $((i * 37)) /dev/urandom; } >"$d/f$i.txt"
        fi
    done
done
expect_ok brix fs mkdirs dbfs:/crash
t0=$(now_ms)
expect_ok brix fs cp big.bin dbfs:/crash/timing.bin
CP_MS=$(($(now_ms) - t0 + 20))
expect_ok brix fs rm dbfs:/crash/timing.bin
echo "a whole copy takes ~${CP_MS} ms: kills land anywhere in it"

# ---------------------------------------------------------------------------------------------
step "$KILLS x kill -9 during fs cp of a big file: local -> DBFS and DBFS -> local, new and overwritten targets"
killed=0
for ((n = 0; n < KILLS; n++)); do
    overwrite=$((n % 2))
    if ((n % 4 < 2)); then
        # local -> DBFS
        target=$ROOT/dbfs/crash/big.bin
        if ((overwrite)); then cp old.bin "$target"; else rm -f "$target"; fi
        brix_bg fs cp --overwrite big.bin dbfs:/crash/big.bin >/dev/null 2>&1
    else
        # DBFS -> local (the DBFS copy is whole from the previous round's retry)
        target=$WORK/down.bin
        if ((overwrite)); then cp old.bin "$target"; else rm -f "$target"; fi
        brix_bg fs cp --overwrite dbfs:/crash/whole.bin "$target" >/dev/null 2>&1
    fi
    kill_after "$(rand_below $((CP_MS)))" "$BG_PID" && killed=$((killed + 1))
    if [[ -e $target ]]; then
        got=$(same_as "$target" big.bin old.bin) || fail "round $n: $target is neither the old nor the new content ($(stat -c %s "$target") bytes)"
        ((overwrite)) || [[ $got == big.bin ]] || fail "round $n: a new target holds the old content"
        ok
    else
        ((overwrite)) && fail "round $n: the old file is gone"
        ok
    fi
    [[ -e $ROOT/dbfs/crash/whole.bin ]] || expect_ok brix fs cp big.bin dbfs:/crash/whole.bin
    ls -A "$WORK" | grep -v -x -e big.bin -e old.bin -e down.bin -e 'tree[12]' && fail "a killed download left a file in $WORK"
    tmp_holds_only_orphans
done
echo "killed $killed of $KILLS copies mid-way"
assert_store_usable cp
# the retry after the last kill completes
expect_ok brix fs cp --overwrite big.bin dbfs:/crash/big.bin
assert_file_eq big.bin "$ROOT/dbfs/crash/big.bin"

# ---------------------------------------------------------------------------------------------
step "$KILLS x kill -9 during workspace import-dir: every object is whole, old or new, with its metadata"
expect_ok brix workspace mkdirs /Shared
t0=$(now_ms)
expect_ok brix workspace import-dir tree1 /Shared/timing
IMPORT_MS=$(($(now_ms) - t0 + 20))
expect_ok brix workspace rm -r /Shared/timing
killed=0
for ((n = 0; n < KILLS; n++)); do
    if ((n % 2)); then
        # over a complete first version: each object ends v1 or v2
        brix_bg workspace import-dir --overwrite tree2 /Shared/crashws >/dev/null 2>&1
        versions=(tree1 tree2)
    else
        run brix workspace rm -r /Shared/crashws
        [[ $RC == 0 || $RC == 3 ]] || fail "cannot remove /Shared/crashws: $ERR"
        brix_bg workspace import-dir tree1 /Shared/crashws >/dev/null 2>&1
        versions=(tree1)
    fi
    kill_after "$(rand_below $((IMPORT_MS)))" "$BG_PID" && killed=$((killed + 1))
    assert_integrity
    rm -rf exported
    # export-dir reads every object the database lists: a row without its bytes would fail here
    if brix workspace get-status /Shared/crashws >/dev/null 2>&1; then
        expect_ok brix workspace export-dir /Shared/crashws exported
    else
        mkdir exported
    fi
    for f in $(cd exported && find . -type f); do
        same_as "exported/$f" "${versions[@]/%//$f}" >/dev/null || fail "round $n: $f is not a whole version"
    done
    ok
    # A kill between a file's rename into place and the commit of its row is undone when the next
    # process opens the root (get-status above did): no bytes on disk without their object.
    for f in $(cd "$ROOT/workspace/Shared/crashws" 2>/dev/null && find . -type f); do
        [[ -e exported/$f || -e exported/$f.py ]] || fail "round $n: $f is on disk but is no object"
    done
    ok
    no_write_intents
    # finish the tree for the next overwrite round
    expect_ok brix workspace import-dir --overwrite tree1 /Shared/crashws
    tmp_holds_only_orphans
done
echo "killed $killed of $KILLS imports mid-way"
rm -rf exported
expect_ok brix workspace export-dir /Shared/crashws exported
assert_trees_eq tree1 exported
assert_store_usable import-dir

# ---------------------------------------------------------------------------------------------
step "kill -9 exactly between a workspace file's rename into place and its row's commit"
# BRIX_TEST_CRASH_AT makes the writer kill itself (SIGKILL) at that point, where a random kill
# rarely lands. The next process that opens the root finishes or undoes the write: a new object
# leaves nothing, a replaced one is its new version, whole, with a row that matches its bytes.
crash_at() { BRIX_TEST_CRASH_AT=workspace-file-installed "$BRIX" "$@" >/dev/null 2>&1; }
expect_ok brix workspace mkdirs /Shared/orphan
printf 'first version\n' >v1.txt
printf 'the second, longer version\n' >v2.txt
crash_at workspace import v1.txt /Shared/orphan/new.txt
assert_eq 137 "$?" "status of the writer killed at the crash point"
[[ -f $ROOT/workspace/Shared/orphan/new.txt ]] || fail "the kill did not come after the rename (no file on disk)"
ok
[[ -n $(cat "$ROOT"/writes/workspace-* 2>/dev/null) ]] || fail "the killed writer left no note of its write"
ok
expect_exit 3 brix workspace get-status /Shared/orphan/new.txt
assert_no_file "$ROOT/workspace/Shared/orphan/new.txt"
no_write_intents
# the import was never acknowledged: retried without --overwrite, it succeeds
expect_ok brix workspace import v1.txt /Shared/orphan/new.txt
crash_at workspace import v2.txt /Shared/orphan/new.txt --overwrite
assert_eq 137 "$?" "status of the overwriting writer killed at the crash point"
expect_ok brix workspace get-status /Shared/orphan/new.txt
assert_json "$OUT_FILE" 'd["object_type"] == "FILE" and d["size"] == '"$(stat -c %s v2.txt)"
expect_ok brix workspace export /Shared/orphan/new.txt -
assert_file_eq v2.txt "$OUT_FILE"
no_write_intents
# a notebook replaced by a killed writer is the new notebook, language included
printf '# Databricks notebook source\nprint(1)\n' >nb1.py
printf -- '-- Databricks notebook source\nSELECT 2\n' >nb2.sql
expect_ok brix workspace import nb1.py /Shared/orphan/nb -l PYTHON
crash_at workspace import nb2.sql /Shared/orphan/nb -l SQL --overwrite
expect_ok brix workspace get-status /Shared/orphan/nb
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "SQL"'
expect_ok brix workspace export /Shared/orphan/nb -
assert_file_eq nb2.sql "$OUT_FILE"
# import-dir killed at its first file: nothing of the tree is half there
crash_at workspace import-dir tree1/d0 /Shared/orphan/tree
expect_ok brix workspace ls /Shared/orphan/tree
assert_eq "" "$OUT" "objects of the interrupted import-dir"
assert_eq "" "$(find "$ROOT/workspace/Shared/orphan/tree" -type f)" "files of the interrupted import-dir on disk"
no_write_intents
assert_integrity
assert_store_usable crash-point

# ---------------------------------------------------------------------------------------------
step "$KILLS x kill -9 to a run's detached executor at a random moment: every run ends"
printf 'import random, time\ntime.sleep(random.random() * 0.6)\nprint("napped")\n' >nap.py
expect_ok brix workspace import nap.py /Shared/nap.py
expect_ok brix jobs create -o json --json '{"name": "nap", "max_concurrent_runs": 100,
    "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Shared/nap.py"}},
              {"task_key": "b", "depends_on": [{"task_key": "a"}], "spark_python_task": {"python_file": "/Shared/nap.py"}}]}'
NAP_JOB=$(json_get "$OUT_FILE" 'd["job_id"]')
killed=0
runs=()
for ((n = 0; n < KILLS; n++)); do
    expect_ok brix jobs run-now "$NAP_JOB" --no-wait -o json
    run=$(json_get "$OUT_FILE" 'd["run_id"]')
    runs+=("$run")
    pid=""
    for ((i = 0; i < 200; i++)); do
        pid=$(worker_pids "$run")
        [[ -n $pid ]] && break
        sleep 0.01
    done
    if [[ -n $pid ]]; then
        sleep_ms "$(rand_below 1200)"
        kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
    fi
done
echo "killed $killed of $KILLS executors"
deadline=$((SECONDS + 20))
for run in "${runs[@]}"; do
    while :; do
        expect_ok brix runs get --run-id "$run"
        state=$(json_get "$OUT_FILE" 'd["state"]["life_cycle_state"] + " " + d["state"].get("result_state", "-")')
        case $state in
        "TERMINATED SUCCESS") break ;;
        "INTERNAL_ERROR FAILED")
            assert_contains "$(json_get "$OUT_FILE" 'd["state"]["state_message"]')" "stopped before the run finished"
            break
            ;;
        esac
        ((SECONDS < deadline)) || fail "run $run is still $state after its executor was killed"
        sleep 0.2
    done
done
ok
# no task outlives its killed executor
for run in "${runs[@]}"; do
    for pid in $(sqlite3 "$ROOT/brix.db" "SELECT task_pid FROM runs WHERE parent_run_id = $run AND task_pid > 0"); do
        if [[ -e /proc/$pid ]] && grep -q nap.py "/proc/$pid/cmdline" 2>/dev/null; then fail "task $pid of run $run still runs"; fi
    done
done
ok
assert_integrity
assert_store_usable executor

step "a worker that dies before it could record itself as the executor: the run still ends"
# The run is in the database, its worker started, and the worker's first write (recording
# itself as the executor) fails: a trigger refuses it, as a full disk or a kill at that instant
# would. Nobody will ever execute the run; the next look must end it, not leave it PENDING.
sqlite3 "$ROOT/brix.db" "CREATE TRIGGER refuse_claims BEFORE UPDATE OF executor_pid ON runs
    BEGIN SELECT RAISE(ABORT, 'refused by the reliability suite'); END;" || fail "cannot add the trigger"
for ((n = 0; n < 3; n++)); do
    run brix jobs run-now "$NAP_JOB" --no-wait -o json
    run_id=$(json_get "$OUT_FILE" 'd["run_id"]')
    # its worker fails and exits
    for ((i = 0; i < 200; i++)); do
        [[ -z $(worker_pids "$run_id") ]] && break
        sleep 0.05
    done
    [[ -z $(worker_pids "$run_id") ]] || fail "the worker of run $run_id is still there"
    ok
    pending[$n]=$run_id
done
sqlite3 "$ROOT/brix.db" "DROP TRIGGER refuse_claims" || fail "cannot drop the trigger"
for run_id in "${pending[@]}"; do
    deadline=$((SECONDS + 10))
    while :; do
        expect_ok brix runs get --run-id "$run_id"
        state=$(json_get "$OUT_FILE" 'd["state"]["life_cycle_state"] + " " + d["state"]["state_message"]')
        [[ $state == INTERNAL_ERROR* ]] && break
        ((SECONDS < deadline)) || fail "run $run_id is stuck: $state"
        sleep 0.2
    done
    ok
done
assert_integrity

step "an executor that fails (settings an older brix stored unchecked) ends the run, as a worker and in brix serve"
# jobs create refuses such settings now; a root written by an older brix may still hold them
expect_ok brix jobs create -o json --json '{"name": "broken", "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Shared/nap.py"}}]}'
BROKEN_JOB=$(json_get "$OUT_FILE" 'd["job_id"]')
sqlite3 "$ROOT/brix.db" "UPDATE jobs SET settings = json_set(settings, '\$.timeout_seconds', 'soon') WHERE job_id = $BROKEN_JOB" ||
    fail "cannot store the broken settings"
server_start
for client in "" as_client; do
    expect_ok $client brix jobs run-now "$BROKEN_JOB" --no-wait -o json
    run_id=$(json_get "$OUT_FILE" 'd["run_id"]')
    deadline=$((SECONDS + 10))
    while :; do
        expect_ok $client brix runs get --run-id "$run_id"
        state=$(json_get "$OUT_FILE" 'd["state"]["life_cycle_state"] + " " + d["state"]["state_message"]')
        [[ $state == "INTERNAL_ERROR The run's executor failed: "* ]] && break
        ((SECONDS < deadline)) || fail "run $run_id of the broken job is ${state} (${client:-embedded engine})"
        sleep 0.2
    done
    ok
done
server_stop

step "$((KILLS / 2)) x kill -9 to the attached worker of a waiting run-now: the CLI reports the run's end"
for ((n = 0; n < KILLS / 2; n++)); do
    brix_bg jobs run-now "$NAP_JOB" >"$E2E_TMP/wait.out" 2>"$E2E_TMP/wait.err"
    waiting=$BG_PID
    pid=""
    for ((i = 0; i < 200 && ${#pid} == 0; i++)); do
        pid=$(pgrep -P "$waiting" -f -- "__execute-run")
        sleep 0.01
    done
    [[ -n $pid ]] || fail "no attached worker under the waiting CLI $waiting"
    sleep_ms "$(rand_below 1000)"
    kill -9 "$pid" 2>/dev/null
    deadline=$((SECONDS + 20))
    while kill -0 "$waiting" 2>/dev/null; do
        ((SECONDS < deadline)) || fail "the waiting CLI still waits 20 s after its worker was killed"
        sleep 0.1
    done
    wait "$waiting"
    status=$?
    case $status in
    0) ;;
    5) assert_contains "$(cat "$E2E_TMP/wait.err")" "stopped before the run finished" ;;
    *) fail "the waiting CLI exited $status: $(cat "$E2E_TMP/wait.err")" ;;
    esac
    ok
done
assert_integrity

# ---------------------------------------------------------------------------------------------
step "$KILLS x kill -9 to brix serve while clients write"
expect_ok brix workspace mkdirs /Shared/crash
for ((n = 0; n < KILLS; n++)); do
    server_start
    python3 "$WRITERS_PY" write "$SRV_URL" "$SRV_TOKEN" "$E2E_TMP/writes.log" "$n" >"$E2E_TMP/writers.out" 2>&1 &
    writers=$!
    sleep_ms $((300 + $(rand_below 1200)))
    server_kill9
    wait "$writers"
    server_start
    python3 "$WRITERS_PY" verify "$SRV_URL" "$SRV_TOKEN" "$E2E_TMP/writes.log" >"$E2E_TMP/verify.out" 2>&1 ||
        fail "round $n: $(head -c 3000 "$E2E_TMP/verify.out")"
    ok
    server_kill9
    assert_integrity
done
tail -1 "$E2E_TMP/verify.out"
grep -c '^ack' "$E2E_TMP/writes.log" | sed 's/^/acknowledged writes and runs: /'
assert_store_usable serve
tmp_holds_only_orphans

finish
