#!/usr/bin/env bash
# Principals, permissions and cluster libraries on the local engine, both backends: SCIM users,
# groups and service principals with Me; the ACLs of jobs and workspace objects (owner rule,
# inheritance, principals that must exist) and secret scope ACLs naming the same principals;
# libraries on a local cluster through its life cycle.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/uc_api.sh" || exit 1
fresh_root
api_start
SCIM=/api/2.0/preview/scim/v2

step "Me is the user running the engine, also listed by Users"
expect_call 200 GET "$SCIM/Me"
ME=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["userName"])' "$OUT_FILE")
ME_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$OUT_FILE")
expect_call 200 GET "$SCIM/Users?filter=userName%20eq%20%22$ME%22"
assert_json "$OUT_FILE" 'd["totalResults"] == 1 and d["Resources"][0]["id"] == "'"$ME_ID"'" and d["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]'

step "users, groups and service principals"
expect_call 200 POST "$SCIM/Users" '{"userName": "ana@example.com", "displayName": "Ana"}'
ANA=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$OUT_FILE")
expect_call 409 POST "$SCIM/Users" '{"userName": "ana@example.com"}'
expect_call 200 POST "$SCIM/Groups" "{\"displayName\": \"data-team\", \"members\": [{\"value\": \"$ANA\"}]}"
TEAM=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$OUT_FILE")
expect_call 200 POST "$SCIM/ServicePrincipals" '{"displayName": "ci-bot"}'
assert_json "$OUT_FILE" 'len(d["applicationId"]) == 36 and d["active"] is True'
expect_call 200 GET "$SCIM/Users/$ANA"
assert_json "$OUT_FILE" 'd["groups"][0]["display"] == "data-team"'
expect_call 200 PATCH "$SCIM/Groups/$TEAM" "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": [{\"op\": \"remove\", \"path\": \"members[value eq \\\"$ANA\\\"]\"}]}"
expect_call 200 GET "$SCIM/Groups/$TEAM"
assert_json "$OUT_FILE" 'd.get("members", []) == []'
expect_call 200 GET "$SCIM/Groups?filter=displayName%20sw%20%22data%22"
assert_json "$OUT_FILE" 'd["totalResults"] == 1'

step "secret ACLs name principals that exist"
expect_ok brix secrets create-scope ci
expect_exit 1 brix secrets put-acl ci ghost-team READ
assert_contains "$ERR" "Principal ghost-team does not exist"
expect_ok brix secrets put-acl ci data-team READ
expect_ok brix secrets get-acl ci data-team -o json
assert_json "$OUT_FILE" 'd == {"principal": "data-team", "permission": "READ"}'

step "job permissions: the creator owns the job; set and update; one owner"
printf 'print(1)\n' >job.py
expect_ok brix workspace import job.py /Shared/job.py
expect_ok brix jobs create --json '{"name": "j", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/job.py"}}]}'
JOB=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$OUT_FILE")
expect_call 200 GET "/api/2.0/permissions/jobs/$JOB"
assert_json "$OUT_FILE" 'd["object_id"] == "/jobs/'"$JOB"'" and d["object_type"] == "job" and d["access_control_list"][0]["user_name"] == "'"$ME"'" and d["access_control_list"][0]["all_permissions"][0]["permission_level"] == "IS_OWNER"'
expect_call 200 PATCH "/api/2.0/permissions/jobs/$JOB" '{"access_control_list": [{"group_name": "data-team", "permission_level": "CAN_MANAGE_RUN"}]}'
cp "$OUT_FILE" patched.json
expect_call 200 GET "/api/2.0/permissions/jobs/$JOB"
assert_file_eq patched.json "$OUT_FILE"
assert_json "$OUT_FILE" '[(e.get("user_name") or e.get("group_name"), e["all_permissions"][0]["permission_level"]) for e in d["access_control_list"]] == [("'"$ME"'", "IS_OWNER"), ("data-team", "CAN_MANAGE_RUN"), ("admins", "CAN_MANAGE")]'
expect_call 404 PATCH "/api/2.0/permissions/jobs/$JOB" '{"access_control_list": [{"user_name": "nobody@example.com", "permission_level": "CAN_VIEW"}]}'
assert_error RESOURCE_DOES_NOT_EXIST "Principal: UserName(nobody@example.com) does not exist"
expect_call 400 PUT "/api/2.0/permissions/jobs/$JOB" "{\"access_control_list\": [{\"user_name\": \"$ME\", \"permission_level\": \"IS_OWNER\"}, {\"user_name\": \"$ME\", \"permission_level\": \"CAN_MANAGE\"}]}"
assert_error INVALID_PARAMETER_VALUE "The job must have exactly one owner."
expect_call 200 PUT "/api/2.0/permissions/jobs/$JOB" '{"access_control_list": [{"user_name": "ana@example.com", "permission_level": "IS_OWNER"}]}'
assert_json "$OUT_FILE" 'd["access_control_list"][0] == {"user_name": "ana@example.com", "display_name": "Ana", "all_permissions": [{"inherited": False, "permission_level": "IS_OWNER"}]}'
expect_call 404 GET "/api/2.0/permissions/jobs/999999"
expect_call 200 GET "/api/2.0/permissions/jobs/$JOB/permissionLevels"
assert_json "$OUT_FILE" '[l["permission_level"] for l in d["permission_levels"]] == ["CAN_VIEW", "CAN_MANAGE_RUN", "IS_OWNER", "CAN_MANAGE"]'

step "a notebook inherits the entries of its folder"
expect_ok brix workspace mkdirs /Shared/team
printf '# Databricks notebook source\nprint(2)\n' >nb.py
expect_ok brix workspace import nb.py /Shared/team/nb.py
expect_ok brix workspace get-status /Shared/team -o json
FOLDER=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["object_id"])' "$OUT_FILE")
expect_ok brix workspace get-status /Shared/team/nb -o json
NOTEBOOK=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["object_id"])' "$OUT_FILE")
expect_call 200 PUT "/api/2.0/permissions/directories/$FOLDER" '{"access_control_list": [{"group_name": "users", "permission_level": "CAN_RUN"}]}'
expect_call 200 GET "/api/2.0/permissions/notebooks/$NOTEBOOK"
assert_json "$OUT_FILE" 'd["object_type"] == "notebook" and d["access_control_list"][0] == {"group_name": "users", "all_permissions": [{"inherited": True, "permission_level": "CAN_RUN", "inherited_from_object": ["/directories/'"$FOLDER"'"]}]}'
expect_call 400 PATCH "/api/2.0/permissions/notebooks/$NOTEBOOK" '{"access_control_list": [{"group_name": "users", "permission_level": "CAN_MANAGE_RUN"}]}'

