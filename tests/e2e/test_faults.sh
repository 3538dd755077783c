#!/usr/bin/env bash
# brix's remote client against a proxy that injects faults in front of `brix serve`: it retries
# 429 (honouring Retry-After), 503, dropped connections and stalls; never starts a run twice; and
# gives up with a clear error and exit 1 once its retry budget is spent.
set -uo pipefail
BRIX=${BRIX:-$(cd "$(dirname "$0")/../.." && pwd)/build/brix}
proxy_py="$(cd "$(dirname "$0")/../faults" && pwd)/fault_proxy.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/brix-faults.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...: the command must succeed
    local name=$1
    shift
    if "$@" >/dev/null; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name" >&2; fi
}

"$BRIX" serve --root "$work/root" --port 0 --token-file "$work/token" > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q Listening "$work/serve.log" 2>/dev/null && break; sleep 0.05; done
upstream=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
echo '[]' > "$work/rules.json"
python3 "$proxy_py" "$upstream" "$work/rules.json" "$work/requests.log" > "$work/proxy.url" &
pids+=($!)
for _ in $(seq 100); do [[ -s $work/proxy.url ]] && break; sleep 0.05; done

export DATABRICKS_HOST=$(cat "$work/proxy.url") DATABRICKS_TOKEN=$(cat "$work/token") DATABRICKS_CONFIG_FILE=/dev/null
rules() { echo "$1" > "$work/rules.json"; : > "$work/requests.log"; }
count() { grep -c "\"path\": \"$1\"" "$work/requests.log"; }

rules '[{"path": "/api/2.0/workspace/list", "fault": "429"}]'
start=$(date +%s%N)
out=$("$BRIX" workspace ls / 2>&1)
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
check "429 is retried" [ "$out" = "$(printf 'Repos\nShared\nUsers')" ]
check "429 twice on the wire" [ "$(count /api/2.0/workspace/list)" = 2 ]
check "Retry-After honoured ($elapsed ms)" [ "$elapsed" -ge 1000 ]

rules '[{"path": "/api/2.0/workspace/mkdirs", "fault": "503", "times": 2}]'
check "503 is retried" "$BRIX" workspace mkdirs /Shared/faults
check "503 three times on the wire" [ "$(count /api/2.0/workspace/mkdirs)" = 3 ]

rules '[{"path": "/api/2.0/workspace/get-status", "fault": "drop"}]'
check "a dropped connection is retried" "$BRIX" workspace get-status /Shared/faults

rules '[{"path": "/api/2.0/workspace/get-status", "fault": "stall", "seconds": 4}]'
check "a stalled answer times out and is retried" env DATABRICKS_HTTP_TIMEOUT_SECONDS=1 "$BRIX" workspace get-status /Shared

printf 'print("ran")\n' > "$work/job.py"
"$BRIX" workspace import "$work/job.py" /Shared/faults/job.py >/dev/null
job=$("$BRIX" jobs create --json '{"name":"once","tasks":[{"task_key":"t","spark_python_task":{"python_file":"/Shared/faults/job.py"}}]}' -o json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
rules '[{"path": "/api/2.2/jobs/run-now", "fault": "drop_after_forward"}]'
check "run-now survives a lost answer" "$BRIX" jobs run-now "$job" --no-wait
check "run-now was sent twice" [ "$(count /api/2.2/jobs/run-now)" = 2 ]
runs=$(DATABRICKS_HOST=$upstream "$BRIX" runs list --job-id "$job" -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check "exactly one run started ($runs)" [ "$runs" = 1 ]

rules '[{"path": "/api/2.0/workspace/list", "fault": "503", "times": 1000}]'
start=$(date +%s)
err=$(DATABRICKS_RETRY_TIMEOUT_SECONDS=3 "$BRIX" workspace ls / 2>&1 >/dev/null)
status=$?
check "gives up with exit 1 (got $status)" [ "$status" = 1 ]
check "gives up with a clear error: $err" grep -q "^Error: injected 503" <<< "$err"
check "within its budget" [ $(( $(date +%s) - start )) -le 8 ]

rules '[]'
kill "${pids[1]}" 2>/dev/null
wait "${pids[1]}" 2>/dev/null
err=$("$BRIX" workspace ls / 2>&1)
status=$?
check "an unreachable host ends with exit 1 (got $status)" [ "$status" = 1 ]
check "and says so: $err" grep -q "cannot reach" <<< "$err"

echo "faults: $passed passed, $failed failed"
[ "$failed" = 0 ]
