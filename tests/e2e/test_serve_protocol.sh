#!/usr/bin/env bash
# `brix serve` is liberal in what it accepts, as Databricks is, and keeps HTTP/1.1 framing right
# while doing so: GET parameters in a JSON body (also on a reused keep-alive connection),
# `Content-Type: text/json`, IDs as strings, `dbfs:` prefixes, multipart `dbfs/put` with
# `overwrite` as True/False, percent-encoded paths, and 413 for an oversized body.
set -uo pipefail
source "$(dirname "$0")/own_server.sh" || exit 1
own_server_start protocol
contains() { grep -qF -- "$2" <<< "$1"; }

auth=(-H "Authorization: Bearer $token")
api() { curl -s --max-time 20 "${auth[@]}" "$@"; }

api -X POST "$url/api/2.0/workspace/mkdirs" -d '{"path": "/Shared/etl"}' >/dev/null

# GET parameters in a JSON body, and the next request on the same connection still parses.
out=$(api -X GET -H 'Content-Type: application/json' -d '{"path": "/Shared/etl"}' "$url/api/2.0/workspace/get-status")
check "GET with a JSON body reads its parameters" contains "$out" '"object_type":"DIRECTORY"'
out=$(api -X GET -d '{"path": "/Shared"}' "$url/api/2.0/workspace/list" \
      --next "${auth[@]}" -w '\n%{num_connects}' "$url/api/2.0/workspace/get-status?path=/Shared")
check "a GET body does not leak into the next request" contains "$out" '"path":"/Shared/etl"'
check "the next request answers on the same connection" contains "$(tail -1 <<< "$out")" 0
check "the query string wins over the body" contains \
    "$(api -X GET -d '{"path": "/nope"}' "$url/api/2.0/workspace/get-status?path=/Shared")" '"path":"/Shared"'
out=$(api -X GET -H 'Transfer-Encoding: chunked' -d '{"path": "/Shared/etl"}' "$url/api/2.0/workspace/get-status")
check "a chunked GET body is read too" contains "$out" '"object_type":"DIRECTORY"'

# A client cannot forge the marker that turns a POST into a GET.
out=$(api -X POST -H 'X-Brix-Method: GET' -d '{"path": "/Shared/forged"}' "$url/api/2.0/workspace/mkdirs")
check "a forged method marker is ignored" contains "$(api "$url/api/2.0/workspace/get-status?path=/Shared/forged")" DIRECTORY

# text/json, string IDs.
job=$(api -X POST -H 'Content-Type: text/json' -d '{"name": "liberal", "tasks": [{"task_key": "t", "condition_task": {"op": "EQUAL_TO", "left": "1", "right": "1"}}]}' \
      "$url/api/2.1/jobs/create" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
check "text/json creates a job" [ -n "$job" ]
check "a string job_id in a GET body" contains "$(api -X GET -d "{\"job_id\": \"$job\"}" "$url/api/2.1/jobs/get")" '"name":"liberal"'
check "a string job_id in a POST body" [ "$(api -o /dev/null -w '%{http_code}' -X POST -d "{\"job_id\": \"$job\"}" "$url/api/2.1/jobs/delete")" = 200 ]
check "the job is gone" contains "$(api "$url/api/2.1/jobs/get?job_id=$job")" RESOURCE_DOES_NOT_EXIST

# Multipart dbfs/put with overwrite as True/False, dbfs: prefixes, %2F in paths.
printf 'one' > "$work/one.txt"
printf 'two' > "$work/two.txt"
check "multipart put" [ "$(api -o /dev/null -w '%{http_code}' -F path=dbfs:/landing/a.txt -F overwrite=False -F "contents=@$work/one.txt" "$url/api/2.0/dbfs/put")" = 200 ]
check "multipart put refuses to overwrite with False" [ "$(api -o /dev/null -w '%{http_code}' -F path=/landing/a.txt -F overwrite=False -F "contents=@$work/two.txt" "$url/api/2.0/dbfs/put")" = 400 ]
check "multipart put overwrites with True" [ "$(api -o /dev/null -w '%{http_code}' -F path=/landing/a.txt -F overwrite=True -F "contents=@$work/two.txt" "$url/api/2.0/dbfs/put")" = 200 ]
check "dbfs: prefix in a query" contains "$(api "$url/api/2.0/dbfs/get-status?path=dbfs:/landing/a.txt")" '"file_size":3'
check "%2F-encoded path" contains "$(api "$url/api/2.0/dbfs/get-status?path=%2Flanding%2Fa.txt")" '"file_size":3'
check "dbfs read gives the new bytes" contains "$(api "$url/api/2.0/dbfs/read?path=/landing/a.txt")" '"data":"dHdv"'

# An oversized JSON body is refused with 413 and the connection's framing survives.
python3 -c 'print("{\"path\": \"/x\", \"pad\": \"" + "a" * (65 << 20) + "\"}")' > "$work/big.json"
check "an oversized body gets 413" [ "$(api -o /dev/null -w '%{http_code}' -X POST --data-binary "@$work/big.json" "$url/api/2.0/workspace/mkdirs")" = 413 ]
check "the server still answers" [ "$(api -o /dev/null -w '%{http_code}' "$url/api/2.0/workspace/list?path=/")" = 200 ]

check_summary "serve protocol"
