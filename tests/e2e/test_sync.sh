#!/usr/bin/env bash
# `brix sync SRC DST` as the Go CLI's `databricks sync`: the first run uploads every file
# (notebooks by header, without their extension; gitignored files left out), the next ones only
# what changed, and delete what was removed; --exclude, --full, --dry-run; --watch follows a
# change made while it runs and ends on Ctrl-C with exit code 130.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

mkdir -p proj/data
printf '# Databricks notebook source\nprint("nb")\n' >proj/nb.py
printf 'VALUE = 1\n' >proj/util.py
printf 'a,b\n1,2\n' >proj/data/x.csv
printf '*.log\n' >proj/.gitignore
printf 'noise\n' >proj/debug.log
DST=/Workspace/Shared/proj


step "the first sync uploads everything but what git ignores"
expect_ok brix sync proj "$DST"
assert_contains "$OUT" "Uploaded nb.py"
assert_contains "$OUT" "Uploaded util.py"
assert_contains "$OUT" "Uploaded data/x.csv"
assert_not_contains "$OUT" "debug.log"
assert_eq "Initial Sync Complete" "$(tail -n 1 <<<"$OUT")"
expect_ok brix workspace get-status /Shared/proj/nb -o json
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "PYTHON"'
expect_ok brix workspace get-status /Shared/proj/util.py -o json
assert_json "$OUT_FILE" 'd["object_type"] == "FILE"'
expect_ok brix workspace get-status /Shared/proj/data/x.csv -o json
expect_exit 3 brix workspace get-status /Shared/proj/debug.log
[[ -n $(ls proj/.databricks/sync-snapshots/*.json 2>/dev/null) ]] || fail "no snapshot in proj/.databricks/sync-snapshots"
ok

step "nothing changed: nothing to do"
expect_ok brix sync proj "$DST"
assert_out_bytes $'Initial Sync Complete\n'

step "a changed file goes up again, a removed one is deleted"
printf 'VALUE = 2\n' >proj/util.py
touch -d '+2 seconds' proj/util.py
rm proj/data/x.csv
expect_ok brix sync proj "$DST"
assert_eq $'Action: PUT: util.py, DELETE: data/x.csv\nDeleted data/x.csv\nUploaded util.py\nInitial Sync Complete' "$OUT"
expect_exit 3 brix workspace get-status /Shared/proj/data/x.csv
expect_ok brix workspace export /Shared/proj/util.py --file util_back.py
assert_file_eq util_back.py proj/util.py

step "a file that becomes a notebook moves to its notebook name"
printf '# Databricks notebook source\nVALUE = 3\n' >proj/util.py
touch -d '+4 seconds' proj/util.py
expect_ok brix sync proj "$DST"
assert_contains "$OUT" "Deleted util.py"
assert_contains "$OUT" "Uploaded util.py"
expect_ok brix workspace get-status /Shared/proj/util -o json
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK"'
expect_exit 3 brix workspace get-status /Shared/proj/util.py

step "--exclude, --dry-run and --full"
printf 'secret\n' >proj/secret.txt
printf 'kept\n' >proj/kept.txt
expect_ok brix sync proj "$DST" --exclude secret.txt --dry-run
assert_eq $'[DRY-RUN MODE] Action: PUT: kept.txt\n[DRY-RUN] Would upload: kept.txt\n[DRY-RUN] Initial Sync Complete' "$OUT"
expect_exit 3 brix workspace get-status /Shared/proj/kept.txt
expect_ok brix sync proj "$DST" --exclude secret.txt
assert_contains "$OUT" "Uploaded kept.txt"
expect_exit 3 brix workspace get-status /Shared/proj/secret.txt
printf '# secrets stay here\nsecret.txt\n' >excludes.txt
expect_ok brix sync proj "$DST" --exclude-from excludes.txt --dry-run
assert_not_contains "$OUT" "secret.txt"
expect_ok brix sync proj "$DST" --exclude secret.txt --full
assert_eq $'Uploaded kept.txt\nUploaded nb.py\nUploaded util.py' "$(grep '^Uploaded' <<<"$OUT" | sort | grep -v gitignore)"
expect_exit 2 brix sync proj relative/path
expect_exit 1 brix sync no-such-folder "$DST"

step "--watch uploads a change made while it runs; Ctrl-C ends it with 130"
brix_bg sync proj "$DST" --exclude secret.txt --watch --interval 100ms >watch.out 2>watch.err
WATCH_PID=$BG_PID
for _ in $(seq 300); do grep -q "Initial Sync Complete" watch.out && break; sleep 0.1; done
grep -q "Initial Sync Complete" watch.out || fail "the watch did not finish its first pass: $(cat watch.out watch.err)"
printf 'changed while watching\n' >proj/kept.txt
touch -d '+6 seconds' proj/kept.txt
for _ in $(seq 300); do grep -q "^Complete" watch.out && break; sleep 0.1; done
kill -INT "$WATCH_PID"
wait "$WATCH_PID"
status=$?
assert_eq 130 "$status" "exit code of a watch ended by Ctrl-C"
assert_contains "$(cat watch.out)" $'Action: PUT: kept.txt\nUploaded kept.txt\nComplete'
expect_ok brix workspace export /Shared/proj/kept.txt --file kept_back.txt
assert_file_eq kept_back.txt proj/kept.txt
finish
