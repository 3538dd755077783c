#!/usr/bin/env bash
# `brix api get|head|post|put|patch|delete PATH [--json ...]` against the engine's routes, on the
# embedded engine and through `brix serve` (the same checks: the command never knows which
# answers): query strings in PATH, --json inline, @file and stdin (as query parameters for GET),
# the answer as JSON, raw Files API bytes both ways, --debug, and the exit codes of errors.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

step "GET with the query in PATH"
expect_ok brix api get '/api/2.0/workspace/list?path=/'
assert_json "$OUT_FILE" '"/Shared" in [o["path"] for o in d["objects"]]'

step "POST with an inline body, then the object exists"
expect_ok brix api post /api/2.0/workspace/mkdirs --json '{"path": "/Shared/made by api"}'
assert_eq "{}" "$OUT" "answer of mkdirs"
expect_ok brix workspace ls /Shared
assert_contains "$OUT" "made by api"

step "GET with --json: its fields become query parameters; a percent-encoded PATH"
expect_ok brix api get /api/2.0/workspace/get-status --json '{"path": "/Shared/made by api"}'
assert_json "$OUT_FILE" 'd["object_type"] == "DIRECTORY" and d["path"] == "/Shared/made by api"'
expect_ok brix api get '/api/2.0/workspace/get-status?path=%2FShared%2Fmade+by+api'
assert_json "$OUT_FILE" 'd["object_type"] == "DIRECTORY"'

step "--json @file and --json - (stdin); a job made through api is the job the jobs commands see"
printf 'print(1)\n' >x.py
expect_ok brix workspace import x.py /Shared/x.py
cat >job.json <<'EOF'
{"name": "made-by-api", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/x.py"}}]}
EOF
expect_ok brix api post /api/2.2/jobs/create --json @job.json
job_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$OUT_FILE")
expect_ok brix jobs get "$job_id" -o json
assert_json "$OUT_FILE" 'd["settings"]["name"] == "made-by-api"'
printf '{"job_id": %s, "new_settings": {"name": "renamed"}}' "$job_id" >update.json
expect_exit_stdin 0 update.json brix api post /api/2.2/jobs/update --json -
expect_ok brix api get "/api/2.2/jobs/get?job_id=$job_id"
assert_json "$OUT_FILE" 'd["settings"]["name"] == "renamed"'
expect_ok brix api post /api/2.0/workspace/delete --json '{"path": "/Shared/made by api"}'
expect_exit 3 brix workspace get-status "/Shared/made by api"

step "Files API: raw bytes up and down, HEAD prints the headers"
printf 'raw bytes\n' >data.bin
expect_ok brix api put /api/2.0/fs/files/Volumes/main/default/vol/data.bin --json @data.bin
expect_ok brix fs cat /Volumes/main/default/vol/data.bin
assert_eq "raw bytes" "$OUT" "uploaded bytes"
expect_ok brix api get /api/2.0/fs/files/Volumes/main/default/vol/data.bin
assert_file_eq data.bin "$OUT_FILE"
expect_ok brix api head /api/2.0/fs/files/Volumes/main/default/vol/data.bin
assert_json "$OUT_FILE" '{k.lower(): v for k, v in d.items()}.get("content-length") == "10"'
expect_ok brix api delete /api/2.0/fs/files/Volumes/main/default/vol/data.bin
expect_exit 3 brix fs cat /Volumes/main/default/vol/data.bin

step "--debug shows the request and the answer"
expect_exit 0 brix --debug api get '/api/2.0/workspace/list?path=/'
assert_contains "$ERR" "> GET /api/2.0/workspace/list?path=/"
assert_contains "$ERR" "< 200 OK"

step "errors exit as for every command"
expect_exit 3 brix api get '/api/2.0/workspace/get-status?path=/no/such/thing'
assert_contains "$ERR" "Error: "
assert_contains "$ERR" "/no/such/thing"
expect_exit 3 brix api get /api/2.0/no-such-route
assert_contains "$ERR" "No API found for 'GET /no-such-route'"
expect_exit 1 brix api post /api/2.0/workspace/mkdirs --json '{"path": "relative"}'
assert_contains "$ERR" "Error: "
expect_exit 2 brix api post /api/2.0/workspace/mkdirs --json '{not json'
assert_contains "$ERR" "invalid JSON in --json"
expect_exit 2 brix api get api/2.0/workspace/list
assert_contains "$ERR" "PATH must start with /"
expect_exit 2 brix api get
expect_exit 2 brix api fetch /api/2.0/workspace/list
assert_contains "$ERR" 'unknown command "fetch"'

if ! backend_is_local; then
    step "through brix serve, the profile's token is what authenticates"
    DATABRICKS_TOKEN=not-a-token expect_exit 4 brix api get '/api/2.0/workspace/list?path=/'
fi

finish
