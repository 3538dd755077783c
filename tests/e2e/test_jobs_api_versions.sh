#!/usr/bin/env bash
# Jobs API versions on the wire, as the legacy CLI (2.0) and the SDKs (2.1, 2.2) send them: a 2.0
# single-task job answers in the 2.0 shape on 2.0 routes (settings with the task's fields at the
# top, runs with a top-level task and cluster_spec) and with tasks[] on 2.1 and 2.2; a 2.0
# document sent to 2.1 or 2.2 is refused, naming the fields and the fix, and nothing is stored.
# brix's own client converts 2.0 documents before it sends them, so this suite speaks HTTP; the
# embedded engine's side of the same rules is in tests/unit/engine_contract_test.cpp.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/jobs_lib.sh" || exit 1
fresh_root

if backend_is_local; then
    skip "the 2.0 routes are reached over HTTP: this suite runs on the serve backend"
    finish
fi

# http METHOD PATH [JSON]: a request as a non-brix client sends it; the answer in $OUT_FILE
# (and $OUT), its status in $STATUS.
http() {
    local args=(-sS -o "$E2E_TMP/answer.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $DATABRICKS_TOKEN")
    [[ $# -ge 3 ]] && args+=(-H "Content-Type: application/json" --data-binary "$3")
    run curl "${args[@]}" "$DATABRICKS_HOST$2"
    STATUS=$OUT
    OUT_FILE=$E2E_TMP/answer.json
    OUT=$(cat "$OUT_FILE")
}

printf 'import sys\nprint("rows", sys.argv[1:])\n' >etl.py
expect_ok brix workspace import etl.py /Shared/etl.py
SINGLE='{"name": "nightly", "new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": 2}, "max_retries": 1,
         "spark_python_task": {"python_file": "/Shared/etl.py", "parameters": ["--rows", "42"]}}'

# ---------------------------------------------------------------------------------------------
step "a 2.0 single-task job: the 2.0 shape on /api/2.0, tasks[] on /api/2.1 and /api/2.2"
http POST /api/2.0/jobs/create "$SINGLE"
assert_eq 200 "$STATUS" "create"
JOB=$(jv "$OUT_FILE" 'd["job_id"]')
http GET "/api/2.0/jobs/get?job_id=$JOB"
assert_json "$OUT_FILE" '"tasks" not in d["settings"] and d["settings"]["spark_python_task"]["parameters"] == ["--rows", "42"] and d["settings"]["new_cluster"]["num_workers"] == 2 and d["settings"]["max_retries"] == 1 and d["settings"]["format"] == "SINGLE_TASK"'
# the recording the contract check validates: one line per exchange, as docs/contract-check.md says
tail -1 "$CONTRACT_RECORDS" >"$E2E_TMP/record.json"
assert_json "$E2E_TMP/record.json" 'd == {"method": "GET", "path": "/api/2.0/jobs/get", "query": {"job_id": "'"$JOB"'"}, "user_agent": d["user_agent"], "content_type": "", "body": None, "status": 200, "response_content_type": "application/json", "response": d["response"]} and d["user_agent"].startswith("curl/") and d["response"]["job_id"] == '"$JOB"
http POST /api/2.2/jobs/create "$SINGLE"
tail -1 "$CONTRACT_RECORDS" >"$E2E_TMP/record.json"
assert_json "$E2E_TMP/record.json" 'd["body"]["spark_python_task"]["parameters"] == ["--rows", "42"] and d["content_type"] == "application/json" and d["status"] == 400 and d["response"]["error_code"] == "INVALID_PARAMETER_VALUE"'
http GET "/api/2.0/jobs/list"
assert_json "$OUT_FILE" 'd["jobs"][0]["settings"]["spark_python_task"]["python_file"] == "/Shared/etl.py"'
for version in 2.1 2.2; do
    http GET "/api/$version/jobs/get?job_id=$JOB"
    assert_json "$OUT_FILE" 'len(d["settings"]["tasks"]) == 1 and d["settings"]["tasks"][0]["new_cluster"]["num_workers"] == 2 and "spark_python_task" not in d["settings"] and "new_cluster" not in d["settings"]'
done

step "its runs: a top-level task and cluster_spec on /api/2.0, tasks[] on /api/2.2"
http POST /api/2.0/jobs/run-now "{\"job_id\": $JOB, \"python_params\": [\"--rows\", \"7\"]}"
assert_eq 200 "$STATUS" "run-now"
RUN=$(jv "$OUT_FILE" 'd["run_id"]')
wait_done "$RUN" 60
http GET "/api/2.0/jobs/runs/get?run_id=$RUN"
assert_json "$OUT_FILE" 'd["state"]["result_state"] == "SUCCESS" and "tasks" not in d and d["task"] == {"spark_python_task": {"python_file": "/Shared/etl.py", "parameters": ["--rows", "42"]}} and d["cluster_spec"] == {"new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": 2}} and d["execution_duration"] > 0'
http GET "/api/2.0/jobs/runs/list?job_id=$JOB"
assert_json "$OUT_FILE" 'd["runs"][0]["run_id"] == '"$RUN"' and "task" in d["runs"][0] and "cluster_spec" in d["runs"][0] and "tasks" not in d["runs"][0]'
http GET "/api/2.0/jobs/runs/get-output?run_id=$RUN"
assert_json "$OUT_FILE" 'd["logs"] == "rows [\x27--rows\x27, \x277\x27]\n" and d["metadata"]["run_id"] == '"$RUN"' and "task" in d["metadata"]'
http GET "/api/2.2/jobs/runs/get?run_id=$RUN"
assert_json "$OUT_FILE" 'len(d["tasks"]) == 1 and d["tasks"][0]["spark_python_task"]["python_file"] == "/Shared/etl.py" and "task" not in d and "cluster_spec" not in d'

step "a 2.0 document on 2.1 or 2.2 is refused, naming the fields and the fix; nothing is stored"
for version in 2.1 2.2; do
    http POST "/api/$version/jobs/create" "$SINGLE"
    assert_eq 400 "$STATUS" "create on $version"
    assert_json "$OUT_FILE" 'd["error_code"] == "INVALID_PARAMETER_VALUE" and d["message"].startswith("Jobs API 2.1 and 2.2 take tasks only inside tasks[]: new_cluster, max_retries, spark_python_task are fields of the Jobs API 2.0 single-task format. Move them into a task of tasks (with a task_key), or send the document to /api/2.0/jobs/")'
done
http GET /api/2.2/jobs/list
assert_json "$OUT_FILE" '[j["job_id"] for j in d["jobs"]] == ['"$JOB"']'
http POST /api/2.2/jobs/reset "{\"job_id\": $JOB, \"new_settings\": $SINGLE}"
assert_eq 400 "$STATUS" "reset"
assert_contains "$OUT" "new_settings.new_cluster, new_settings.max_retries, new_settings.spark_python_task are fields"
http POST /api/2.2/jobs/update "{\"job_id\": $JOB, \"new_settings\": {\"spark_python_task\": {\"python_file\": \"/Shared/other.py\"}}}"
assert_eq 400 "$STATUS" "update"
http GET "/api/2.0/jobs/get?job_id=$JOB"
assert_json "$OUT_FILE" 'd["settings"]["spark_python_task"]["python_file"] == "/Shared/etl.py"'
http POST /api/2.2/jobs/runs/submit '{"run_name": "once", "new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": 1}, "spark_python_task": {"python_file": "/Shared/etl.py"}}'
assert_eq 400 "$STATUS" "submit"
assert_contains "$OUT" "new_cluster, spark_python_task are fields of the Jobs API 2.0 single-task format"
http GET /api/2.2/jobs/runs/list
assert_json "$OUT_FILE" '[r["run_id"] for r in d["runs"]] == ['"$RUN"']'

step "2.0 runs/submit and update keep working on the 2.0 routes"
http POST /api/2.0/jobs/update "{\"job_id\": $JOB, \"new_settings\": {\"new_cluster\": {\"spark_version\": \"15.4.x-scala2.12\", \"num_workers\": 4}}}"
assert_eq 200 "$STATUS" "2.0 update"
http GET "/api/2.2/jobs/get?job_id=$JOB"
assert_json "$OUT_FILE" 'd["settings"]["tasks"][0]["new_cluster"]["num_workers"] == 4 and "new_cluster" not in d["settings"]'
http POST /api/2.0/jobs/runs/submit '{"run_name": "once", "new_cluster": {"spark_version": "15.4.x-scala2.12", "num_workers": 1}, "spark_python_task": {"python_file": "/Shared/etl.py", "parameters": ["once"]}}'
assert_eq 200 "$STATUS" "2.0 submit"
ONCE=$(jv "$OUT_FILE" 'd["run_id"]')
wait_done "$ONCE" 60
http GET "/api/2.0/jobs/runs/get?run_id=$ONCE"
assert_json "$OUT_FILE" 'd["state"]["result_state"] == "SUCCESS" and d["run_type"] == "SUBMIT_RUN" and d["task"]["spark_python_task"]["parameters"] == ["once"]'

finish
