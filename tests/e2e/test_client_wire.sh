#!/usr/bin/env bash
# What brix's remote client puts on the wire, byte for byte, checked against a scripted server
# on loopback (tests/wire/wire_server.py) that records every request: Jobs API 2.0 documents
# converted before they reach /api/2.2 (and valid for the contract check), the User-Agent, the
# exact dbfs/put, repos delete and Files API download requests, `clusters edit` sending the
# whole spec, and pagers that stop with an error on a server that would keep them paging forever.
# Runs once: the server here is the workspace, whichever backend the other suites use.
set -uo pipefail
SOURCE_DIR=${BRIX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BRIX=${BRIX:-$SOURCE_DIR/build/brix}
work=$(mktemp -d "${TMPDIR:-/tmp}/brix-wire.XXXXXX")
server=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...: the command must succeed
    local name=$1
    shift
    if "$@" >/dev/null; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name" >&2
        echo "  last command: exit $rc, stdout [$(head -c 600 "$work/out")], stderr [$(head -c 600 "$work/err")]" >&2
        python3 -c 'import json,sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print("  recorded:", r["method"], r["path"], r["raw_query"], json.dumps(r["body"])[:300])' "$work/records.jsonl" >&2
    fi
}
# run COMMAND...: a fresh record of what it sends; stdout in $work/out, stderr in $work/err, status
# in $rc, bounded so a pager that never ends fails the check (exit 124) instead of hanging the suite.
run() {
    : >"$work/records.jsonl"
    timeout 60 "$@" >"$work/out" 2>"$work/err" </dev/null
    rc=$?
}
# rules JSON: the server's answers (wire_server.py).
rules() { printf '%s' "$1" >"$work/rules.json"; }
# recorded EXPR: a Python expression over R (the records, in order), e.g. 'len(R) == 1'.
recorded() {
    python3 - "$work/records.jsonl" "$1" <<'EOF'
import json, sys
R = [json.loads(line) for line in open(sys.argv[1])]
sys.exit(0 if eval("(" + sys.argv[2].strip() + ")", {"R": R, "json": json}) else 1)
EOF
}
error_is() { [[ $(cat "$work/err") == "Error: $1" ]]; }

mkdir -p "$work/home" "$work/files"
echo '[]' >"$work/rules.json"
python3 "$SOURCE_DIR/tests/wire/wire_server.py" "$work/rules.json" "$work/records.jsonl" >"$work/url" &
server=$!
for _ in $(seq 200); do [[ -s $work/url ]] && break; sleep 0.05; done
url=$(cat "$work/url")
[[ -n $url ]] || { echo "the wire server did not start" >&2; exit 1; }
for var in $(compgen -e); do case $var in DATABRICKS_* | BRIX_* | GITHUB_ACTIONS | GITLAB_CI | CI | TF_BUILD | JENKINS_URL) unset "$var" ;; esac; done
export HOME=$work/home DATABRICKS_HOST=$url DATABRICKS_TOKEN=dapi-wire DATABRICKS_CONFIG_FILE=$work/home/no-config
cd "$work/files" || exit 1
version=$("$BRIX" --version | sed 's/^brix //')

# --- Jobs API 2.0 documents ---------------------------------------------------------------------
# The seeds' job as a 2.0 client writes it: the very file test_jobs.sh creates and runs.
sed -n "/^cat >etl_job.json <<'EOF'$/,/^EOF$/p" "$SOURCE_DIR/tests/e2e/test_jobs.sh" | sed '1d;$d' >etl_job.json
check "the seed job is found in test_jobs.sh" python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(0 if "new_cluster" in d and "tasks" not in d else 1)' etl_job.json
rules '[{"method": "POST", "path": "/api/2.2/jobs/create", "answers": [{"body": {"job_id": 11}}]},
        {"method": "POST", "path": "/api/2.2/jobs/runs/submit", "answers": [{"body": {"run_id": 12}}]}]'
run "$BRIX" jobs create --json @etl_job.json
check "jobs create of the seed job succeeds ($rc)" [ "$rc" = 0 ]
check "the seed job arrives as one task with its cluster and script" recorded 'len(R) == 1 and R[0]["path"] == "/api/2.2/jobs/create" and R[0]["body"] == {
    "name": "nightly-etl",
    "tasks": [{"task_key": "nightly-etl",
               "new_cluster": {"spark_version": "13.3.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2},
               "spark_python_task": {"python_file": "/Shared/etl/etl.py", "parameters": ["--source", "s3://raw/events", "--rows", "42"]}}]}'
