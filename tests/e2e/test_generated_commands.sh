#!/usr/bin/env bash
# The command groups generated from the API table (docs/commands.md): on the engine (a route it
# serves works, one it does not serve says so), their help and completion, hand-written verbs
# never shadowed, and the requests they send, recorded by a small Databricks stand-in on loopback
# (tests/e2e/recording_server.py): method, path, query, body, every page of a listing, the guard
# against a server that repeats its page token, usage errors that send nothing; the recorded
# requests then pass the contract check (tests/contract/validate.py).
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

step "a generated command whose route the engine serves"
expect_ok brix current-user me -o json
assert_json "$OUT_FILE" 'd["userName"] and d["active"] is True'
# `workspace list` is the Go CLI's generated verb, and brix's hand-written ls (its alias) wins.
expect_ok brix workspace list /
assert_contains "$OUT" "Shared"

step "a generated command whose route the engine does not serve"
if backend_is_local; then
    expect_exit 1 brix warehouses list
    assert_eq "Error: warehouses is not available on the local engine (it needs a Databricks workspace)" "$ERR" "stderr"
    expect_exit 1 brix clusters pin 0101-000000-abcdefgh
    assert_eq "Error: clusters pin is not available on the local engine (it needs a Databricks workspace)" "$ERR" "stderr"
else
    # Through brix serve the CLI talks to a workspace like any other: the server's own answer.
    expect_exit 3 brix warehouses list
    assert_contains "$ERR" "Error: No API found for 'GET /sql/warehouses'"
fi
assert_eq "" "$OUT" "stdout"

step "help: groups are listed, verbs show their request, fields and an example; hand-written verbs win"
expect_ok brix --help
assert_contains "$OUT" "  catalogs "
assert_contains "$OUT" "  model-registry "
expect_ok brix schemas create --help
assert_contains "$OUT" "Usage: brix schemas create <name> <catalog-name> [flags]"
assert_contains "$OUT" "Sends POST /api/2.1/unity-catalog/schemas"
assert_contains "$OUT" "--comment <string>"
assert_contains "$OUT" "properties"
assert_contains "$OUT" $'Example:\n  brix schemas create NAME CATALOG_NAME'
expect_ok brix jobs --help
assert_contains "$OUT" "get-permissions"
assert_contains "$OUT" "List jobs (job_id and name, sorted by name)"
expect_ok brix jobs list --help
assert_contains "$OUT" "--expand-tasks"
assert_not_contains "$OUT" "Sends GET"

step "completion knows the generated groups, verbs and flags"
expect_ok brix __complete -- catal
assert_contains "$OUT" "catalogs"
expect_ok brix __complete -- model-registry get-model-v
assert_contains "$OUT" "get-model-version"
expect_ok brix __complete -- schemas create --co
assert_contains "$OUT" "--comment"

step "a recording server on loopback"
python3 "$BRIX_SOURCE_DIR/tests/e2e/recording_server.py" "$E2E_TMP/recorder.port" "$E2E_TMP/all.jsonl" &
for _ in $(seq 100); do [[ -s $E2E_TMP/recorder.port ]] && break; sleep 0.05; done
[[ -s $E2E_TMP/recorder.port ]] || fail "the recording server did not start"
RECORDER=http://127.0.0.1:$(cat "$E2E_TMP/recorder.port")
: >"$E2E_TMP/all.jsonl"
# Every call to the recorder, with the records of that call alone in $E2E_TMP/requests.json.
recorded() {
    local before
    before=$(wc -l <"$E2E_TMP/all.jsonl")
    DATABRICKS_HOST=$RECORDER DATABRICKS_TOKEN=recorder-token "$BRIX" "$@"
    local status=$?
    tail -n +"$((before + 1))" "$E2E_TMP/all.jsonl" | python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin]))' >"$E2E_TMP/requests.json"
    return $status
}
REQUESTS=$E2E_TMP/requests.json

