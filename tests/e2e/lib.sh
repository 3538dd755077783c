# Shared helpers for the end-to-end suites. Each suite is a standalone bash script that does
#   set -u
#   source "$(dirname "$0")/lib.sh" || exit 1
#   fresh_root
#   ... checks ...
#   finish
# and exits non-zero at the first failed check, after printing what was expected and what came.
#
# Environment:
#   BRIX               the binary under test (ctest sets it; default: <source>/build/brix)
#   BRIX_SOURCE_DIR    the source tree (ctest sets it)
#   BRIX_E2E_BACKEND   how CLI calls reach the engine: "local" (the embedded engine, default) or
#                      "serve" (a `brix serve` on the same root, over HTTP). Backends live in
#                      backend_start/backend_stop/brix below and nowhere else: suites only call
#                      `brix`, and check backend_is_local for what only makes sense locally.
#                      In serve mode every exchange with the server is recorded and, at `finish`,
#                      validated against the Databricks API schema (the contract check,
#                      docs/contract-check.md): a violation or an unlisted route fails the suite.
#   BRIX_E2E_KEEP=1    keep the temporary folder of a suite for inspection
# shellcheck shell=bash

set -u

E2E_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BRIX_SOURCE_DIR=${BRIX_SOURCE_DIR:-$(cd "$E2E_LIB_DIR/../.." && pwd)}
BRIX=${BRIX:-$BRIX_SOURCE_DIR/build/brix}
BRIX_E2E_BACKEND=${BRIX_E2E_BACKEND:-local}
SUITE=$(basename "$0" .sh)
CHECKS=0
E2E_TMP=""
E2E_DONE=0
OUT=""
ERR=""
RC=0

# --- reporting --------------------------------------------------------------------------

_where() {
    # The suite's lines on the call stack, innermost first: where the check was made.
    local i where=""
    for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
        if [[ ${BASH_SOURCE[$i]} != "${BASH_SOURCE[0]}" ]]; then
            where+="${where:+ <- }$(basename "${BASH_SOURCE[$i]}"):${BASH_LINENO[$((i - 1))]}"
        fi
    done
    echo "${where:-?}"
}

fail() {
    echo "FAIL [$(_where)] $*" >&2
    if [[ -n ${LAST_CMD:-} ]]; then
        echo "  last command run: $LAST_CMD (exit $RC)" >&2
        [[ -n $OUT ]] && printf '  stdout: %s\n' "$(head -c 2000 <<<"$OUT")" >&2
        [[ -n $ERR ]] && printf '  stderr: %s\n' "$(head -c 2000 <<<"$ERR")" >&2
    fi
    if [[ -n ${SERVE_PID:-} && -s ${SERVE_LOG:-} ]]; then
        echo "  brix serve (pid $SERVE_PID, $(kill -0 "$SERVE_PID" 2>/dev/null && echo running || echo gone)), last lines of its log:" >&2
        tail -n 15 "$SERVE_LOG" | sed 's/^/    /' >&2
    fi
    E2E_DONE=1
    echo "$SUITE [$BRIX_E2E_BACKEND]: FAILED after $CHECKS passed checks" >&2
    exit 1
}

ok() { CHECKS=$((CHECKS + 1)); }

step() { echo "--- [${SECONDS}s] $*"; }

skip() { echo "SKIP [$(_where)] $*"; }

finish() {
    contract_check
    E2E_DONE=1
    echo "$SUITE [$BRIX_E2E_BACKEND]: PASS ($CHECKS checks)"
    exit 0
}

# The requests brix sent and the answers the engine gave, recorded by `brix serve`
# (BRIX_SERVE_RECORD), against api/schema/api-schema.json and tests/contract/unlisted-routes.tsv.
contract_check() {
    [[ $BRIX_E2E_BACKEND == serve ]] || return 0
    [[ -s $CONTRACT_RECORDS ]] || { echo "--- contract: no exchange with brix serve to check"; return 0; }
    local report
    LAST_CMD=""
    report=$(python3 "$BRIX_SOURCE_DIR/tests/contract/validate.py" "$CONTRACT_RECORDS" 2>&1) ||
        fail "contract check: the exchanges with brix serve break the API schema (records: $CONTRACT_RECORDS):
$(head -c 6000 <<<"$report")"
    echo "--- ${report##*$'\n'}"
}

