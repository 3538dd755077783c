#!/usr/bin/env bash
# Nothing gets in without a valid token, and no secret gets out:
# - every route `brix serve` knows (each API version; the list is checked against the engine's
#   sources, so a new route must be added here) refuses a missing token (401 UNAUTHENTICATED) and
#   a wrong, malformed, revoked or expired one (403 PERMISSION_DENIED), and changes nothing;
# - secret values with distinctive bytes, exercised by scripts and notebooks (printing them, from a
#   subprocess, in exceptions, as the notebook's exit value), by --debug calls and by failing calls,
#   on the embedded engine and through the server: neither the values nor their base64 appear in
#   any file under the root but the database, in any output, log or error message;
# - file modes: the root and its folders 0700, the database and its WAL 0600, the token file 0600,
#   nothing writable by others.
set -u
source "$(dirname "$0")/reliability_common.sh" || exit 1
fresh_root

CAPTURE=$E2E_TMP/capture   # everything any command printed, for the final scan
mkdir -p "$CAPTURE"
# cap NAME cmd...: runs the command, keeps its stdout and stderr in the capture folder
cap() {
    local name=$1
    shift
    run "$@"
    cp "$OUT_FILE" "$CAPTURE/$name.out"
    cp "$ERR_FILE" "$CAPTURE/$name.err"
}