step "arguments in the Go CLI's order, flags and their types"
expect_ok recorded schemas create sales main --comment "Q3 numbers"
assert_json "$REQUESTS" 'len(d) == 1 and d[0]["method"] == "POST" and d[0]["path"] == "/api/2.1/unity-catalog/schemas"'
assert_json "$REQUESTS" 'd[0]["body"] == {"name": "sales", "catalog_name": "main", "comment": "Q3 numbers"} and d[0]["query"] == {}'
assert_json "$REQUESTS" 'd[0]["authorization"] == "Bearer recorder-token" and d[0]["user_agent"].startswith("brix/")'
assert_json "$OUT_FILE" 'd["full_name"] == "main.sales"'
expect_ok recorded catalogs delete main --force
assert_json "$REQUESTS" 'd[0]["method"] == "DELETE" and d[0]["path"] == "/api/2.1/unity-catalog/catalogs/main" and d[0]["query"] == {"force": "true"}'
assert_eq "" "$OUT" "stdout of a call that answers {}"
expect_ok recorded jobs get-permissions 5
assert_json "$REQUESTS" 'd[0]["method"] == "GET" and d[0]["path"] == "/api/2.0/permissions/jobs/5" and d[0]["body"] is None'

step "--json: inline, @file and stdin; path arguments stay arguments"
cat >acl.json <<'EOF'
{"access_control_list": [{"user_name": "someone@example.com", "permission_level": "CAN_MANAGE_RUN"}]}
EOF
expect_ok recorded permissions set jobs 5 --json @acl.json
assert_json "$REQUESTS" 'd[0]["method"] == "PUT" and d[0]["path"] == "/api/2.0/permissions/jobs/5"'
assert_json "$REQUESTS" 'd[0]["body"]["access_control_list"][0]["permission_level"] == "CAN_MANAGE_RUN"'
printf '{"cluster_id": "c-1", "libraries": [{"pypi": {"package": "simplejson"}}]}' >libs.json
expect_exit_stdin 0 libs.json recorded libraries install --json -
assert_json "$REQUESTS" 'd[0]["path"] == "/api/2.0/libraries/install" and d[0]["body"]["libraries"][0]["pypi"]["package"] == "simplejson"'
expect_ok recorded schemas create --json '{"name": "s2", "catalog_name": "main"}' --comment flag
assert_json "$REQUESTS" 'd[0]["body"] == {"name": "s2", "catalog_name": "main", "comment": "flag"}'

step "listings read every page: JSON as one array, text as a table"
expect_ok recorded catalogs list -o json
assert_json "$OUT_FILE" '[c["name"] for c in d] == ["main", "dev", "ml"]'
assert_json "$REQUESTS" 'len(d) == 2 and "page_token" not in d[0]["query"] and d[1]["query"] == {"page_token": "page-2"}'
expect_ok recorded catalogs list
assert_eq $'main\ndev\nml' "$OUT" "text table (piped: no header)"
expect_ok recorded users list -o json
assert_json "$OUT_FILE" '[u["id"] for u in d] == ["1", "2", "3", "4", "5"]'
assert_json "$REQUESTS" '[r["query"]["startIndex"] for r in d] == ["1", "3", "5"]'
expect_ok recorded users list --limit 3
assert_eq $'1\tuser1@example.com\n2\tuser2@example.com\n3\tuser3@example.com' "$OUT" "text table"
assert_json "$REQUESTS" 'len(d) == 2'

step "a server that repeats its page token stops the listing"
expect_exit 1 recorded warehouses list
assert_contains "$ERR" "page token \"again\" a second time"
assert_json "$REQUESTS" 'len(d) == 2'

step "usage errors send nothing"
sent_before=$(wc -l <"$E2E_TMP/all.jsonl")
expect_exit 2 recorded schemas create sales
assert_contains "$ERR" "schemas create takes 2 arguments (NAME CATALOG_NAME), got 1"
expect_exit 2 recorded volumes create main default v SOMETIMES
assert_contains "$ERR" "expected one of EXTERNAL, MANAGED"
expect_exit 2 recorded catalogs list --max-results 10 --include-browse=perhaps
assert_contains "$ERR" "invalid value \"perhaps\" for --include-browse: expected true or false"
expect_exit 2 recorded instance-pools create pool i3.xlarge --max-capacity many
assert_contains "$ERR" "expected an integer"
expect_exit 2 recorded schemas create sales main --json '{"name": "x"}'
assert_contains "$ERR" "when --json is given, no positional arguments are allowed"
expect_exit 2 recorded libraries install
assert_contains "$ERR" "needs its request as JSON"
expect_exit 2 recorded catalogs list --no-such-flag
assert_eq "$sent_before" "$(wc -l <"$E2E_TMP/all.jsonl")" "requests recorded after the usage errors"

step "the recorded requests pass the contract check"
expect_ok python3 "$BRIX_SOURCE_DIR/tests/contract/validate.py" "$E2E_TMP/all.jsonl"
assert_contains "$OUT" "0 violations, 0 unlisted routes"

finish
