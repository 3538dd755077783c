#!/usr/bin/env bash
# Many writers on one root, nothing lost: 8 brix processes x 100 mixed operations (workspace
# import, fs put and cp, jobs create, run-now --no-wait, runs cancel) on the embedded engine; then
# 64 concurrent clients of one `brix serve` (56 REST clients with their own connections and 8 brix
# CLIs over HTTP). Every operation succeeds or gets a documented conflict ("already exists");
# afterwards every acknowledged object, file, job and run is there, whole, and every run ended;
# "database is locked" appears nowhere.
set -u
source "$(dirname "$0")/reliability_common.sh" || exit 1
fresh_root

WORKERS=$(long_or 8 16)
OPS=$(long_or 100 300)
SERVE_CLIENTS=56                 # + 8 brix CLIs over HTTP = 64 concurrent clients
SERVE_OPS=$(long_or 18 90)
SERVE_CLI_OPS=$(long_or 20 100)
CLIENTS_PY=$BRIX_SOURCE_DIR/tests/reliability/clients.py

# A task that takes a moment, so that cancels find runs queued or running.
printf 'import sys, time\ntime.sleep(0.1)\nprint("task", *sys.argv[1:])\n' >task.py
expect_ok brix workspace import task.py /Shared/task.py
expect_ok brix workspace mkdirs /Shared/rc/local/common
expect_ok brix workspace mkdirs /Shared/rc/serve/common

# One brix command of a worker: rc, command and stderr go to the worker's log when anything
# but a clean success happens; stdout goes to $WOUT.
wrun() {
    local log=$1
    shift
    WOUT=$("$BRIX" "$@" 2>"$log.err" </dev/null)
    WRC=$?
    if [[ $WRC != 0 || -s $log.err ]]; then
        printf 'rc=%s cmd=%s\n%s\n' "$WRC" "$*" "$(cat "$log.err")" >>"$log"
    fi
}

