#!/usr/bin/env bash
# Terminal output: the one progress display (a bar with bytes or items, rate and ETA on a TTY;
# one line per item or state change when piped; nothing with -q), colours only on a TTY and never
# with NO_COLOR, tables shrunk to the terminal, relative times on a TTY and ISO 8601 when piped,
# and `fs cp -r --concurrency`. A TTY comes from `script`, which runs the command on a new pty.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root
command -v script >/dev/null || { skip "script(1) is not installed"; finish; }
export BRIX_PROGRESS_DELAY_MS=0

# on_tty OUTFILE cmd...: runs cmd on a pseudo-terminal 100 columns wide; all it drew goes to OUTFILE.
on_tty() {
    local out=$1
    shift
    COLUMNS=100 script -qefc "stty cols 100 2>/dev/null; $(printf '%q ' "$@")" /dev/null </dev/null >"$out" 2>&1
}

step "fs cp -r of many files draws a bar on a TTY: bytes, files, rate and ETA"
mkdir -p "$WORK/tree/a/b"
for i in $(seq 300); do head -c 20000 /dev/urandom >"$WORK/tree/a/f$i.bin"; done
for i in $(seq 20); do echo "leaf $i" >"$WORK/tree/a/b/leaf$i.txt"; done
on_tty "$E2E_TMP/tty.out" "$BRIX" fs cp -r "$WORK/tree" dbfs:/tty-tree --concurrency 4
tr '\r' '\n' <"$E2E_TMP/tty.out" >"$E2E_TMP/tty.lines"
grep -q 'fs cp  \[[#-]*\]' "$E2E_TMP/tty.lines" || fail "no bar drawn: $(head -c 600 "$E2E_TMP/tty.lines")"
ok
grep -qE '[0-9.]+ (B|KiB|MiB)/[0-9.]+ (KiB|MiB)' "$E2E_TMP/tty.lines" || fail "no done/total bytes"
ok
grep -qE '/320 files' "$E2E_TMP/tty.lines" || fail "no file count"
ok
grep -qE '/s' "$E2E_TMP/tty.lines" || fail "no rate"
ok
grep -q 'ETA' "$E2E_TMP/tty.lines" || fail "no ETA"
ok
awk 'length > 100 { bad = 1 } END { exit bad }' "$E2E_TMP/tty.lines" || fail "a drawn line is wider than the terminal"
ok

step "the same copy piped: one line per file, no bar, no escape codes"
expect_exit 0 brix fs cp -r "$WORK/tree" dbfs:/piped-tree --concurrency 3
assert_eq 320 "$(grep -c ' -> dbfs:/piped-tree/' <<<"$OUT")" "item lines"
assert_not_contains "$OUT$ERR" $'\033' "piped output"
assert_not_contains "$ERR" "ETA" "piped stderr"
expect_exit 0 brix fs cp -r dbfs:/piped-tree "$WORK/back" --concurrency 8
cmp -s <(cd "$WORK/tree" && find . -type f -exec md5sum {} + | sort -k2) <(cd "$WORK/back" && find . -type f -exec md5sum {} + | sort -k2) ||
    fail "the tree did not come back identical through parallel copies"
ok

step "-q: nothing at all, on a TTY or not"
on_tty "$E2E_TMP/quiet.out" "$BRIX" -q fs cp -r "$WORK/tree" dbfs:/quiet-tree
[[ ! -s $E2E_TMP/quiet.out ]] || fail "-q printed: $(head -c 300 "$E2E_TMP/quiet.out")"
ok
expect_ok brix -q fs cp -r "$WORK/tree" dbfs:/quiet-tree2
assert_eq "" "$OUT" "-q stdout"
expect_ok brix fs ls dbfs:/quiet-tree2/a/b
assert_eq 20 "$(wc -l <<<"$OUT")" "files copied under -q"

step "--concurrency: every value copies the same tree; bad values are usage errors"
for n in 1 2 16; do
    expect_exit 0 brix -q fs cp -r "$WORK/tree" "dbfs:/conc-$n" --concurrency "$n"
    expect_ok brix -o json fs ls "dbfs:/conc-$n/a"
    assert_json "$OUT_FILE" 'len(d) == 301'
done
snapshot_save before
expect_exit 2 brix fs cp -r "$WORK/tree" dbfs:/bad --concurrency 0
assert_contains "$ERR" "--concurrency" "concurrency 0"
expect_exit 2 brix fs cp -r "$WORK/tree" dbfs:/bad --concurrency many
assert_unchanged before

step "a failing file in a parallel copy fails the command and names the file"
mkdir -p "$WORK/clash/x"
echo one >"$WORK/clash/x/f.txt"
expect_ok brix fs mkdirs dbfs:/clash-target/x/f.txt
expect_exit 1 brix fs cp -r "$WORK/clash" dbfs:/clash-target --overwrite --concurrency 4
assert_contains "$ERR" "Error:" "clash"