cp "$work/records.jsonl" "$work/seed-create.jsonl"
cat >reset.json <<'EOF'
{"job_id": 11, "new_settings": {"name": "nightly-etl", "existing_cluster_id": "0923-164208-meows279",
 "notebook_task": {"notebook_path": "/Shared/etl/report"}, "libraries": [{"pypi": {"package": "requests"}}],
 "max_retries": 1, "min_retry_interval_millis": 500, "retry_on_timeout": false, "timeout_seconds": 900,
 "email_notifications": {"on_failure": ["ops@example.com"]}}}
EOF
run "$BRIX" jobs reset --json-file reset.json
check "jobs reset of a 2.0 document succeeds ($rc)" [ "$rc" = 0 ]
check "reset: the task holds cluster, libraries, retries and timeout; notifications stay with the job" recorded '
    (lambda b: len(R) == 1 and b["job_id"] == 11 and sorted(b["new_settings"]) == ["email_notifications", "name", "tasks"]
     and b["new_settings"]["tasks"][0] == {"task_key": "nightly-etl", "existing_cluster_id": "0923-164208-meows279",
         "notebook_task": {"notebook_path": "/Shared/etl/report"}, "libraries": [{"pypi": {"package": "requests"}}],
         "max_retries": 1, "min_retry_interval_millis": 500, "retry_on_timeout": False, "timeout_seconds": 900})(R[0]["body"])'
cp "$work/records.jsonl" "$work/seed-reset.jsonl"
run "$BRIX" runs submit --no-wait --json '{"run_name": "adhoc", "new_cluster": {"spark_version": "13.3.x-scala2.12", "num_workers": 1}, "spark_python_task": {"python_file": "/Shared/etl/etl.py"}}'
check "runs submit of a 2.0 document succeeds ($rc)" [ "$rc" = 0 ]
check "submit: one task named after the run, with an idempotency token" recorded '
    (lambda b: b["run_name"] == "adhoc" and "new_cluster" not in b and b["tasks"] == [{"task_key": "adhoc",
        "new_cluster": {"spark_version": "13.3.x-scala2.12", "num_workers": 1}, "spark_python_task": {"python_file": "/Shared/etl/etl.py"}}]
     and len(b["idempotency_token"]) > 0)(R[0]["body"])'
cp "$work/records.jsonl" "$work/seed-submit.jsonl"
check "the recorded create, reset and submit validate against the API schema" \
    python3 "$SOURCE_DIR/tests/contract/validate.py" "$work/seed-create.jsonl" "$work/seed-reset.jsonl" "$work/seed-submit.jsonl"
run "$BRIX" jobs create --json '{"name": "mixed", "new_cluster": {"spark_version": "x"}, "tasks": [{"task_key": "t"}]}'
check "a document mixing both formats is refused before sending (exit $rc)" [ "$rc" = 2 ]
check "and says which fields to move" grep -q 'the task fields of the Jobs API 2.0 format (new_cluster): move them into a task' "$work/err"
check "nothing was sent" recorded 'len(R) == 0'

# --- User-Agent ---------------------------------------------------------------------------------
rules '[{"method": "GET", "path": "/api/2.2/jobs/get", "answers": [{"body": {"job_id": 5, "settings": {"name": "n"}}}]}]'
run "$BRIX" jobs get 5
check "User-Agent: product, os, auth, command" recorded 'R[0]["user_agent"] == "brix/'"$version"' os/linux auth/pat cmd/jobs_get"'
rules '[]'
run env GITHUB_ACTIONS=true "$BRIX" runs get --run-id 3
check "User-Agent of a legacy verb in GitHub Actions" recorded 'R[0]["user_agent"] == "brix/'"$version"' os/linux auth/pat cmd/runs_get cicd/github"'
rules '[{"method": "POST", "path": "/oidc/v1/token", "answers": [{"body": {"access_token": "at", "token_type": "Bearer", "expires_in": 3600}}]}]'
run env -u DATABRICKS_TOKEN DATABRICKS_CLIENT_ID=sp DATABRICKS_CLIENT_SECRET=secret "$BRIX" workspace ls /Shared
check "User-Agent with OAuth M2M, on the token request and the call" recorded '[r["user_agent"] for r in R] == ["brix/'"$version"' os/linux auth/oauth-m2m cmd/workspace_ls"] * 2 and R[1]["headers"]["authorization"] == "Bearer at"'
rules '[]'
run env -u DATABRICKS_TOKEN DATABRICKS_USERNAME=u DATABRICKS_PASSWORD=p "$BRIX" secrets list-scopes
check "User-Agent with basic auth" recorded 'R[0]["user_agent"] == "brix/'"$version"' os/linux auth/basic cmd/secrets_list-scopes"'