step "cluster libraries through the cluster's life cycle"
expect_ok brix clusters create --json '{"cluster_name": "libs", "spark_version": "15.4.x-scala2.12", "num_workers": 0}'
CLUSTER=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cluster_id"])' "$OUT_FILE")
expect_call 200 POST /api/2.0/libraries/install "{\"cluster_id\": \"$CLUSTER\", \"libraries\": [{\"pypi\": {\"package\": \"requests\"}}, {\"cran\": {\"package\": \"x\"}}]}"
expect_call 200 GET "/api/2.0/libraries/cluster-status?cluster_id=$CLUSTER"
assert_json "$OUT_FILE" '[(s["library"], s["status"] in ("INSTALLED", "PENDING")) for s in d["library_statuses"]][0] == ({"pypi": {"package": "requests"}}, True) and d["library_statuses"][1]["status"] == "FAILED"'
expect_call 200 POST /api/2.0/libraries/uninstall "{\"cluster_id\": \"$CLUSTER\", \"libraries\": [{\"pypi\": {\"package\": \"requests\"}}]}"
expect_call 200 GET "/api/2.0/libraries/cluster-status?cluster_id=$CLUSTER"
assert_json "$OUT_FILE" 'd["library_statuses"][0]["status"] == "UNINSTALL_ON_RESTART"'
expect_call 200 GET /api/2.0/libraries/all-cluster-statuses
assert_json "$OUT_FILE" '[s["cluster_id"] for s in d["statuses"]] == ["'"$CLUSTER"'"]'
expect_call 400 POST /api/2.0/libraries/install "{\"cluster_id\": \"$CLUSTER\", \"libraries\": [{\"pypi\": {}}]}"

step "the generated commands, as scripts call them"
expect_ok brix current-user me -o json
assert_json "$OUT_FILE" 'd["userName"] == "'"$ME"'"'
expect_ok brix groups create --display-name analysts -o json
assert_json "$OUT_FILE" 'd["displayName"] == "analysts"'
expect_ok brix users list --filter 'userName eq "ana@example.com"' -o json
assert_json "$OUT_FILE" '[u["userName"] for u in d] == ["ana@example.com"]'
expect_ok brix permissions update jobs "$JOB" --json '{"access_control_list": [{"group_name": "analysts", "permission_level": "CAN_VIEW"}]}'
expect_ok brix permissions get jobs "$JOB" -o json
assert_json "$OUT_FILE" '{"group_name": "analysts", "all_permissions": [{"inherited": False, "permission_level": "CAN_VIEW"}]} in d["access_control_list"]'
expect_exit 3 brix permissions get jobs 999999
expect_ok brix jobs get-permissions "$JOB" -o json
assert_json "$OUT_FILE" 'd["object_id"] == "/jobs/'"$JOB"'"'
# as the Go CLI, cluster-status lists the library statuses
expect_ok brix libraries cluster-status "$CLUSTER" -o json
assert_json "$OUT_FILE" '[(s["library"], s["status"]) for s in d] == [({"pypi": {"package": "requests"}}, "UNINSTALL_ON_RESTART"), ({"cran": {"package": "x"}}, "FAILED")]'
api_stop
finish
