# Helpers shared by the reliability suites (test_reliability_*.sh), on top of the e2e helpers.
#
# The reliability suites start and kill their own `brix serve` where they need one, so each is
# registered once in ctest (on the embedded engine): the suites source this file, never the e2e
# helpers directly, because a suite whose text names that file is also run through a server.
#
#   BRIX_LONG_TESTS=1   the long variants: more workers, more operations, 50 kills per scenario
# shellcheck shell=bash

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

LONG_TESTS=${BRIX_LONG_TESTS:-0}

# long_or SHORT LONG: the value for this run.
long_or() { if [[ $LONG_TESTS == 1 ]]; then echo "$2"; else echo "$1"; fi; }

# Tasks start with the real interpreter, not a version-manager shim (a shim is a shell script
# that costs tens of milliseconds per task, and a suite starts hundreds of tasks).
if [[ -z ${BRIX_PYTHON:-} ]]; then
    BRIX_PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || BRIX_PYTHON=python3
    export BRIX_PYTHON
fi
# The suites' own Python helpers use it too.
python3() { "$BRIX_PYTHON" "$@"; }

# --- brix serve, started and killed by the suite --------------------------------------------

# server_start [ARGS...]: `brix serve` on $ROOT; sets SRV_PID, SRV_URL, SRV_TOKEN. Each start
# logs to its own $E2E_TMP/serve.N.log, kept for the checks that read what a server printed.
SRV_PID=""
SRV_STARTS=0
server_start() {
    SRV_STARTS=$((SRV_STARTS + 1))
    SRV_LOG=$E2E_TMP/serve.$SRV_STARTS.log
    "$BRIX" serve --root "$ROOT" --port 0 --token-file "$E2E_TMP/srv.token" "$@" >"$SRV_LOG" 2>&1 &
    SRV_PID=$!
    local i url=""
    for ((i = 0; i < 400; i++)); do
        url=$(grep -o 'http://127.0.0.1:[0-9]*' "$SRV_LOG" 2>/dev/null | head -1)
        [[ -n $url ]] && break
        kill -0 "$SRV_PID" 2>/dev/null || break
        sleep 0.05
    done
    [[ -n $url ]] || fail "brix serve did not start: $(tail -5 "$SRV_LOG")"
    SRV_URL=$url
    SRV_TOKEN=$(cat "$E2E_TMP/srv.token")
}

# server_kill9: SIGKILL to the server this suite started, and reap it.
server_kill9() {
    [[ -n $SRV_PID ]] || return 0
    kill -9 "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" 2>/dev/null
    SRV_PID=""
}

# server_stop: SIGTERM, and wait for it to exit.
server_stop() {
    [[ -n $SRV_PID ]] || return 0
    kill "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" 2>/dev/null
    SRV_PID=""
}

# as_client COMMAND...: a brix command that goes to the suite's server.
as_client() { DATABRICKS_HOST=$SRV_URL DATABRICKS_TOKEN=$SRV_TOKEN "$@"; }

# api METHOD PATH [curl args...]: one request to the server with the suite's token. The status
# is in $STATUS, the body in $BODY (and $BODY_FILE).
api() {
    local method=$1 path=$2
    shift 2
    BODY_FILE=$E2E_TMP/api.body
    STATUS=$(curl -s -o "$BODY_FILE" -w '%{http_code}' --max-time 60 -X "$method" \
        -H "Authorization: Bearer $SRV_TOKEN" "$@" "$SRV_URL$path")
    BODY=$(tr -d '\0' <"$BODY_FILE")
}

# expect_api STATUS ERROR_CODE METHOD PATH [curl args...]: the answer has that status and, for
# errors, that error_code in a Databricks error body.
expect_api() {
    local want_status=$1 want_code=$2
    shift 2
    api "$@"
    [[ $STATUS == "$want_status" ]] || fail "$1 $2: expected HTTP $want_status, got $STATUS: $(head -c 500 <<<"$BODY")"
    if [[ -n $want_code ]]; then
        local code
        code=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("error_code", ""))' "$BODY_FILE" 2>/dev/null)
        [[ $code == "$want_code" ]] || fail "$1 $2: expected error_code $want_code, got [$code]: $(head -c 500 <<<"$BODY")"
    fi
    ok
}

# --- processes ----------------------------------------------------------------------------

# worker_pids RUN_ID: the pids of `brix __execute-run $ROOT RUN_ID` processes (detached run
# workers of this suite's root: the root path is unique to the suite, so nothing else matches).
# pgrep only finds candidates; each one's command line is then compared exactly.
worker_pids() {
    local want pid pattern
    want=$(printf '__execute-run\037%s\037%s\037' "$ROOT" "$1")
    pattern=$(printf '%s' "__execute-run $ROOT $1" | sed 's/[][\.*^$+?(){}|]/\\&/g')
    for pid in $(pgrep -f -- "$pattern( |\$)"); do
        [[ $(tr '\0' '\037' <"/proc/$pid/cmdline" 2>/dev/null) == *"$want"* ]] && echo "$pid"
    done
}

# --- the store ----------------------------------------------------------------------------

# assert_integrity: SQLite finds the database sound.
assert_integrity() {
    local result
    result=$(sqlite3 "$ROOT/brix.db" 'PRAGMA integrity_check' 2>&1)
    [[ $result == ok ]] || fail "PRAGMA integrity_check: $result"
    ok
}

# assert_store_usable TAG: a write and a read on the root succeed (on the embedded engine).
assert_store_usable() {
    local tag=$1
    env -u DATABRICKS_HOST -u DATABRICKS_TOKEN "$BRIX" fs put "dbfs:/usable/$tag" "usable $tag" --overwrite >"$E2E_TMP/usable.out" 2>&1 ||
        fail "the store refuses a write after $tag: $(cat "$E2E_TMP/usable.out")"
    local got
    got=$(env -u DATABRICKS_HOST -u DATABRICKS_TOKEN "$BRIX" fs cat "dbfs:/usable/$tag" 2>&1) || fail "the store refuses a read after $tag: $got"
    [[ $got == "usable $tag" ]] || fail "read back [$got] after $tag"
    env -u DATABRICKS_HOST -u DATABRICKS_TOKEN "$BRIX" workspace mkdirs "/Shared/usable/$tag" >"$E2E_TMP/usable.out" 2>&1 ||
        fail "the store refuses a metadata write after $tag: $(cat "$E2E_TMP/usable.out")"
    ok
}

# rand_below N: a random integer in [0, N).
rand_below() { echo $(((RANDOM * 32768 + RANDOM) % $1)); }

# sleep_ms MS
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# json_get FILE EXPR: a Python expression on the JSON in FILE (as d); strings bare.
json_get() {
    python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))
PY
}