# ---------------------------------------------------------------------------------------------
step "the routes: every route the engine registers is in this table"
# METHOD PATH BODY (BODY "-": none). Writes carry a body that would change the store if it got in.
ROUTES=$(
    cat <<'EOF'
GET /api/2.0/workspace/list?path=/ -
GET /api/2.0/workspace/get-status?path=/Shared -
POST /api/2.0/workspace/mkdirs {"path":"/Shared/pwned"}
POST /api/2.0/workspace/delete {"path":"/Shared","recursive":true}
POST /api/2.0/workspace/import {"path":"/Shared/pwned.py","format":"RAW","content":"cHduZWQ="}
GET /api/2.0/workspace/export?path=/Shared/etl.py -
GET /api/2.0/workspace/export?path=/Shared/etl.py&direct_download=true -
POST /api/2.0/workspace-files/import-file/Shared/pwned.txt pwned
GET /api/2.0/dbfs/get-status?path=/ -
GET /api/2.0/dbfs/list?path=/ -
POST /api/2.0/dbfs/mkdirs {"path":"/pwned"}
POST /api/2.0/dbfs/delete {"path":"/data","recursive":true}
POST /api/2.0/dbfs/move {"source_path":"/data","destination_path":"/pwned"}
POST /api/2.0/dbfs/put {"path":"/pwned.txt","contents":"cHduZWQ="}
POST /api/2.0/dbfs/create {"path":"/pwned.bin"}
POST /api/2.0/dbfs/add-block {"handle":1,"data":"cHduZWQ="}
POST /api/2.0/dbfs/close {"handle":1}
GET /api/2.0/dbfs/read?path=/data/file.txt -
PUT /api/2.0/fs/files/Volumes/main/default/vol/pwned.txt pwned
GET /api/2.0/fs/files/Volumes/main/default/vol/v.txt -
HEAD /api/2.0/fs/files/Volumes/main/default/vol/v.txt -
DELETE /api/2.0/fs/files/Volumes/main/default/vol/v.txt -
PUT /api/2.0/fs/directories/Volumes/main/default/vol/pwned -
GET /api/2.0/fs/directories/Volumes/main/default/vol -
HEAD /api/2.0/fs/directories/Volumes/main/default/vol -
DELETE /api/2.0/fs/directories/Volumes/main/default/empty -
POST /api/2.0/fs/files/Volumes/main/default/vol/pwned.bin?action=initiate-upload -
POST /api/2.0/fs/create-upload-part-urls {"path":"/Volumes/main/default/vol/pwned.bin","session_token":"0123456789abcdef0123456789abcdef","start_part_number":1,"count":1}
POST /api/2.0/fs/create-abort-upload-url {"path":"/Volumes/main/default/vol/pwned.bin","session_token":"0123456789abcdef0123456789abcdef"}
POST /api/2.0/fs/create-download-url?path=/Volumes/main/default/vol/v.txt -
JOBS POST /jobs/create {"name":"pwned","tasks":[{"task_key":"t","spark_python_task":{"python_file":"/Shared/etl.py"}}]}
JOBS GET /jobs/get?job_id=101 -
JOBS GET /jobs/list -
JOBS POST /jobs/reset {"job_id":101,"new_settings":{"name":"pwned"}}
JOBS POST /jobs/update {"job_id":101,"new_settings":{"name":"pwned"}}
JOBS POST /jobs/delete {"job_id":101}
JOBS POST /jobs/run-now {"job_id":101}
JOBS POST /jobs/runs/submit {"tasks":[{"task_key":"t","spark_python_task":{"python_file":"/Shared/etl.py"}}]}
JOBS GET /jobs/runs/get?run_id=1001 -
JOBS GET /jobs/runs/list -
JOBS GET /jobs/runs/get-output?run_id=1002 -
JOBS POST /jobs/runs/cancel {"run_id":1001}
JOBS POST /jobs/runs/cancel-all {"job_id":101}
JOBS POST /jobs/runs/delete {"run_id":1001}
JOBS POST /jobs/runs/repair {"run_id":1001,"rerun_all_failed_tasks":true}
JOBS GET /jobs/runs/export?run_id=1001 -
POST /api/2.0/token/create {"comment":"pwned"}
GET /api/2.0/token/list -
POST /api/2.0/token/delete {"token_id":"x"}
GET /api/2.0/preview/scim/v2/Me -
GET /api/2.0/preview/scim/v2/Users -
POST /api/2.0/preview/scim/v2/Users {"userName":"pwned@example.com"}
GET /api/2.0/preview/scim/v2/Groups/7000000000000001 -
PUT /api/2.0/preview/scim/v2/Groups/7000000000000001 {"displayName":"pwned"}
PATCH /api/2.0/preview/scim/v2/Groups/7000000000000001 {"Operations":[{"op":"replace","path":"displayName","value":"pwned"}]}
DELETE /api/2.0/preview/scim/v2/ServicePrincipals/7000000000000001 -
POST /api/2.0/preview/scim/v2/ServicePrincipals {"displayName":"pwned"}
GET /api/2.1/unity-catalog/catalogs -
POST /api/2.1/unity-catalog/catalogs {"name":"pwned"}
GET /api/2.1/unity-catalog/catalogs/main -
PATCH /api/2.1/unity-catalog/catalogs/main {"comment":"pwned"}
DELETE /api/2.1/unity-catalog/catalogs/main?force=true -
GET /api/2.1/unity-catalog/schemas?catalog_name=main -
POST /api/2.1/unity-catalog/schemas {"catalog_name":"main","name":"pwned"}
DELETE /api/2.1/unity-catalog/schemas/main.default?force=true -
GET /api/2.1/unity-catalog/volumes?catalog_name=main&schema_name=default -
POST /api/2.1/unity-catalog/volumes {"catalog_name":"main","schema_name":"default","name":"pwned","volume_type":"MANAGED"}
DELETE /api/2.1/unity-catalog/volumes/main.default.vol -
GET /api/2.1/unity-catalog/tables?catalog_name=main&schema_name=default -
GET /api/2.0/permissions/jobs/101 -
PUT /api/2.0/permissions/jobs/101 {"access_control_list":[{"group_name":"users","permission_level":"CAN_MANAGE"}]}
PATCH /api/2.0/permissions/jobs/101 {"access_control_list":[{"group_name":"users","permission_level":"CAN_MANAGE"}]}
GET /api/2.0/permissions/jobs/101/permissionLevels -
POST /api/2.0/libraries/install {"cluster_id":"x","libraries":[{"pypi":{"package":"pwned"}}]}
POST /api/2.0/libraries/uninstall {"cluster_id":"x","libraries":[{"pypi":{"package":"pwned"}}]}
GET /api/2.0/libraries/cluster-status?cluster_id=x -
GET /api/2.0/libraries/all-cluster-statuses -
POST /api/2.0/secrets/scopes/create {"scope":"pwned"}
GET /api/2.0/secrets/scopes/list -
POST /api/2.0/secrets/scopes/delete {"scope":"ci"}
POST /api/2.0/secrets/put {"scope":"ci","key":"pwned","string_value":"pwned"}
GET /api/2.0/secrets/list?scope=ci -
POST /api/2.0/secrets/delete {"scope":"ci","key":"plain"}
GET /api/2.0/secrets/get?scope=ci&key=plain -
POST /api/2.0/secrets/acls/put {"scope":"ci","principal":"pwned","permission":"MANAGE"}
GET /api/2.0/secrets/acls/get?scope=ci&principal=users -
GET /api/2.0/secrets/acls/list?scope=ci -
POST /api/2.0/secrets/acls/delete {"scope":"ci","principal":"users"}
POST /api/2.0/repos {"url":"https://example.com/r.git","provider":"gitHub","path":"/Repos/x/r"}
GET /api/2.0/repos -
GET /api/2.0/repos/1 -
PATCH /api/2.0/repos/1 {"branch":"main"}
DELETE /api/2.0/repos/1 -
CLUSTERS POST /clusters/create {"cluster_name":"pwned","spark_version":"15.4.x-scala2.12","num_workers":1}
CLUSTERS GET /clusters/get?cluster_id=x -
CLUSTERS GET /clusters/list -
CLUSTERS POST /clusters/edit {"cluster_id":"x","spark_version":"15.4.x-scala2.12"}
CLUSTERS POST /clusters/resize {"cluster_id":"x","num_workers":2}
CLUSTERS POST /clusters/start {"cluster_id":"x"}
CLUSTERS POST /clusters/restart {"cluster_id":"x"}
CLUSTERS POST /clusters/delete {"cluster_id":"x"}
CLUSTERS POST /clusters/permanent-delete {"cluster_id":"x"}
CLUSTERS GET /clusters/spark-versions -
CLUSTERS GET /clusters/list-node-types -
CLUSTERS GET /clusters/list-zones -
GET /api/2.0/nope -
EOF
)
# JOBS and CLUSTERS lines stand for each API version they are served under
expand_routes() {
    local first rest v
    while read -r first rest; do
        case $first in
        JOBS) for v in 2.0 2.1 2.2; do echo "${rest%% *} /api/$v${rest#* }"; done ;;
        CLUSTERS) for v in 2.0 2.1; do echo "${rest%% *} /api/$v${rest#* }"; done ;;
        *) echo "$first $rest" ;;
        esac
    done <<<"$ROUTES"
}
ALL_ROUTES=$(expand_routes)
# every route path the engine's sources register must be in the table
registered=$(grep -ohE '"/(api/2\.[0-9]/)?(workspace|workspace-files|dbfs|fs|jobs|token|preview|repos|clusters|secrets|unity-catalog|permissions|libraries)[^"]*"' \
    "$BRIX_SOURCE_DIR"/engine/*/*routes.cpp | tr -d '"' | sed 's|^/api/2\.[0-9]||; s|/$||' | sort -u)
[[ -n $registered ]] || fail "found no routes in the engine's sources"
for path in $registered; do
    grep -qE "^[A-Z]+ /api/2\.[0-9]$path([/?]| |$)" <<<"$ALL_ROUTES" || fail "route $path is registered in the engine but not checked here"
done
ok
echo "$(wc -l <<<"$ALL_ROUTES") routes and versions to check, covering $(wc -l <<<"$registered") registered paths"

step "seed the store"
printf 'print("etl")\n' >etl.py
expect_ok brix workspace import etl.py /Shared/etl.py
expect_ok brix fs put dbfs:/data/file.txt "data"
expect_ok brix fs put /Volumes/main/default/vol/v.txt "volume"
expect_ok brix fs mkdirs /Volumes/main/default/empty
expect_ok brix jobs create --json '{"name": "etl", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/etl.py"}}]}'
expect_exit 0 brix jobs run-now 101
expect_ok brix secrets create-scope ci
expect_ok brix secrets put-secret ci plain --string-value "not so secret"
server_start
api POST /api/2.0/token/create -d '{"comment": "to revoke"}'
REVOKED=$(json_get "$BODY_FILE" 'd["token_value"]')
REVOKED_ID=$(json_get "$BODY_FILE" 'd["token_info"]["token_id"]')
expect_api 200 "" POST /api/2.0/token/delete -d "{\"token_id\": \"$REVOKED_ID\"}"
api POST /api/2.0/token/create -d '{"comment": "short-lived", "lifetime_seconds": 1}'
EXPIRED=$(json_get "$BODY_FILE" 'd["token_value"]')
sleep 2

step "every route refuses a missing, wrong, malformed, revoked or expired token, and changes nothing"
snapshot_save routes
printf '%s\n' "$ALL_ROUTES" >"$E2E_TMP/routes.txt"
python3 "$BRIX_SOURCE_DIR/tests/reliability/auth_check.py" "$SRV_URL" "$E2E_TMP/routes.txt" \
    "Bearer wrong-token" "Bearer " "Basic dXNlcjpwYXNz" "Bearer ${SRV_TOKEN}x" "Bearer ${SRV_TOKEN:0:20}" \
    "bearer $SRV_TOKEN" "$SRV_TOKEN" "Bearer $REVOKED" "Bearer $EXPIRED" >"$E2E_TMP/auth.out" 2>&1 ||
    fail "requests without a valid token: $(head -c 4000 "$E2E_TMP/auth.out")"
tail -1 "$E2E_TMP/auth.out"
rm "$E2E_TMP/routes.txt" "$E2E_TMP/auth.out"
assert_unchanged routes
# the same routes with the real token do get in (the check above would pass on a dead server)
expect_api 200 "" GET "/api/2.0/workspace/get-status?path=/Shared"
expect_api 200 "" GET "/api/2.2/jobs/get?job_id=101"
# the discovery routes answer without a token, and say nothing else
for route in /.well-known/databricks-config /oidc/.well-known/oauth-authorization-server; do
    curl -s --max-time 10 "$SRV_URL$route" >"$E2E_TMP/discovery.json"
    assert_json "$E2E_TMP/discovery.json" 'set(d) <= {"oidc_endpoint", "workspace_id", "issuer", "authorization_endpoint", "token_endpoint"}'
done
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$SRV_URL/oidc/v1/token" -u "x:wrong" -d grant_type=client_credentials)
assert_eq 401 "$code" "OAuth with a wrong secret"

# ---------------------------------------------------------------------------------------------
step "secrets with distinctive values, on both backends"
SECRET1="brix-rel-secret-$RANDOM$RANDOM-alpha"
SECRET2="brix-rel-secret-$RANDOM$RANDOM-beta é ü"
SECRET3="brix-rel-secret-$RANDOM$RANDOM-gamma"   # given through stdin and a file
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$E2E_TMP/binary.hex"
SECRET4="brix-rel-bin-$(cat "$E2E_TMP/binary.hex")"
printf %s "$SECRET3" >"$E2E_TMP/secret3.txt"
cap put1 brix --debug secrets put-secret ci one --string-value "$SECRET1"
cap put2 as_client brix --debug secrets put-secret ci two --string-value "$SECRET2"
cap put3 brix --debug secrets put-secret ci three --binary-file "$E2E_TMP/secret3.txt"
cap put4 as_client brix --debug secrets put-secret ci four --bytes-value "$(printf %s "$SECRET4" | base64 -w0)"
printf %s "$SECRET3" | as_client brix --debug secrets put-secret ci three-stdin >"$CAPTURE/put3s.out" 2>"$CAPTURE/put3s.err" ||
    fail "put-secret from stdin failed: $(cat "$CAPTURE/put3s.err")"
ok
# failing calls that carry a value: the value is not in the error
cap bad1 brix secrets put-secret ci "bad/key" --string-value "$SECRET1"
assert_eq 1 "$RC" "exit code of a bad key"
cap bad2 as_client brix --debug secrets put-secret nope k --string-value "$SECRET2"
assert_eq 3 "$RC" "exit code of a missing scope"
cap bad3 as_client brix --debug secrets put-secret ci "bad key" --string-value "$SECRET1"
assert_eq 1 "$RC" "exit code of a bad key through the server"
cap list brix --debug secrets list-secrets ci
cap list2 as_client brix --debug secrets list-secrets ci -o json
cap acls as_client brix --debug secrets list-acls ci
# get-secret prints the value (base64) on stdout by design; its --debug trace must not
run as_client brix --debug secrets get-secret ci one
assert_eq 0 "$RC" "get-secret"
cp "$ERR_FILE" "$CAPTURE/get1.err"
run brix --debug secrets get-secret ci two
cp "$ERR_FILE" "$CAPTURE/get2.err"
curl -s --max-time 10 -H "Authorization: Bearer $SRV_TOKEN" "$SRV_URL/api/2.0/secrets/get?scope=ci&key=nope" >"$CAPTURE/curl-missing.out"

step "tasks use the secrets: printed, echoed by a subprocess, in an exception, as a notebook's exit value"
cat >leak.py <<'EOF'
import subprocess, sys
from databricks.sdk.runtime import dbutils
one = dbutils.secrets.get("ci", "one")
two = dbutils.secrets.get("ci", "two")
three = dbutils.secrets.getBytes("ci", "three").decode()
four = dbutils.secrets.get("ci", "four")
print("printed:", one, two, three, four)
print("to stderr:", one, file=sys.stderr)
subprocess.run(["echo", "from a subprocess:", one, three], check=True)
subprocess.run(["sh", "-c", 'echo "stderr of a subprocess: $0" >&2', two], check=True)
if len(sys.argv) > 1:
    raise RuntimeError(f"failing with {one} and {four}")
EOF
printf '# Databricks notebook source\nvalue = dbutils.secrets.get("ci", "one")\nprint("cell output", value)\n\n# COMMAND ----------\n\n%%sh\necho "sh cell sees nothing secret"\n\n# COMMAND ----------\n\ndbutils.notebook.exit(value + " " + dbutils.secrets.get("ci", "four"))\n' >exit_nb.py
printf '# Databricks notebook source\nvalue = dbutils.secrets.get("ci", "two")\nraise ValueError("notebook fails with " + value)\n' >fail_nb.py
expect_ok brix workspace import leak.py /Shared/leak.py
expect_ok brix workspace import exit_nb.py /Shared/exit_nb.py
expect_ok brix workspace import fail_nb.py /Shared/fail_nb.py
SUBMIT='{"run_name": "leaks", "tasks": [
  {"task_key": "script", "spark_python_task": {"python_file": "/Shared/leak.py"}},
  {"task_key": "script_fails", "spark_python_task": {"python_file": "/Shared/leak.py", "parameters": ["fail"]}},
  {"task_key": "exit_nb", "notebook_task": {"notebook_path": "/Shared/exit_nb"}},
  {"task_key": "fail_nb", "notebook_task": {"notebook_path": "/Shared/fail_nb"}}]}'
cap run-local brix --debug jobs submit --json "$SUBMIT"
assert_eq 5 "$RC" "a run with failing tasks (embedded engine)"
assert_contains "$OUT" "printed: [REDACTED] [REDACTED] [REDACTED] [REDACTED]"
cap run-serve as_client brix --debug jobs submit --json "$SUBMIT"
assert_eq 5 "$RC" "a run with failing tasks (through the server)"
assert_contains "$OUT" "printed: [REDACTED] [REDACTED] [REDACTED] [REDACTED]"
# every task's output, error and trace, both ways
for run in $(sqlite3 "$ROOT/brix.db" "SELECT run_id FROM runs WHERE parent_run_id IN (SELECT run_id FROM runs WHERE run_name = 'leaks')"); do
    cap "output-$run" brix runs get-output --run-id "$run"
    cap "output-serve-$run" as_client brix --debug runs get-output --run-id "$run"
done
cap runs-list as_client brix runs list --all -o json

# ---------------------------------------------------------------------------------------------
step "no secret value, raw or base64, anywhere but the database"
server_stop
# every way the value could be written: raw, and base64 at each of the three alignments
needles=$E2E_TMP/needles
: >"$needles"
for value in "$SECRET1" "$SECRET2" "$SECRET3" "$SECRET4"; do
    printf '%s\n' "$value" >>"$needles"
    for pad in "" "x" "xy"; do
        b64=$(printf '%s%s' "$pad" "$value" | base64 -w0)
        # drop the characters that depend on the neighbouring bytes
        skip=$(((${#pad} * 4 + 2) / 3))
        printf '%s\n' "${b64:$skip:$((${#b64} - skip - 4))}" >>"$needles"
    done
done
leaks=$(grep -rlaF -f "$needles" "$ROOT" "$CAPTURE" "$E2E_TMP"/serve.*.log 2>/dev/null | grep -v -x -e "$ROOT/brix.db" -e "$ROOT/brix.db-wal")
[[ -z $leaks ]] || fail "secret values found in: $leaks
$(grep -raoF -f "$needles" $leaks | head -5)"
ok
# the scan does find them where they are (so it would see a leak)
grep -qaF "$SECRET1" "$ROOT/brix.db" "$ROOT/brix.db-wal" 2>/dev/null || fail "the scan does not even find the secret in the database"
ok
grep -rqaF "[REDACTED]" "$CAPTURE" || fail "nothing was redacted: the tasks did not print the secrets"
ok
# the tokens are stored as hashes: the serve token is nowhere under the root
grep -rlaF "$SRV_TOKEN" "$ROOT" && fail "the raw token is stored under the root"
ok

# ---------------------------------------------------------------------------------------------
step "file modes"
mode() { stat -c %a "$1"; }
assert_eq 700 "$(mode "$ROOT")" "root"
for dir in workspace dbfs tmp runs; do assert_eq 700 "$(mode "$ROOT/$dir")" "$dir/"; done
assert_eq 600 "$(mode "$E2E_TMP/srv.token")" "token file"
# the database and its WAL, created by a server on a fresh root (the WAL holds the secret values
# until a checkpoint), while that server runs
ROOT_SAVED=$ROOT
ROOT=$E2E_TMP/fresh-root
server_start
as_client brix secrets create-scope s >/dev/null 2>&1 || fail "create-scope on a fresh root"
as_client brix secrets put-secret s k --string-value "$SECRET1" >/dev/null 2>&1 || fail "put-secret on a fresh root"
for file in brix.db brix.db-wal brix.db-shm; do
    [[ -e $ROOT/$file ]] || fail "$ROOT/$file is missing while the server runs"
    assert_eq 600 "$(mode "$ROOT/$file")" "$file of a fresh root"
done
server_stop
ROOT=$ROOT_SAVED
# nothing under the root is writable by others, and nothing but user files is readable by them
others_writable=$(find "$ROOT" -perm /022 ! -type l | head)
assert_eq "" "$others_writable" "files and folders writable by group or others"
# a root made by hand with a loose mode: what brix creates in it is still private
mkdir -m 755 "$E2E_TMP/loose"
BRIX_HOME=$E2E_TMP/loose/root "$BRIX" secrets create-scope s >/dev/null 2>&1 || fail "create-scope in a new root"
assert_eq 700 "$(mode "$E2E_TMP/loose/root")" "a root brix creates"
mkdir -m 755 "$E2E_TMP/premade"
BRIX_HOME=$E2E_TMP/premade "$BRIX" secrets create-scope s >/dev/null 2>&1 || fail "create-scope in a premade root"
assert_eq 600 "$(mode "$E2E_TMP/premade/brix.db")" "brix.db in a premade root"
for dir in workspace dbfs tmp; do assert_eq 700 "$(mode "$E2E_TMP/premade/$dir")" "$dir/ in a premade root"; done

finish