step "a single large file: a bar on a TTY, nothing but the result when piped"
head -c $((48 << 20)) /dev/urandom >"$WORK/big.bin"
on_tty "$E2E_TMP/big.out" "$BRIX" fs cp "$WORK/big.bin" dbfs:/big.bin
tr '\r' '\n' <"$E2E_TMP/big.out" | grep -qE 'fs cp  \[[#-]+\]  [0-9.]+ (B|KiB|MiB)/48\.0 MiB' || fail "no byte progress: $(tr '\r' '\n' <"$E2E_TMP/big.out" | head -c 400)"
ok
expect_ok brix fs cp dbfs:/big.bin "$WORK/big.back"
assert_eq "" "$OUT" "piped single copy"
assert_file_eq "$WORK/big.bin" "$WORK/big.back"

step "import-dir counts files on a TTY and prints one line per file when piped"
on_tty "$E2E_TMP/import.out" "$BRIX" workspace import-dir "$WORK/tree/a/b" /Shared/leaves
tr '\r' '\n' <"$E2E_TMP/import.out" | grep -q 'import-dir .*/20 files' || fail "no item progress for import-dir"
ok
expect_exit 0 brix workspace import-dir "$WORK/tree/a/b" /Shared/leaves2
assert_eq 20 "$(grep -c ' -> /Shared/leaves2/' <<<"$OUT")" "import-dir lines"
expect_ok brix -q workspace export-dir /Shared/leaves2 "$WORK/leaves-back"
assert_eq "" "$OUT" "export-dir -q"
assert_trees_eq "$WORK/tree/a/b" "$WORK/leaves-back"

step "run waiting: state lines always, a live task line on a TTY, coloured result unless NO_COLOR"
cat >"$WORK/slow.py" <<'PY'
import time
time.sleep(1.5)
print("slept")
PY
expect_ok brix workspace import "$WORK/slow.py" /Shared/slow.py --format AUTO
cat >"$WORK/job.json" <<'JSON'
{"name": "slow", "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Workspace/Shared/slow.py"}},
                           {"task_key": "b", "depends_on": [{"task_key": "a"}], "spark_python_task": {"python_file": "/Workspace/Shared/slow.py"}}]}
JSON
expect_ok brix jobs create --json @"$WORK/job.json"
JOB=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$OUT_FILE")
on_tty "$E2E_TMP/run.out" "$BRIX" jobs run-now "$JOB"
tr '\r' '\n' <"$E2E_TMP/run.out" >"$E2E_TMP/run.lines"
grep -qE 'run [0-9]+ .*(RUNNING|PENDING).*/2 tasks' "$E2E_TMP/run.lines" || fail "no live task line: $(head -c 800 "$E2E_TMP/run.lines")"
ok
grep -q $'TERMINATED \033\[32mSUCCESS' "$E2E_TMP/run.lines" || fail "SUCCESS not green on a TTY"
ok
NO_COLOR=1 on_tty "$E2E_TMP/nocolor.out" "$BRIX" jobs run-now "$JOB"
grep -q 'TERMINATED SUCCESS' "$E2E_TMP/nocolor.out" || fail "no verdict with NO_COLOR"
ok
! grep -q $'\033\[3[12]m' "$E2E_TMP/nocolor.out" || fail "colour despite NO_COLOR"
ok
expect_exit 0 brix jobs run-now "$JOB"
assert_contains "$ERR" "TERMINATED SUCCESS" "piped state line"
assert_not_contains "$ERR" $'\033' "piped run output"
assert_not_contains "$ERR" "tasks" "piped live line"
expect_ok brix -q jobs run-now "$JOB"
assert_eq "" "$ERR" "-q run-now stderr"

step "tables: relative times on a TTY, ISO 8601 piped, shrunk to the terminal width"
expect_ok brix secrets create-scope tty-scope
expect_ok brix secrets put-secret tty-scope "a-key-with-a-name-long-enough-to-need-shrinking-$(printf 'x%.0s' $(seq 70))" --string-value v
on_tty "$E2E_TMP/secrets.out" "$BRIX" secrets list-secrets tty-scope
grep -q 'just now' "$E2E_TMP/secrets.out" || fail "no relative time on a TTY: $(cat "$E2E_TMP/secrets.out")"
ok
python3 -c 'import sys; sys.exit(any(len(l.rstrip("\r")) > 100 for l in open(sys.argv[1], encoding="utf-8").read().split("\n")))' \
    "$E2E_TMP/secrets.out" || fail "a table row is wider than the terminal"
ok
grep -q '…' "$E2E_TMP/secrets.out" || fail "the long key was not shortened"
ok
expect_ok brix secrets list-secrets tty-scope
[[ $OUT =~ [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ]] || fail "no ISO time when piped: $OUT"
ok
assert_contains "$OUT" "$(printf 'x%.0s' $(seq 70))" "the full key when piped"

finish
