# For the suites of the engine's REST areas (Unity Catalog, principals, permissions, libraries):
# `call METHOD PATH [JSON]` sends one request, the answer's body in $OUT_FILE (and $OUT), its HTTP
# status in $CODE. On the embedded engine it goes through `brix api` (the CLI's path to every
# route); through `brix serve` it goes with curl to the backend's server, so the exact statuses
# and error bodies on the wire are checked too. (A binary without `brix api` uses curl to a
# `brix serve` started on the suite's root.)
# shellcheck shell=bash

API_URL=""
API_TOKEN=""
API_SERVER=""

api_start() {
    if [[ $BRIX_E2E_BACKEND == serve ]]; then
        API_URL=$DATABRICKS_HOST
        API_TOKEN=$DATABRICKS_TOKEN
        return
    fi
    # the command exists when its own help names it (an unknown command prints the root help)
    if "$BRIX" api --help 2>/dev/null | grep -q "brix api"; then return; fi
    "$BRIX" serve --root "$ROOT" --port 0 --token-file "$E2E_TMP/api.token" >"$E2E_TMP/api-serve.log" 2>&1 &
    API_SERVER=$!
    local i
    for ((i = 0; i < 200; i++)); do
        API_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$E2E_TMP/api-serve.log" 2>/dev/null | head -1)
        [[ -n $API_URL ]] && break
        sleep 0.05
    done
    [[ -n $API_URL ]] || fail "brix serve did not start: $(cat "$E2E_TMP/api-serve.log")"
    API_TOKEN=$(cat "$E2E_TMP/api.token")
}

api_stop() {
    [[ -n $API_SERVER ]] && kill "$API_SERVER" 2>/dev/null && wait "$API_SERVER" 2>/dev/null
    API_SERVER=""
}

# call METHOD PATH [JSON]
call() {
    local method=$1 path=$2 body=${3:-}
    OUT_FILE=$E2E_TMP/call.out
    ERR_FILE=$E2E_TMP/call.err
    LAST_CMD="$method $path $body"
    if [[ -z $API_URL ]]; then
        local args=("$BRIX" api "$(tr '[:upper:]' '[:lower:]' <<<"$method")" "$path")
        [[ -n $body ]] && args+=(--json "$body")
        "${args[@]}" >"$OUT_FILE" 2>"$ERR_FILE"
        RC=$?
        # brix api prints the answer, or the error on stderr with the exit code of its status:
        # 3 for 404, 4 for 401/403, 1 for the other failures (docs/exit-codes.md)
        case $RC in 0) CODE=200 ;; 3) CODE=404 ;; 4) CODE=403 ;; 1) CODE=4xx ;; *) CODE="exit $RC" ;; esac
    else
        local data=()
        [[ -n $body ]] && data=(-H 'Content-Type: application/json' --data-binary "$body")
        CODE=$(curl -s -o "$OUT_FILE" -w '%{http_code}' --max-time 30 -X "$method" \
            -H "Authorization: Bearer $API_TOKEN" "${data[@]}" "$API_URL$path")
        RC=0
        : >"$ERR_FILE"
    fi
    OUT=$(cat "$OUT_FILE")
    ERR=$(cat "$ERR_FILE")
}

# expect_call STATUS METHOD PATH [JSON]: the answer must have the status. Through `brix api` the
# status shows as the exit code: 0 for 200, 3 for 404, 1 for the other 4xx (the error_code and
# message are checked by assert_error).
expect_call() {
    local want=$1
    shift
    call "$@"
    if [[ -z $API_URL && $want == 4?? && $want != 404 && $want != 401 && $want != 403 ]]; then
        [[ $CODE == 4xx ]] || fail "expected HTTP $want (exit code 1), got $CODE"
    else
        [[ $CODE == "$want" ]] || fail "expected HTTP $want, got $CODE"
    fi
    ok
}

# assert_error CODE [MESSAGE]: the last answer's error_code (with curl) and message.
assert_error() {
    local code=$1 message=${2:-}
    if [[ -n $API_URL ]]; then
        assert_json "$OUT_FILE" 'd["error_code"] == "'"$code"'"'
        [[ -z $message ]] || assert_contains "$(cat "$OUT_FILE")" "$message"
    else
        [[ -z $message ]] || assert_contains "$ERR" "$message"
    fi
}
