#!/usr/bin/env bash
# Several brix processes on one root at once: imports and copies to distinct targets and to the
# same targets (with overwrite), bulk import-dir / cp -r side by side, readers meanwhile.
# Everything must succeed, nothing may go missing, and every file must be whole.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

WORKERS=8
PER=25
SHARED=5 # targets every worker writes, with overwrite

step "prepare $WORKERS x $PER files per kind"
for ((w = 0; w < WORKERS; w++)); do
    mkdir -p "src/w$w/ws" "src/w$w/dbfs"
    for ((i = 0; i < PER; i++)); do
        if ((i % 5 == 0)); then
            printf '# Databricks notebook source\nprint("worker %d notebook %d")\n' "$w" "$i" >"src/w$w/ws/f_$i.py"
        else
            { printf 'worker %d file %d\n' "$w" "$i"; rand_bytes $((i * 311)); } >"src/w$w/ws/f_$i.py"
        fi
        { printf 'worker %d blob %d\n' "$w" "$i"; rand_bytes $((1000 + i * 4099)); } >"src/w$w/dbfs/b_$i.bin"
    done
    for ((k = 0; k < SHARED; k++)); do
        { printf 'shared %d written by worker %d\n' "$k" "$w"; rand_bytes $((k * 20000)); } >"src/w$w/shared_$k"
    done
done
# the first use of a root creates it; the workers then race on everything else
expect_ok brix workspace mkdirs /Shared

# Runs one brix command, recording its exit status and stderr in the worker's log.
logged() {
    local log=$1
    shift
    local err
    err=$(brix "$@" 2>&1 >/dev/null </dev/null)
    local rc=$?
    if [[ $rc != 0 || -n $err ]]; then
        printf 'rc=%s cmd=%s\n%s\n' "$rc" "$*" "$err" >>"$log"
    fi
}

worker() {
    local w=$1 log=$E2E_TMP/worker_$1.log i k
    : >"$log"
    logged "$log" workspace mkdirs "/Shared/conc/w$w"
    for ((i = 0; i < PER; i++)); do
        logged "$log" workspace import "src/w$w/ws/f_$i.py" "/Shared/conc/w$w/f_$i.py"
        logged "$log" fs cp "src/w$w/dbfs/b_$i.bin" "dbfs:/conc/w$w/b_$i.bin"
        if ((i % 5 == 0)); then
            k=$((i / 5))
            logged "$log" workspace mkdirs /Shared/conc/common
            logged "$log" workspace import "/Shared/conc/common/shared_$k" --file "src/w$w/shared_$k" --overwrite
            logged "$log" fs cp --overwrite "src/w$w/shared_$k" "dbfs:/conc/common/shared_$k"
        fi
    done
}

# Lists while the writers write: every listing must work.
reader() {
    local log=$E2E_TMP/reader.log
    : >"$log"
    while [[ ! -e $E2E_TMP/stop_reader ]]; do
        logged "$log" workspace ls /Shared
        logged "$log" fs ls dbfs:/
    done
}

check_logs() {
    local log
    for log in "$E2E_TMP"/worker_*.log "$E2E_TMP"/reader.log; do
        [[ -s $log ]] && fail "$(basename "$log") has failures: $(head -c 3000 "$log")"
    done
    ok
}

# ---------------------------------------------------------------------------------------------
step "$WORKERS workers, each running $PER imports and $PER copies as separate brix processes"
reader &
reader_pid=$!
pids=()
for ((w = 0; w < WORKERS; w++)); do
    worker "$w" &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || fail "worker $pid failed"; done
