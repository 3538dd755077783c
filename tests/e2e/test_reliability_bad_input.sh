#!/usr/bin/env bash
# Bad input on the REST routes and in job JSON, beyond test_bad_input.sh (which covers the CLI's
# flags and paths): the corpus bad_input_cases.tsv runs against `brix serve` (malformed, huge
# and deeply nested JSON, wrong types, invalid UTF-8, path traversal in every encoding, oversized
# fields, unknown enums, cycles in job DAGs, missing required fields); each request gets its
# documented status and error_code and leaves the store exactly as it was. Then the same
# categories through the CLI's --json, with `Error: ...` and the documented exit codes.
set -u
source "$(dirname "$0")/reliability_common.sh" || exit 1
fresh_root

CASES=$BRIX_SOURCE_DIR/tests/e2e/bad_input_cases.tsv
RUNNER=$BRIX_SOURCE_DIR/tests/reliability/rest_cases.py

step "seed the store: workspace objects, DBFS and volume files, a job with a finished run, a secret, an open upload"
seed_store_objects
expect_ok brix jobs create -o json --json '{"name": "etl", "tasks": [{"task_key": "etl", "spark_python_task": {"python_file": "/Shared/etl.py"}},
    {"task_key": "after", "depends_on": [{"task_key": "etl"}], "spark_python_task": {"python_file": "/Shared/etl.py"}}]}'
export CASE_JOB
CASE_JOB=$(json_get "$OUT_FILE" 'd["job_id"]')
expect_exit 0 brix jobs run-now "$CASE_JOB" -o json
export CASE_RUN
CASE_RUN=$(json_get "$OUT_FILE" 'd["run_id"]')
expect_ok brix secrets create-scope ci
expect_ok brix secrets put-secret ci k --string-value "value"
server_start
expect_api 200 "" POST /api/2.0/dbfs/create -d '{"path": "/data/upload.bin"}'
export CASE_HANDLE
CASE_HANDLE=$(json_get "$BODY_FILE" 'd["handle"]')

# ---------------------------------------------------------------------------------------------
step "the REST corpus: $(grep -c -v -e '^#' -e '^$' "$CASES") requests, each checked for its status, error_code and an unchanged store"
if [[ ${BRIX_CASES_PRINT:-0} == 1 ]]; then
    python3 "$RUNNER" "$SRV_URL" "$SRV_TOKEN" "$ROOT" "$CASES" --print
    finish
fi
python3 "$RUNNER" "$SRV_URL" "$SRV_TOKEN" "$ROOT" "$CASES" >"$E2E_TMP/cases.out" 2>&1 ||
    fail "REST cases failed:
$(head -c 6000 "$E2E_TMP/cases.out")"
tail -1 "$E2E_TMP/cases.out"
ok
kill -0 "$SRV_PID" 2>/dev/null || fail "brix serve died during the corpus"
ok
expect_api 200 "" GET "/api/2.0/workspace/get-status?path=/Shared/etl.py"
server_stop

# ---------------------------------------------------------------------------------------------
# rejects CODE MESSAGE cmd...: exit CODE, MESSAGE in stderr, nothing on stdout, the store unchanged
rejects() {
    local code=$1 message=$2
    shift 2
    snapshot_save before
    expect_exit "$code" "$@"
    assert_contains "$ERR" "$message" "stderr"
    [[ $ERR == Error:* ]] || fail "stderr does not start with 'Error:': $ERR"
    assert_eq "" "$OUT" "stdout"
    assert_unchanged before
}

# deep N OPEN CLOSE: OPEN N times then CLOSE N times
deep() { python3 -c 'import sys; n = int(sys.argv[1]); sys.stdout.write(sys.argv[2] * n + sys.argv[3] * n)' "$@"; }