_on_exit() {
    local status=$?
    if [[ $E2E_DONE == 0 ]]; then
        echo "$SUITE [$BRIX_E2E_BACKEND]: ABORTED (exit $status) after $CHECKS passed checks" >&2
        status=1
    fi
    # background processes of a failed suite (workers, a brix being killed) must not outlive it
    local pids
    pids=$(jobs -p)
    if [[ -n $pids ]]; then
        # shellcheck disable=SC2086
        kill $pids 2>/dev/null
        wait 2>/dev/null
    fi
    backend_stop
    cd / || true
    if [[ -n $E2E_TMP && -d $E2E_TMP ]]; then
        if [[ ${BRIX_E2E_KEEP:-0} == 1 ]]; then
            echo "kept $E2E_TMP" >&2
        else
            chmod -R u+rwx "$E2E_TMP" 2>/dev/null
            rm -rf "$E2E_TMP"
        fi
    fi
    exit "$status"
}

# --- the engine root and the backend ------------------------------------------------------

# A new temporary folder with root/ (the engine root, not created: brix makes it), home/ (an
# empty $HOME, so no ~/.databrickscfg leaks in) and work/ (the current folder).
fresh_root() {
    [[ -x $BRIX ]] || { echo "brix binary not found: $BRIX (set BRIX)" >&2; exit 1; }
    E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/brix-e2e-$SUITE.XXXXXX")
    trap _on_exit EXIT
    trap 'exit 143' TERM  # a ctest timeout still cleans up
    trap 'exit 130' INT
    ROOT=$E2E_TMP/root
    WORK=$E2E_TMP/work
    export BRIX_HOME=$ROOT
    export HOME=$E2E_TMP/home
    mkdir -p "$HOME" "$WORK"
    local var
    for var in $(compgen -e); do
        case $var in DATABRICKS_* | BRIX_OUTPUT | XDG_DATA_HOME) unset "$var" ;; esac
    done
    cd "$WORK" || exit 1
    if [[ $BRIX_E2E_BACKEND == serve ]]; then
        # Its own folder: the snapshots of store_snapshot list what sits beside the root.
        mkdir -p "$E2E_TMP/contract"
        export BRIX_SERVE_RECORD=$E2E_TMP/contract/records.jsonl
        CONTRACT_RECORDS=$BRIX_SERVE_RECORD
    else
        unset BRIX_SERVE_RECORD
    fi
    backend_start
}

# local: the CLI opens the engine at $BRIX_HOME itself.
# serve: `brix serve` runs on the same root and every CLI call goes to it over HTTP
#        (DATABRICKS_HOST/DATABRICKS_TOKEN in the environment).
SERVE_PID=""
SERVE_STARTS=0
backend_start() {
    case $BRIX_E2E_BACKEND in
    local) ;;
    serve)
        # A log of its own for every start: the URL read back must be this server's. (One shared
        # file, truncated at each start, could still show an earlier server's lines to the grep.)
        SERVE_STARTS=$((SERVE_STARTS + 1))
        SERVE_LOG=$E2E_TMP/serve.$SERVE_STARTS.log
        "$BRIX" serve --root "$ROOT" --port 0 --token-file "$E2E_TMP/serve.token" >"$SERVE_LOG" 2>&1 &
        SERVE_PID=$!
        local url="" i
        for ((i = 0; i < 200; i++)); do
            url=$(grep -o 'http://127.0.0.1:[0-9]*' "$SERVE_LOG" 2>/dev/null | head -1)
            [[ -n $url ]] && break
            sleep 0.05
        done
        [[ -n $url ]] || { cat "$SERVE_LOG" >&2; echo "brix serve did not start" >&2; exit 1; }
        export DATABRICKS_HOST=$url
        DATABRICKS_TOKEN=$(cat "$E2E_TMP/serve.token")
        export DATABRICKS_TOKEN
        ;;
    *) echo "unknown BRIX_E2E_BACKEND: $BRIX_E2E_BACKEND (known: local, serve)" >&2; exit 1 ;;
    esac
}