touch "$E2E_TMP/stop_reader"
wait "$reader_pid"
grep -l "database is locked" "$E2E_TMP"/*.log && fail "database is locked"
check_logs

step "every object is there, whole"
for ((w = 0; w < WORKERS; w++)); do
    expect_ok brix workspace ls "/Shared/conc/w$w"
    assert_eq "$PER" "$(wc -l <"$OUT_FILE")" "objects of worker $w"
    expect_ok brix fs ls "dbfs:/conc/w$w"
    assert_eq "$PER" "$(wc -l <"$OUT_FILE")" "DBFS files of worker $w"
    expect_ok brix workspace get-status "/Shared/conc/w$w/f_5"
    assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK"'
    expect_ok brix workspace get-status "/Shared/conc/w$w/f_6.py"
    assert_json "$OUT_FILE" 'd["object_type"] == "FILE"'
done
expect_ok brix workspace export-dir /Shared/conc exported
expect_ok brix fs cp -r dbfs:/conc copied
for ((w = 0; w < WORKERS; w++)); do
    assert_trees_eq "src/w$w/ws" "exported/w$w"
    assert_trees_eq "src/w$w/dbfs" "copied/w$w"
done
# each shared target holds one worker's bytes exactly, never a mix
for ((k = 0; k < SHARED; k++)); do
    for got in "exported/common/shared_$k" "copied/common/shared_$k"; do
        winner=$(head -1 "$got" | sed -n 's/^shared [0-9]* written by worker \([0-9]*\)$/\1/p')
        [[ -n $winner ]] || fail "$got has no writer line"
        assert_file_eq "src/w$winner/shared_$k" "$got"
    done
done
expect_ok brix workspace ls /Shared/conc
assert_eq $((WORKERS + 1)) "$(wc -l <"$OUT_FILE")" "folders under /Shared/conc"
[[ -z $(ls -A "$ROOT/tmp") ]] || fail "temporary files left behind: $(ls -A "$ROOT/tmp" | head)"
ok

# ---------------------------------------------------------------------------------------------
step "$WORKERS import-dir and $WORKERS cp -r processes at once, partly onto the same targets"
for ((w = 0; w < WORKERS; w++)); do
    mkdir -p "bulk/w$w/own" "bulk/w$w/same"
    cp "src/w$w/ws/"* "bulk/w$w/own/"
    for ((k = 0; k < SHARED; k++)); do cp "src/w$w/shared_$k" "bulk/w$w/same/shared_$k"; done
done
pids=()
for ((w = 0; w < WORKERS; w++)); do
    brix workspace import-dir "bulk/w$w/own" "/Shared/bulk/w$w" >"$E2E_TMP/bulk_ws_$w.out" 2>"$E2E_TMP/bulk_ws_$w.err" &
    pids+=($!)
    brix workspace import-dir -o "bulk/w$w/same" /Shared/bulk/same >"$E2E_TMP/bulk_same_$w.out" 2>"$E2E_TMP/bulk_same_$w.err" &
    pids+=($!)
    brix fs cp -r "bulk/w$w" "dbfs:/bulk/w$w" >"$E2E_TMP/bulk_fs_$w.out" 2>"$E2E_TMP/bulk_fs_$w.err" &
    pids+=($!)
    brix fs cp -r --overwrite "bulk/w$w/same" dbfs:/bulk/same >"$E2E_TMP/bulk_fsame_$w.out" 2>"$E2E_TMP/bulk_fsame_$w.err" &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || fail "a bulk process failed: $(cat "$E2E_TMP"/bulk_*.err)"; done
errors=$(cat "$E2E_TMP"/bulk_*.err)
assert_eq "" "$errors" "stderr of the bulk processes"
for ((w = 0; w < WORKERS; w++)); do
    assert_eq "$PER" "$(wc -l <"$E2E_TMP/bulk_ws_$w.out")" "import-dir lines of worker $w"
    assert_eq $((PER + SHARED)) "$(wc -l <"$E2E_TMP/bulk_fs_$w.out")" "cp -r lines of worker $w"
done
expect_ok brix workspace export-dir /Shared/bulk bulk_exported
expect_ok brix fs cp -r dbfs:/bulk bulk_copied
for ((w = 0; w < WORKERS; w++)); do
    assert_trees_eq "bulk/w$w/own" "bulk_exported/w$w"
    assert_trees_eq "bulk/w$w" "bulk_copied/w$w"
done
for ((k = 0; k < SHARED; k++)); do
    for got in "bulk_exported/same/shared_$k" "bulk_copied/same/shared_$k"; do
        winner=$(head -1 "$got" | sed -n 's/^shared [0-9]* written by worker \([0-9]*\)$/\1/p')
        [[ -n $winner ]] || fail "$got has no writer line"
        assert_file_eq "src/w$winner/shared_$k" "$got"
    done
done
expect_ok brix workspace ls /Shared/bulk/same
assert_eq "$SHARED" "$(wc -l <"$OUT_FILE")" "shared objects"
[[ -z $(ls -A "$ROOT/tmp") ]] || fail "temporary files left behind: $(ls -A "$ROOT/tmp" | head)"
ok
expect_exit 0 sqlite3 "$ROOT/brix.db" "PRAGMA integrity_check"
assert_eq "ok" "$OUT" "database integrity"

finish