# worker W OPS PREFIX: OPS mixed operations under PREFIX (its own paths), recording in
# $E2E_TMP/W.rec each thing the engine acknowledged: "ws PATH SRC", "dbfs PATH SRC",
# "shared PATH SRC", "job ID", "run ID", "cancel ID". Documented conflicts are not failures.
worker() {
    local w=$1 ops=$2 tag=$3 log=$E2E_TMP/$3_w$1.log rec=$E2E_TMP/$3_w$1.rec
    local src=$WORK/$tag/w$w i k job="" runs=() run out
    mkdir -p "$src/ws" "$src/dbfs" "$src/shared"
    : >"$log"
    : >"$rec"
    wrun "$log" workspace mkdirs "/Shared/rc/$tag/w$w"
    for ((i = 0; i < ops; i++)); do
        case $((i % 10)) in
        0)
            if ((i % 20 == 0)); then
                printf '# Databricks notebook source\nprint(%d, %d)\n' "$w" "$i" >"$src/ws/f$i.py"
            else
                { printf 'worker %d file %d\n' "$w" "$i"; head -c $((i * 97)) /dev/urandom; } >"$src/ws/f$i.py"
            fi
            wrun "$log" workspace import "$src/ws/f$i.py" "/Shared/rc/$tag/w$w/f$i.py"
            [[ $WRC == 0 ]] && echo "ws f$i.py" >>"$rec"
            ;;
        1)
            { printf 'blob %d %d\n' "$w" "$i"; head -c $((1000 + i * 1013)) /dev/urandom; } >"$src/dbfs/b$i.bin"
            wrun "$log" fs cp "$src/dbfs/b$i.bin" "dbfs:/rc/$tag/w$w/b$i.bin"
            [[ $WRC == 0 ]] && echo "dbfs b$i.bin" >>"$rec"
            ;;
        2)
            printf 'put %d %d' "$w" "$i" >"$src/dbfs/p$i.txt"
            wrun "$log" fs put "dbfs:/rc/$tag/w$w/p$i.txt" "put $w $i"
            [[ $WRC == 0 ]] && echo "dbfs p$i.txt" >>"$rec"
            ;;
        3)
            # all workers race for five shared paths, without --overwrite: one wins each
            k=$(((i / 10) % 5))
            { printf 'shared %d by worker %d op %d\n' "$k" "$w" "$i"; head -c 3000 /dev/urandom; } >"$src/shared/s$k.$i"
            echo "attempt /Shared/rc/$tag/common/s$k" >>"$rec"
            out=$("$BRIX" workspace import "/Shared/rc/$tag/common/s$k" --file "$src/shared/s$k.$i" --format RAW 2>&1 </dev/null)
            case $?:$out in
            0:) echo "shared /Shared/rc/$tag/common/s$k $src/shared/s$k.$i" >>"$rec" ;;
            "1:Error: Path (/Shared/rc/$tag/common/s$k) already exists.") ;;
            *) printf 'rc=? cmd=shared import s%d\n%s\n' "$k" "$out" >>"$log" ;;
            esac
            ;;
        4)
            { printf 'overwrite %d %d\n' "$w" "$i"; head -c 50000 /dev/urandom; } >"$src/shared/o$i"
            wrun "$log" fs cp --overwrite "$src/shared/o$i" "dbfs:/rc/$tag/common/o$((i % 3))"
            [[ $WRC == 0 ]] && echo "overwritten dbfs:/rc/$tag/common/o$((i % 3)) $src/shared/o$i" >>"$rec"
            ;;
        5)
            wrun "$log" jobs create -o json --json "{\"name\": \"$tag-$w-$i\", \"max_concurrent_runs\": $((i % 3 + 1)),
                \"tasks\": [{\"task_key\": \"t\", \"spark_python_task\": {\"python_file\": \"/Shared/task.py\", \"parameters\": [\"$w\", \"$i\"]}}]}"
            if [[ $WRC == 0 ]]; then
                job=$(sed -n 's/.*"job_id": *\([0-9]*\).*/\1/p' <<<"$WOUT")
                echo "job $job" >>"$rec"
            fi
            ;;
        6 | 9)
            [[ -n $job ]] || continue
            wrun "$log" jobs run-now "$job" --no-wait -o json
            if [[ $WRC == 0 ]]; then
                run=$(sed -n 's/.*"run_id": *\([0-9]*\).*/\1/p' <<<"$WOUT")
                runs+=("$run")
                echo "run $run" >>"$rec"
            fi
            ;;
        7)
            ((${#runs[@]})) || continue
            run=${runs[$((i % ${#runs[@]}))]}
            wrun "$log" runs cancel --run-id "$run"
            [[ $WRC == 0 ]] && echo "cancel $run" >>"$rec"
            ;;
        8)
            wrun "$log" workspace ls "/Shared/rc/$tag/w$w"
            wrun "$log" fs ls "dbfs:/rc/$tag/w$w"
            ;;
        esac
    done
}

# check_accounted TAG CLIENT...: what the workers of TAG recorded is exactly what the engine has.
# CLIENT is the command prefix that reaches the engine (empty: embedded).
check_accounted() {
    local tag=$1 w log
    shift
    for log in "$E2E_TMP/${tag}"_w*.log; do
        [[ -s $log ]] && fail "$(basename "$log"): $(head -c 3000 "$log")"
    done
    ok
    grep -l "database is locked" "$E2E_TMP/${tag}"_w*.log* && fail "database is locked"
    ok
    for ((w = 0; w < ${#PIDS[@]}; w++)); do
        local rec=$E2E_TMP/${tag}_w$w.rec src=$WORK/$tag/w$w
        # the expected trees: exactly the sources the engine acknowledged
        rm -rf "$E2E_TMP/want" "$E2E_TMP/got"
        mkdir -p "$E2E_TMP/want/ws" "$E2E_TMP/want/dbfs"
        awk '$1 == "ws" {print $2}' "$rec" | while read -r f; do cp "$src/ws/$f" "$E2E_TMP/want/ws/"; done
        awk '$1 == "dbfs" {print $2}' "$rec" | while read -r f; do cp "$src/dbfs/$f" "$E2E_TMP/want/dbfs/"; done
        expect_ok "$@" brix workspace export-dir "/Shared/rc/$tag/w$w" "$E2E_TMP/got/ws"
        expect_ok "$@" brix fs cp -r "dbfs:/rc/$tag/w$w" "$E2E_TMP/got/dbfs"
        assert_trees_eq "$E2E_TMP/want" "$E2E_TMP/got"
    done
    # each shared path: exactly one import won, and it holds the winner's bytes
    local path file count
    for path in $(cat "$E2E_TMP/${tag}"_w*.rec | awk '$1 == "attempt" {print $2}' | sort -u); do
        count=$(cat "$E2E_TMP/${tag}"_w*.rec | awk -v p="$path" '$1 == "shared" && $2 == p' | wc -l)
        assert_eq 1 "$count" "imports told they won $path"
        file=$(cat "$E2E_TMP/${tag}"_w*.rec | awk -v p="$path" '$1 == "shared" && $2 == p {print $3}')
        expect_ok "$@" brix workspace export "$path" "$E2E_TMP/shared.out" --overwrite
        assert_file_eq "$file" "$E2E_TMP/shared.out"
    done
    # each overwritten DBFS file holds one writer's bytes, whole
    for path in $(cat "$E2E_TMP/${tag}"_w*.rec | awk '$1 == "overwritten" {print $2}' | sort -u); do
        expect_ok "$@" brix fs cp --overwrite "$path" "$E2E_TMP/o.out"
        file=$(cat "$E2E_TMP/${tag}"_w*.rec | awk -v p="$path" '$1 == "overwritten" && $2 == p {print $3}' |
            while read -r f; do cmp -s "$f" "$E2E_TMP/o.out" && echo "$f"; done | head -1)
        [[ -n $file ]] || fail "$path holds bytes no writer wrote"
        ok
    done
    # jobs: every acknowledged job is listed
    expect_ok "$@" brix jobs list -o json
    python3 - "$OUT_FILE" <(cat "$E2E_TMP/${tag}"_w*.rec) <<'PY' || fail "jobs missing from jobs list"
import json, sys
listed = {j["job_id"] for j in json.load(open(sys.argv[1]))}
want = {int(l.split()[1]) for l in open(sys.argv[2]) if l.startswith("job ")}
missing = want - listed
print(f"{len(want)} jobs acknowledged, {len(listed)} listed")
sys.exit(1 if missing or not want else 0)
PY
    ok
}

# wait_runs TAG SECONDS CLIENT...: every acknowledged run is listed and ends: SUCCESS, or
# CANCELED when a cancel was asked (SUCCESS too if it ended before the cancel arrived).
wait_runs() {
    local tag=$1 limit=$2 deadline
    shift 2
    deadline=$((SECONDS + limit))
    while :; do
        expect_ok "$@" brix runs list --all -o json
        if python3 - "$OUT_FILE" <(cat "$E2E_TMP/${tag}"_w*.rec) "$((SECONDS >= deadline))" <<'PY'; then break; fi
import json, sys
runs = {r["run_id"]: r["state"] for r in json.load(open(sys.argv[1]))}
records = [l.split() for l in open(sys.argv[2])]
want = {int(r[1]) for r in records if r[0] == "run"}
canceled = {int(r[1]) for r in records if r[0] == "cancel"}
final = sys.argv[3] == "1"
missing = want - set(runs)
if missing:
    print(f"runs missing from runs list: {sorted(missing)[:20]}")
    sys.exit(2)
active = [r for r in want if runs[r]["life_cycle_state"] in ("QUEUED", "PENDING", "RUNNING", "TERMINATING", "BLOCKED")]
if active and not final:
    sys.exit(1)
bad = []
for r in sorted(want):
    s = runs[r]
    allowed = ("SUCCESS", "CANCELED") if r in canceled else ("SUCCESS",)
    if s["life_cycle_state"] != "TERMINATED" or s.get("result_state") not in allowed:
        bad.append(f"{r}: {s}")
    if "locked" in json.dumps(s):
        bad.append(f"{r}: {s}")
for line in bad[:20]:
    print(line)
print(f"{len(want)} runs acknowledged, {len(canceled)} cancels; {len(bad)} ended wrong")
sys.exit(2 if bad else 0)
PY
        [[ $? == 2 ]] && fail "runs of $tag did not end as they should"
        sleep 0.5
    done
    ok
}

# ---------------------------------------------------------------------------------------------
step "$WORKERS brix processes x $OPS mixed operations on the embedded engine"
PIDS=()
for ((w = 0; w < WORKERS; w++)); do
    worker "$w" "$OPS" local &
    PIDS+=($!)
done
for pid in "${PIDS[@]}"; do wait "$pid" || fail "worker $pid failed"; done
step "every acknowledged object, file and job is there"
check_accounted local
step "every run ends"
wait_runs local 180
expect_ok brix runs list --all -o json
grep -q "locked" "$OUT_FILE" && fail "a run's state mentions a lock"
ok
assert_integrity

# ---------------------------------------------------------------------------------------------
step "64 concurrent clients of brix serve: $SERVE_CLIENTS REST clients x $SERVE_OPS operations, 8 brix CLIs x $SERVE_CLI_OPS"
server_start
mkdir -p "$E2E_TMP/clients"
python3 "$CLIENTS_PY" load "$SRV_URL" "$SRV_TOKEN" "$E2E_TMP/clients" --clients "$SERVE_CLIENTS" --ops "$SERVE_OPS" \
    --script /Shared/task.py >"$E2E_TMP/clients.out" 2>&1 &
rest_pid=$!
PIDS=()
for ((w = 0; w < 8; w++)); do
    as_client worker "$w" "$SERVE_CLI_OPS" serve &
    PIDS+=($!)
done
for pid in "${PIDS[@]}"; do wait "$pid" || fail "CLI client $pid failed"; done
wait "$rest_pid" || fail "REST clients failed: $(cat "$E2E_TMP/clients.out")"
step "everything the server acknowledged is there"
check_accounted serve as_client
wait_runs serve 180 as_client
python3 "$CLIENTS_PY" verify "$SRV_URL" "$SRV_TOKEN" "$E2E_TMP/clients" --timeout 180 >"$E2E_TMP/verify.out" 2>&1 ||
    fail "REST clients' writes not all there: $(head -c 3000 "$E2E_TMP/verify.out")"
cat "$E2E_TMP/verify.out"
ok
grep -q "locked" "$SRV_LOG" && fail "database is locked in the server's log: $(grep locked "$SRV_LOG" | head -3)"
ok
server_stop
assert_integrity
[[ -z $(ls -A "$ROOT/tmp") ]] || fail "temporary files left behind: $(ls -A "$ROOT/tmp" | head)"
ok

finish