step "job JSON through the CLI: malformed, deep, invalid UTF-8, wrong types, cycles (exit 2 inline, 1 from a file or the API)"
PYTASK='"spark_python_task": {"python_file": "/Shared/etl.py"}'
rejects 2 "Error: invalid JSON in --json" brix jobs create --json '{"name": "x", "tasks": ['
rejects 2 "Error: invalid JSON in --json" brix jobs create --json '{"name": "x",}'
rejects 2 "Error: invalid JSON in --json" brix runs submit --json "$(deep 100000 '[' '')"
rejects 2 "Error: invalid JSON in --json" brix jobs create --json "$(printf '{"name": "bad\xff"}')"
printf '{"name": "x", "tasks": [' >broken.json
rejects 1 "Error: invalid JSON in broken.json" brix jobs create --json @broken.json
deep 100000 '[' '' >deep.json
rejects 1 "Error: invalid JSON in deep.json" brix jobs create --json @deep.json
printf '{"name": "x", "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Shared/etl.py"}}], "timeout_seconds": ' >deepvalue.json
deep 100000 '[' ']' >>deepvalue.json
printf '}' >>deepvalue.json
rejects 1 "Error: invalid JSON in deepvalue.json: parse error at byte 1119: nested more than 1000 levels deep" brix jobs create --json @deepvalue.json
rejects 2 "nested more than 1000 levels deep" brix runs submit --json "{\"run_name\": \"x\", \"tasks\": [{\"task_key\": \"a\", $PYTASK}], \"timeout_seconds\": $(deep 30000 '[' ']')}"
rejects 1 "cycle" brix jobs create --json "{\"name\": \"x\", \"tasks\": [{\"task_key\": \"a\", \"depends_on\": [{\"task_key\": \"b\"}], $PYTASK}, {\"task_key\": \"b\", \"depends_on\": [{\"task_key\": \"a\"}], $PYTASK}]}"
rejects 1 "cycle" brix runs submit --json "{\"tasks\": [{\"task_key\": \"a\", \"depends_on\": [{\"task_key\": \"a\"}], $PYTASK}]}"
rejects 1 "unknown task 'ghost'" brix jobs create --json "{\"name\": \"x\", \"tasks\": [{\"task_key\": \"a\", \"depends_on\": [{\"task_key\": \"ghost\"}], $PYTASK}]}"
rejects 1 "Error: Duplicate task_key 'a'" brix jobs create --json "{\"name\": \"x\", \"tasks\": [{\"task_key\": \"a\", $PYTASK}, {\"task_key\": \"a\", $PYTASK}]}"
rejects 1 "Error: Task a: invalid run_if \"SOMETIMES\"" brix jobs create --json "{\"name\": \"x\", \"tasks\": [{\"task_key\": \"a\", \"run_if\": \"SOMETIMES\", $PYTASK}]}"
rejects 1 "Error: Task a must have exactly one task type" brix jobs create --json '{"name": "x", "tasks": [{"task_key": "a"}]}'
rejects 1 "Error: tasks must be an array" brix jobs create --json '{"name": "x", "tasks": "a"}'
rejects 2 "Error: --json must be a JSON object, not a JSON array" brix jobs create --json '[1, 2, 3]'
rejects 1 "does not exist" brix jobs create --json '{"name": "x", "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/Shared/missing.py"}}]}'
rejects 1 "leaves the root" brix jobs create --json '{"name": "x", "tasks": [{"task_key": "a", "spark_python_task": {"python_file": "/../../etc/passwd"}}]}'
rejects 1 "Error: The task dependencies form a cycle" brix jobs reset --job-id "$CASE_JOB" --json "{\"name\": \"x\", \"tasks\": [{\"task_key\": \"a\", \"depends_on\": [{\"task_key\": \"a\"}], $PYTASK}]}"
rejects 2 "Error: invalid job ID \"abc\": expected a number" brix jobs run-now --job-id abc
rejects 3 "does not exist" brix jobs run-now 999999
rejects 1 "Error: Job parameter 'nope' is not defined in the job settings" brix jobs run-now "$CASE_JOB" --json '{"job_parameters": {"nope": "1"}}'

step "paths the engine must refuse whatever the encoding (exit 1), through the CLI"
rejects 1 "Error: path is not valid UTF-8" brix workspace mkdirs "$(printf '/Shared/bad\xff')"
rejects 1 "Error: path is not valid UTF-8" brix workspace import etl.py "$(printf '/Shared/\xc0\xae\xc0\xae.py')"
rejects 1 "Error: path is not valid UTF-8" brix fs put "$(printf 'dbfs:/data/bad\xfe')" "x"
rejects 1 "Error: path is not valid UTF-8" brix fs put "/Volumes/main/default/vol/$(printf 'bad\xff')" "x"
rejects 1 "Error: path has a name longer than 255 bytes" brix fs mkdirs "dbfs:/data/$(printf 'n%.0s' {1..300})"
rejects 1 "Error: path has a name longer than 255 bytes" brix workspace mkdirs "/Shared/$(printf 'n%.0s' {1..300})"
rejects 1 "Error: path has a name longer than 255 bytes" brix fs cp etl.py "/Volumes/main/default/vol/$(printf 'n%.0s' {1..300})"
assert_integrity

finish