# --- exactly what the API defines ---------------------------------------------------------------
rules '[{"method": "GET", "path": "/api/2.0/dbfs/get-status", "answers": [{"status": 404, "body": {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no"}}]}]'
printf 'some bytes\n' >up.txt
run "$BRIX" fs cp up.txt dbfs:/landing/up.txt --overwrite
check "fs cp to DBFS succeeds ($rc)" [ "$rc" = 0 ]
check "the multipart dbfs/put has no query string: path and overwrite are form fields only" recorded '
    (lambda r: r["method"] == "POST" and r["raw_query"] == "" and r["content_type"].startswith("multipart/form-data; boundary=")
     and "name=\"path\"\r\n\r\n/landing/up.txt\r\n" in r["body_text"] and "name=\"overwrite\"\r\n\r\ntrue\r\n" in r["body_text"]
     and "some bytes\n" in r["body_text"])([r for r in R if r["path"] == "/api/2.0/dbfs/put"][0])'
rules '[]'
run "$BRIX" repos delete --repo-id 42
check "repos delete succeeds ($rc)" [ "$rc" = 0 ]
check "DELETE /api/2.0/repos/42 carries no body and no Content-Type" recorded '
    [(r["method"], r["path"], r["body_text"], "content-type" in r["headers"]) for r in R] == [("DELETE", "/api/2.0/repos/42", "", False)]'
rules '[{"method": "HEAD", "path": "/api/2.0/fs/files/Volumes/main/default/vol/f.txt", "answers": [{"raw": "", "headers": {"Content-Length": "6"}}]},
        {"method": "GET", "path": "/api/2.0/fs/files/Volumes/main/default/vol/f.txt", "answers": [{"raw": "hello\n"}]}]'
run "$BRIX" fs cat /Volumes/main/default/vol/f.txt
check "a volume file is read ($rc)" [ "$(cat "$work/out")" = hello ]
check "the Files API download asks for application/octet-stream" recorded '
    [r["headers"]["accept"] for r in R if r["method"] == "GET"] == ["application/octet-stream"]'

# --- clusters edit sends the whole spec ---------------------------------------------------------
cluster_get='{"cluster_id": "0923-1", "state": "TERMINATED", "cluster_name": "etl", "spark_version": "15.4.x-scala2.12",
  "num_workers": 1, "node_type_id": "i3.xlarge", "default_tags": {"Vendor": "Databricks"}, "creator_user_name": "me",
  "spec": {"cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "num_workers": 1, "node_type_id": "i3.xlarge",
           "spark_env_vars": {"STAGE": "prod"}, "custom_tags": {"team": "data"}}}'
rules '[{"method": "GET", "path": "/api/2.1/clusters/get", "answers": [{"body": '"$cluster_get"'}]}]'
run "$BRIX" clusters edit 0923-1 --num-workers 2
check "clusters edit --num-workers succeeds ($rc)" [ "$rc" = 0 ]
check "edit reads the cluster and sends its spec with the one change" recorded '
    [r["method"] + " " + r["path"] for r in R] == ["GET /api/2.1/clusters/get", "POST /api/2.1/clusters/edit"] and R[1]["body"] == {
    "cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "num_workers": 2, "node_type_id": "i3.xlarge",
    "spark_env_vars": {"STAGE": "prod"}, "custom_tags": {"team": "data"}, "cluster_id": "0923-1"}'
cp "$work/records.jsonl" "$work/edit.jsonl"
check "and the edit validates against the API schema" python3 "$SOURCE_DIR/tests/contract/validate.py" "$work/edit.jsonl"
rules '[{"method": "GET", "path": "/api/2.1/clusters/get", "answers": [{"body": {"cluster_id": "0923-2", "state": "RUNNING",
          "cluster_name": "auto", "spark_version": "15.4.x-scala2.12", "num_workers": 3, "autoscale": {"min_workers": 1, "max_workers": 4},
          "state_message": "", "start_time": 1, "default_tags": {"Vendor": "Databricks"}}}]}]'
run "$BRIX" clusters edit --cluster-id 0923-2 --cluster-name renamed
check "without a spec, edit keeps the fields edit takes, autoscaling over the current size" recorded 'R[1]["body"] == {
    "cluster_id": "0923-2", "cluster_name": "renamed", "spark_version": "15.4.x-scala2.12", "autoscale": {"min_workers": 1, "max_workers": 4}}'
