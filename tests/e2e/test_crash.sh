#!/usr/bin/env bash
# kill -9 in the middle of transfers: a target is afterwards absent (or, if the kill came too
# late, complete) and never partial; an overwritten target keeps its old bytes; the store keeps
# working and a retry succeeds.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

# 500 MB on the embedded engine; brix serve moves bytes far slower, so less there.
if backend_is_local; then BIG_MB=${BRIX_E2E_CRASH_MB:-500}; else BIG_MB=${BRIX_E2E_CRASH_MB:-100}; fi
# files per folder (ten folders) in the trees copied while being killed
if backend_is_local; then PER_DIR=300; else PER_DIR=60; fi
ATTEMPTS=4

# kill_when PID CONDITION: polls CONDITION (a command) while PID runs; kills PID with SIGKILL
# as soon as CONDITION holds. Returns 0 when it killed the process mid-way, 1 when the process
# ended first. Reaps the process either way.
kill_when() {
    local pid=$1
    shift
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        if "$@"; then
            kill -9 "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            [[ $? == 137 ]] && return 0
            return 1
        fi
    done
    wait "$pid" 2>/dev/null
    return 1
}

BIG_BYTES=$((BIG_MB * 1024 * 1024))

# The engine's temporary file for the upload (write-*, or upload-* for a block upload) exists
# and holds a quarter of the bytes already.
engine_temp_file_growing() {
    local file
    for file in "$ROOT"/tmp/write-* "$ROOT"/tmp/upload-*; do
        [[ -f $file ]] && (($(stat -c %s "$file" 2>/dev/null || echo 0) >= BIG_BYTES / 4)) && return 0
    done
    return 1
}

# A DBFS upload is under way. Locally: the engine's temporary file grows. Through `brix serve`:
# the CLI has read a quarter of the file into its one multipart request; the server spools what
# arrives to an unnamed file and stores nothing unless the whole body came.
upload_under_way() {
    if ! backend_is_local; then
        local read
        read=$(awk '/^rchar:/ {print $2}' /proc/"$BG_PID"/io 2>/dev/null || echo 0)
        ((${read:-0} >= BIG_BYTES / 4))
    else
        engine_temp_file_growing
    fi
}