backend_stop() {
    if [[ -n $SERVE_PID ]]; then
        kill "$SERVE_PID" 2>/dev/null
        wait "$SERVE_PID" 2>/dev/null
        SERVE_PID=""
    fi
}

backend_restart() {
    backend_stop
    backend_start
}

# with_task_env NAME=VALUE... COMMAND...: runs COMMAND with the variables in the environment that
# tasks see. Locally that is the CLI's own environment; through `brix serve` it is the server's,
# so the server restarts with them (as a workspace cluster has its libraries), and again after.
with_task_env() {
    local names=() saved=() status i
    while [[ $1 == [A-Za-z_]*=* ]]; do
        names+=("${1%%=*}")
        saved+=("${!names[-1]-__unset__}")
        export "${1?}"
        shift
    done
    backend_is_local || backend_restart
    "$@"
    status=$?
    for i in "${!names[@]}"; do
        if [[ ${saved[$i]} == __unset__ ]]; then unset "${names[$i]}"; else export "${names[$i]}=${saved[$i]}"; fi
    done
    backend_is_local || backend_restart
    return $status
}

# Every CLI call of every suite goes through here.
brix() { "$BRIX" "$@"; }

# Starts brix in the background with BG_PID set to the brix process itself (so kill -9 hits
# it, not a wrapping shell). Redirect the call as usual: brix_bg fs cp a b >out 2>err
brix_bg() {
    "$BRIX" "$@" &
    BG_PID=$!
}

# True when a check only makes sense on the embedded engine (e.g. profile resolution to a local root).
backend_is_local() { [[ $BRIX_E2E_BACKEND == local ]]; }

# --- running commands -------------------------------------------------------------------

# expect_exit CODE cmd args...: runs the command, stdout in $OUT (and $OUT_FILE, exact bytes),
# stderr in $ERR ($ERR_FILE), exit status in $RC; fails unless the status is CODE.
expect_exit() {
    local want=$1
    shift
    run "$@"
    [[ $RC == "$want" ]] || fail "expected exit $want, got $RC"
    ok
}

# run cmd args...: the same without a check on the exit status.
run() {
    OUT_FILE=$E2E_TMP/last.out
    ERR_FILE=$E2E_TMP/last.err
    LAST_CMD=$(printf '%q ' "$@")
    "$@" >"$OUT_FILE" 2>"$ERR_FILE" </dev/null
    RC=$?
    OUT=$(tr -d '\0' <"$OUT_FILE")
    ERR=$(tr -d '\0' <"$ERR_FILE")
}

# Same with stdin from a file.
expect_exit_stdin() {
    local want=$1 input=$2
    shift 2
    OUT_FILE=$E2E_TMP/last.out
    ERR_FILE=$E2E_TMP/last.err
    LAST_CMD="$(printf '%q ' "$@") < $input"
    "$@" >"$OUT_FILE" 2>"$ERR_FILE" <"$input"
    RC=$?
    OUT=$(tr -d '\0' <"$OUT_FILE")
    ERR=$(tr -d '\0' <"$ERR_FILE")
    [[ $RC == "$want" ]] || fail "expected exit $want, got $RC"
    ok
}

# Success with nothing on stderr.
expect_ok() {
    expect_exit 0 "$@"
    [[ -z $ERR ]] || fail "expected no stderr"
}

# --- assertions -------------------------------------------------------------------------

assert_eq() {
    local want=$1 got=$2 what=${3:-value}
    [[ $got == "$want" ]] || fail "$what: expected [$want], got [$got]"
    ok
}

assert_contains() {
    local haystack=$1 needle=$2 what=${3:-output}
    [[ $haystack == *"$needle"* ]] || fail "$what does not contain [$needle]: [$(head -c 2000 <<<"$haystack")]"
    ok
}

assert_not_contains() {
    local haystack=$1 needle=$2 what=${3:-output}
    [[ $haystack != *"$needle"* ]] || fail "$what contains [$needle]: [$(head -c 2000 <<<"$haystack")]"
    ok
}