run "$BRIX" clusters edit 0923-2 --num-workers 5
check "a fixed size replaces autoscaling" recorded '"autoscale" not in R[1]["body"] and R[1]["body"]["num_workers"] == 5'
run "$BRIX" clusters edit 0923-2
check "an edit with nothing to change is a usage error (exit $rc)" [ "$rc" = 2 ]
check "and sends nothing (an edit restarts a running cluster)" recorded 'len(R) == 0'

# --- pagers on a server that never ends a listing -----------------------------------------------
rules '[{"method": "GET", "path": "/api/2.0/repos", "answers": [{"body": {"repos": [{"id": 1, "path": "/Repos/a/b"}], "next_page_token": "t1"}}]}]'
run "$BRIX" repos list
check "repos list on a repeated token ends with exit 1 (got $rc)" [ "$rc" = 1 ]
check "and says why" error_is 'the server sent the page token "t1" twice while listing GET /api/2.0/repos: stopping rather than reading the same pages forever'
check "after two requests" recorded 'len(R) == 2 and R[1]["query"] == {"next_page_token": "t1"}'
rules '[{"method": "GET", "path": "/api/2.1/clusters/list", "answers": [{"body": {"clusters": [{"cluster_id": "c1"}], "next_page_token": "p1"}},
                                                                        {"body": {"clusters": [{"cluster_id": "c2"}], "next_page_token": "p2"}},
                                                                        {"body": {"clusters": [{"cluster_id": "c3"}], "next_page_token": "p1"}}]}]'
run "$BRIX" clusters list
check "clusters list on a repeated token ends with exit 1 (got $rc)" [ "$rc" = 1 ]
check "after three requests" recorded 'len(R) == 3'
rules '[{"method": "HEAD", "path": "/api/2.0/fs/files/Volumes/main/default/vol", "answers": [{"status": 404, "raw": ""}]},
        {"method": "GET", "path": "/api/2.0/fs/directories/Volumes/main/default/vol", "answers": [{"body": {"contents":
          [{"path": "/Volumes/main/default/vol/f.txt", "name": "f.txt", "is_directory": false, "file_size": 5}], "next_page_token": "again"}}]}]'
run "$BRIX" fs ls /Volumes/main/default/vol
check "volume fs ls on a repeated token ends with exit 1 (got $rc)" [ "$rc" = 1 ]
check "and names the listing" grep -q 'page token "again" twice while listing GET /api/2.0/fs/directories/Volumes/main/default/vol' "$work/err"
rules '[{"method": "GET", "path": "/api/2.2/jobs/list", "answers": [{"body": {"jobs": [{"job_id": 1, "settings": {"name": "a"}}], "has_more": true}}]}]'
run "$BRIX" jobs list
check "jobs list with has_more and no token on a server ignoring the offset ends with exit 1 (got $rc)" [ "$rc" = 1 ]
check "and says why" error_is 'the server said GET /api/2.2/jobs/list has more after offset 1 but the page there brought nothing new: stopping rather than reading it forever'
rules '[{"method": "GET", "path": "/api/2.2/jobs/runs/list", "answers": [{"body": {"runs": [{"run_id": 1}], "has_more": true}},
                                                                         {"body": {"runs": [], "has_more": true}}]}]'
run "$BRIX" jobs list-runs
check "jobs list-runs on an empty page that claims more ends with exit 1 (got $rc)" [ "$rc" = 1 ]
rules '[{"method": "GET", "path": "/api/2.2/jobs/get", "answers": [{"body": {"job_id": 5, "settings": {"name": "n", "tasks": [{"task_key": "a"}]}, "next_page_token": "x"}}]}]'
run "$BRIX" jobs get 5
check "jobs get on a repeated next_page_token ends with exit 1 (got $rc)" [ "$rc" = 1 ]
rules '[{"method": "GET", "path": "/api/2.0/repos", "answers": [{"body": {"repos": [{"id": 1, "path": "/Repos/a/b"}], "next_page_token": "t1"}},
                                                                {"body": {"repos": [{"id": 2, "path": "/Repos/a/c"}], "next_page_token": "t2"}},
                                                                {"body": {"repos": [{"id": 3, "path": "/Repos/a/d"}]}}]}]'
run "$BRIX" repos list -o json
check "a server that pages properly is read to the end" python3 -c 'import json,sys; sys.exit(0 if [r["id"] for r in json.load(open(sys.argv[1]))] == [1, 2, 3] else 1)' "$work/out"

echo "client_wire: $passed passed, $failed failed"
[ "$failed" = 0 ]
