#!/usr/bin/env bash
# brix's remote client against a proxy that injects faults in front of `brix serve`: it retries
# 429 (honouring Retry-After), 503, dropped connections and stalls; never starts a run twice; never
# resends a request that creates something once it may have reached the server (it says how to
# check instead); and gives up with a clear error and exit 1 once its retry budget is spent.
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

export DATABRICKS_HOST=$(cat "$work/proxy.url") DATABRICKS_TOKEN=$(cat "$work/token") DATABRICKS_CONFIG_FILE=$work/no-config
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

# A lost answer to a request that creates something: not sent again (a second job, token, cluster
# or scope), but reported with the command that shows what happened.
lost="Error: the connection was lost after the request was sent; it may have been applied — check with"
jobs_named() { DATABRICKS_HOST=$upstream "$BRIX" jobs list --name "$1" -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
rules '[{"path": "/api/2.2/jobs/create", "fault": "drop_after_forward"}]'
err=$("$BRIX" jobs create --json '{"name": "lost-answer", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/faults/job.py"}}]}' 2>&1 >/dev/null)
status=$?
check "jobs create with a lost answer exits 1 (got $status)" [ "$status" = 1 ]
check "and says how to check: $err" [ "$err" = "$lost brix jobs list --name lost-answer" ]
check "jobs/create was sent once" [ "$(count /api/2.2/jobs/create)" = 1 ]
check "exactly one job was created" [ "$(jobs_named lost-answer)" = 1 ]
rules '[{"path": "/api/2.2/jobs/create", "fault": "drop"}]'
err=$("$BRIX" jobs create --json '{"name": "never-arrived", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/faults/job.py"}}]}' 2>&1 >/dev/null)
check "a connection dropped before an answer cannot be told from a lost answer: not resent either" [ "$(count /api/2.2/jobs/create)" = 1 ]
check "and reported the same way: $err" [ "$err" = "$lost brix jobs list --name never-arrived" ]
check "no job was created" [ "$(jobs_named never-arrived)" = 0 ]
tokens_before=$(DATABRICKS_HOST=$upstream "$BRIX" tokens list -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
rules '[{"path": "/api/2.0/token/create", "fault": "drop_after_forward"}]'
err=$("$BRIX" tokens create --comment lost --lifetime-seconds 600 2>&1 >/dev/null)
check "tokens create with a lost answer: $err" [ "$err" = "$lost brix tokens list" ]
tokens_after=$(DATABRICKS_HOST=$upstream "$BRIX" tokens list -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check "one token more, not two ($tokens_before -> $tokens_after)" [ "$tokens_after" = $((tokens_before + 1)) ]
rules '[{"path": "/api/2.0/secrets/scopes/create", "fault": "drop_after_forward"}]'
err=$("$BRIX" secrets create-scope lost-scope 2>&1 >/dev/null)
check "secrets create-scope with a lost answer: $err" [ "$err" = "$lost brix secrets list-scopes" ]
check "secrets/scopes/create was sent once" [ "$(count /api/2.0/secrets/scopes/create)" = 1 ]
check "the scope exists" grep -q lost-scope <<<"$(DATABRICKS_HOST=$upstream "$BRIX" secrets list-scopes)"
rules '[{"path": "/api/2.1/clusters/create", "fault": "drop_after_forward"}]'
err=$("$BRIX" clusters create 15.4.x-scala2.12 --cluster-name lost-cluster --no-wait 2>&1 >/dev/null)
check "clusters create with a lost answer: $err" [ "$err" = "$lost brix clusters list" ]
clusters=$(DATABRICKS_HOST=$upstream "$BRIX" clusters list -o json | python3 -c 'import json,sys; print(sum(c["cluster_name"] == "lost-cluster" for c in json.load(sys.stdin)))')
check "exactly one cluster was created ($clusters)" [ "$clusters" = 1 ]
# The server turning a request away (429, 503) is no lost answer: a creation is retried then.
rules '[{"path": "/api/2.2/jobs/create", "fault": "503"}]'
check "jobs create is retried after a 503" "$BRIX" jobs create --json '{"name": "after-503", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/faults/job.py"}}]}'
check "jobs/create twice on the wire" [ "$(count /api/2.2/jobs/create)" = 2 ]
check "one job" [ "$(jobs_named after-503)" = 1 ]
# A state-setting request is resent after a lost answer: sending it twice does what once does.
rules '[{"path": "/api/2.0/workspace/mkdirs", "fault": "drop_after_forward"}]'
check "mkdirs survives a lost answer" "$BRIX" workspace mkdirs /Shared/faults/again
check "mkdirs was sent twice" [ "$(count /api/2.0/workspace/mkdirs)" = 2 ]

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