# Two files with identical bytes.
assert_file_eq() {
    local want=$1 got=$2
    [[ -f $got ]] || fail "missing file $got"
    cmp -s "$want" "$got" || fail "files differ: $want vs $got ($(cmp "$want" "$got" 2>&1 | head -1))"
    ok
}

assert_no_file() {
    [[ ! -e $1 && ! -L $1 ]] || fail "$1 should not exist"
    ok
}

# diff -r of two trees, with optional extra diff arguments (e.g. -x .git).
assert_trees_eq() {
    local want=$1 got=$2
    shift 2
    local report
    report=$(diff -r "$@" "$want" "$got" 2>&1) || fail "trees differ: $want vs $got: $(head -c 2000 <<<"$report")"
    ok
}

# The output of the last command as exact bytes.
assert_out_bytes() {
    local want=$1
    [[ $(od -An -tx1 -v "$OUT_FILE") == $(printf '%s' "$want" | od -An -tx1 -v) ]] ||
        fail "stdout bytes: expected [$want], got [$(cat "$OUT_FILE")]"
    ok
}

# Validates JSON (python3 or jq, whichever exists) and evaluates a Python expression on it as `d`;
# the expression must be true. Without python3 only validity is checked (with jq), else skipped.
assert_json() {
    local file=$1 expr=${2:-True}
    if command -v python3 >/dev/null; then
        python3 - "$file" "$expr" <<'EOF' || fail "JSON check failed on $file: $expr"
import json, sys
with open(sys.argv[1], "rb") as f:
    d = json.load(f)
sys.exit(0 if eval(sys.argv[2], {"d": d}) else 1)
EOF
    elif command -v jq >/dev/null; then
        jq -e . "$file" >/dev/null || fail "not valid JSON: $file"
    else
        skip "no python3 or jq: JSON not checked"
    fi
    ok
}

# --- the store --------------------------------------------------------------------------

# Everything a request could change: the database, and the files of the workspace, DBFS and the
# temporary folder (names, sizes, contents). Two equal snapshots mean nothing changed.
store_snapshot() {
    if [[ -f $ROOT/brix.db ]]; then
        command -v sqlite3 >/dev/null || fail "store_snapshot needs the sqlite3 command"
        sqlite3 -readonly "$ROOT/brix.db" .dump || fail "cannot dump $ROOT/brix.db"
    else
        echo "(no database)"
    fi
    local dir
    for dir in "$ROOT/workspace" "$ROOT/dbfs" "$ROOT/tmp"; do
        [[ -d $dir ]] || { echo "(no $dir)"; continue; }
        find "$dir" -printf '%p %y %s\n' | sort
        find "$dir" -type f -print0 | sort -z | xargs -0 -r sha256sum
    done
    # nothing appears beside the root either (e.g. through a path with "..")
    find "$E2E_TMP" -maxdepth 1 ! -name 'last.*' ! -name 'snapshot.*' | sort
}

# snapshot_save NAME, then later assert_unchanged NAME.
snapshot_save() { store_snapshot >"$E2E_TMP/snapshot.$1"; }

assert_unchanged() {
    store_snapshot >"$E2E_TMP/snapshot.now"
    local report
    report=$(diff "$E2E_TMP/snapshot.$1" "$E2E_TMP/snapshot.now") || fail "store changed: $(head -c 3000 <<<"$report")"
    ok
}

# --- test data --------------------------------------------------------------------------

# rand_bytes COUNT: random bytes on stdout.
rand_bytes() { head -c "$1" /dev/urandom; }

# A store with a little of everything the bad-input suites try to damage: notebooks and files,
# folders, DBFS and volume files. Leaves etl.py and nb.py in the current folder.
seed_store_objects() {
    printf 'print("etl")\n' >etl.py
    printf '# Databricks notebook source\nprint(1)\n' >nb.py
    expect_ok brix workspace import etl.py /Shared/etl.py
    expect_ok brix workspace import nb.py /Shared/nb.py
    expect_ok brix workspace mkdirs /Shared/dir/sub
    expect_ok brix fs put dbfs:/data/file.txt "data"
    expect_ok brix fs mkdirs dbfs:/data/dir
    expect_ok brix fs put /Volumes/main/default/vol/v.txt "volume"
}