# The unnamed file (O_TMPFILE) a local download writes before linking it into place exists and
# holds a quarter of the bytes already.
local_temp_file_growing() {
    local fd
    for fd in /proc/"$BG_PID"/fd/*; do
        [[ $(readlink "$fd" 2>/dev/null) == "$WORK/#"*"(deleted)" ]] || continue
        (($(stat -L -c %s "$fd" 2>/dev/null || echo 0) >= BIG_BYTES / 4)) && return 0
    done
    return 1
}

# At least 50 files of the tree have arrived.
arrived() {
    local files=("$@")
    ((${#files[@]} >= 50))
}
workspace_has_imported() { arrived "$ROOT"/workspace/Shared/crash/d*/*; }
dbfs_has_copied() { arrived "$ROOT"/dbfs/crashtree/d*/*; }

# What killed writers left in the engine's tmp/ goes with a later write, once it is an hour old
# (younger files could belong to a live writer in another PID namespace): age it, write, check.
sweep_engine_tmp() {
    local left i
    if ! backend_is_local; then
        # the server is alive: it removes what an aborted request was writing; open upload
        # handles (upload-*) legitimately wait for their idle timeout
        for ((i = 0; i < 100; i++)); do
            compgen -G "${ROOT:?}/tmp/write-*" >/dev/null || break
            sleep 0.1
        done
        [[ -z $(find "$ROOT/tmp" -mindepth 1 -maxdepth 1 -name 'write-*') ]] ||
            fail "the server kept the temporary file of an aborted request: $(ls -l "$ROOT/tmp")"
        ok
        left=$(find "$ROOT/tmp" -mindepth 1 -maxdepth 1 -name 'upload-*' | wc -l)
        ((left == 0)) || echo "NOTE: $left upload handle file(s) of the killed client wait for their idle timeout"
        return 0
    fi
    left=$(find "${ROOT:?}/tmp" -mindepth 1 -maxdepth 1 | wc -l)
    ((left > 0)) || return 0
    echo "left in tmp/ by the killed writer: $left file(s), $(du -sh "$ROOT/tmp" | cut -f1)"
    find "$ROOT/tmp" -mindepth 1 -maxdepth 1 -exec touch -h -d '2 hours ago' {} +
    expect_ok brix fs put dbfs:/sweep_probe "x" --overwrite
    assert_eq "" "$(ls -A "$ROOT/tmp")" "tmp/ after a later write"
    expect_ok brix fs rm dbfs:/sweep_probe
}

# assert_partial_tree FULL PART: PART holds a subset of FULL's files, each one whole.
assert_partial_tree() {
    local report
    report=$(diff -r "$2" "$1" | grep -v "^Only in $1")
    [[ -z $report ]] || fail "$2 is not a whole subset of $1: $(head -c 2000 <<<"$report")"
    ok
}

step "make a ${BIG_MB} MB file"
head -c "${BIG_MB}M" /dev/urandom >big.bin || fail "cannot make the big file"
head -c 1M /dev/urandom >old.bin
expect_ok brix fs mkdirs dbfs:/crash

# ---------------------------------------------------------------------------------------------
step "kill -9 during fs cp local -> dbfs: no partial file at the target"
caught=0
for ((attempt = 1; attempt <= ATTEMPTS && caught == 0; attempt++)); do
    brix_bg fs cp big.bin dbfs:/crash/big.bin >/dev/null 2>"$E2E_TMP/cp.err"
    if kill_when "$BG_PID" upload_under_way; then caught=1; fi
    expect_exit 0 brix fs ls dbfs:/crash
    if [[ -z $OUT ]]; then
        expect_exit 3 brix fs ls dbfs:/crash/big.bin
        assert_eq "Error: No file or directory exists on path dbfs:/crash/big.bin." "$ERR"
        expect_exit 3 brix fs cat dbfs:/crash/big.bin
    else
        ((caught)) && fail "killed mid-copy, yet the target exists"
        echo "NOTE: attempt $attempt: the copy completed before the kill"
        assert_file_eq big.bin "$ROOT/dbfs/crash/big.bin"
        expect_ok brix fs rm dbfs:/crash/big.bin
    fi
    sweep_engine_tmp
done
((caught)) || echo "NOTE: never caught a copy mid-way in $ATTEMPTS attempts; the invariant held each time"
expect_ok brix fs cp big.bin dbfs:/crash/big.bin
expect_ok brix fs ls -l dbfs:/crash
assert_eq $'file\t'"$BIG_BYTES"$'\tbig.bin' "$(cut -f1-3 "$OUT_FILE")" "ls -l after the retry"
assert_file_eq big.bin "$ROOT/dbfs/crash/big.bin"

step "kill -9 during fs cp --overwrite local -> dbfs: the old file stays whole"
expect_ok brix fs cp old.bin dbfs:/crash/replaced.bin
brix_bg fs cp --overwrite big.bin dbfs:/crash/replaced.bin >/dev/null 2>"$E2E_TMP/cp.err"
if kill_when "$BG_PID" upload_under_way; then
    expect_ok brix fs cat dbfs:/crash/replaced.bin
    assert_file_eq old.bin "$OUT_FILE"
else
    echo "NOTE: the overwrite completed before the kill"
    expect_ok brix fs cat dbfs:/crash/replaced.bin
    assert_file_eq big.bin "$OUT_FILE"
fi
sweep_engine_tmp
expect_ok brix fs rm dbfs:/crash/replaced.bin

# ---------------------------------------------------------------------------------------------
step "kill -9 during fs cp dbfs -> local: no partial local file"
caught=0
for ((attempt = 1; attempt <= ATTEMPTS && caught == 0; attempt++)); do
    brix_bg fs cp dbfs:/crash/big.bin ./out.bin >/dev/null 2>"$E2E_TMP/cp.err"
    if kill_when "$BG_PID" local_temp_file_growing; then caught=1; fi
    if [[ -e out.bin ]]; then
        ((caught)) && fail "killed mid-download, yet ./out.bin exists"
        echo "NOTE: attempt $attempt: the download completed before the kill"
        assert_file_eq big.bin out.bin
        rm out.bin
    fi
    assert_eq "big.bin old.bin" "$(echo $(ls -A))" "local folder after the kill"
done
((caught)) || echo "NOTE: never caught a download mid-way in $ATTEMPTS attempts; the invariant held each time"
expect_ok brix fs cp dbfs:/crash/big.bin ./out.bin
assert_file_eq big.bin out.bin
rm out.bin

step "kill -9 during fs cp --overwrite dbfs -> local: the old local file stays whole"
cp old.bin out.bin
brix_bg fs cp --overwrite dbfs:/crash/big.bin ./out.bin >/dev/null 2>"$E2E_TMP/cp.err"
if kill_when "$BG_PID" local_temp_file_growing; then
    assert_file_eq old.bin out.bin
else
    echo "NOTE: the overwrite completed before the kill"
    assert_file_eq big.bin out.bin
fi
assert_eq "big.bin old.bin out.bin" "$(echo $(ls -A))" "local folder after the kill"
rm -f out.bin big.bin
expect_ok brix fs rm -r dbfs:/crash
sweep_engine_tmp

# ---------------------------------------------------------------------------------------------
step "kill -9 during workspace import-dir: every imported object is whole"
mkdir -p many
for ((d = 0; d < 10; d++)); do
    mkdir -p "many/d$d"
    for ((i = 0; i < PER_DIR; i++)); do
        if ((i % 10 == 0)); then
            printf '# Databricks notebook source\nprint(%d, %d)\n' "$d" "$i" >"many/d$d/nb_$i.py"
        else
            printf 'folder %d file %d %0*d\n' "$d" "$i" $((i * 7)) 0 >"many/d$d/f_$i.txt"
        fi
    done
done
expect_ok brix workspace mkdirs /Shared
caught=0
for ((attempt = 1; attempt <= ATTEMPTS && caught == 0; attempt++)); do
    brix_bg workspace import-dir many /Shared/crash >/dev/null 2>"$E2E_TMP/import.err"
    if kill_when "$BG_PID" workspace_has_imported; then caught=1; fi
    expect_ok brix workspace ls /Shared
    expect_exit 0 sqlite3 "$ROOT/brix.db" "PRAGMA integrity_check"
    assert_eq "ok" "$OUT" "database integrity"
    rm -rf partial
    expect_ok brix workspace export-dir /Shared/crash partial
    exported=$(find partial -type f | wc -l)
    assert_partial_tree many partial
    if ((caught)); then
        ((exported < 10 * PER_DIR)) || echo "NOTE: killed after the last object was imported"
        echo "killed after $exported of $((10 * PER_DIR)) objects"
    else
        echo "NOTE: attempt $attempt: import-dir completed before the kill"
        expect_ok brix workspace rm -r /Shared/crash
    fi
    sweep_engine_tmp
done
# a second run completes the tree
expect_ok brix workspace import-dir many /Shared/crash
expect_ok brix workspace export-dir -o /Shared/crash complete
assert_trees_eq many complete
expect_ok brix workspace ls /Shared/crash/d9
assert_eq "$PER_DIR" "$(wc -l <"$OUT_FILE")" "objects in /Shared/crash/d9"

step "kill -9 during fs cp -r local -> dbfs: every copied file is whole"
caught=0
for ((attempt = 1; attempt <= ATTEMPTS && caught == 0; attempt++)); do
    brix_bg fs cp -r many dbfs:/crashtree >/dev/null 2>"$E2E_TMP/cptree.err"
    if kill_when "$BG_PID" dbfs_has_copied; then caught=1; fi
    rm -rf partial
    expect_ok brix fs cp -r dbfs:/crashtree partial
    assert_partial_tree many partial
    if ((caught)); then
        echo "killed after $(find partial -type f | wc -l) of $((10 * PER_DIR)) files"
    else
        echo "NOTE: attempt $attempt: cp -r completed before the kill"
        expect_ok brix fs rm -r dbfs:/crashtree
    fi
    sweep_engine_tmp
done
expect_exit 0 brix fs cp -r many dbfs:/crashtree
expect_ok brix fs cp -r dbfs:/crashtree complete_dbfs
assert_trees_eq many complete_dbfs

finish
