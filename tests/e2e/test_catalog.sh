#!/usr/bin/env bash
# Unity Catalog on the local engine, both backends: catalogs, schemas and volumes through the
# REST API (statuses and error codes as a workspace answers), and /Volumes paths that reach files
# only inside a volume that exists (brix fs on the active backend), with main.default making its
# volumes on first use.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
source "$(dirname "$0")/uc_api.sh" || exit 1
fresh_root
api_start
UC=/api/2.1/unity-catalog

step "a new engine has main and main.default"
expect_call 200 GET "$UC/catalogs"
assert_json "$OUT_FILE" '[c["name"] for c in d["catalogs"]] == ["main"]'
expect_call 200 GET "$UC/schemas?catalog_name=main"
assert_json "$OUT_FILE" '[s["full_name"] for s in d["schemas"]] == ["main.default"]'

step "create a catalog, a schema and a volume"
expect_call 200 POST "$UC/catalogs" '{"name": "sales", "comment": "all sales"}'
assert_json "$OUT_FILE" 'd["name"] == "sales" and d["full_name"] == "sales" and d["comment"] == "all sales" and d["catalog_type"] == "MANAGED_CATALOG"'
expect_call 409 POST "$UC/catalogs" '{"name": "SALES"}'
assert_error CATALOG_ALREADY_EXISTS "Catalog 'sales' already exists"
expect_call 200 POST "$UC/schemas" '{"catalog_name": "sales", "name": "raw"}'
assert_json "$OUT_FILE" 'd["full_name"] == "sales.raw" and d["catalog_name"] == "sales"'
expect_call 404 POST "$UC/schemas" '{"catalog_name": "nope", "name": "raw"}'
assert_error CATALOG_DOES_NOT_EXIST "Catalog 'nope' does not exist."
expect_call 200 POST "$UC/volumes" '{"catalog_name": "sales", "schema_name": "raw", "name": "landing", "volume_type": "MANAGED"}'
assert_json "$OUT_FILE" 'd["full_name"] == "sales.raw.landing" and d["volume_type"] == "MANAGED" and d["storage_location"].startswith("file://")'
expect_call 400 POST "$UC/volumes" '{"catalog_name": "sales", "schema_name": "raw", "name": "ext", "volume_type": "EXTERNAL", "storage_location": "s3://b/x"}'
assert_error INVALID_PARAMETER_VALUE "EXTERNAL volumes need cloud storage"
expect_call 409 POST "$UC/volumes" '{"catalog_name": "sales", "schema_name": "raw", "name": "landing", "volume_type": "MANAGED"}'
assert_error RESOURCE_ALREADY_EXISTS
expect_call 200 GET "$UC/volumes?catalog_name=sales&schema_name=raw"
assert_json "$OUT_FILE" '[v["name"] for v in d["volumes"]] == ["landing"]'
expect_call 200 GET "$UC/tables?catalog_name=sales&schema_name=raw"
assert_json "$OUT_FILE" 'd.get("tables", []) == []'

step "files go into a volume that exists, through the active backend"
printf 'a,b\n1,2\n' >rows.csv
expect_ok brix fs cp rows.csv /Volumes/sales/raw/landing/in/rows.csv
expect_ok brix fs cat dbfs:/Volumes/sales/raw/landing/in/rows.csv
assert_out_bytes $'a,b\n1,2\n'
expect_exit 3 brix fs cp rows.csv /Volumes/sales/raw/nope/rows.csv
assert_contains "$ERR" "Volume 'sales.raw.nope' does not exist."
expect_exit 3 brix fs mkdirs /Volumes/other/s/v/dir
expect_exit 1 brix fs mkdirs dbfs:/Volumes/sales/newschema
assert_no_file "$ROOT/dbfs/Volumes/other"

step "main.default makes its volumes on first use"
expect_ok brix fs put /Volumes/main/default/scratch/note.txt "first use"
expect_call 200 GET "$UC/volumes/main.default.scratch"
assert_json "$OUT_FILE" 'd["volume_type"] == "MANAGED" and d["schema_name"] == "default"'

step "rename and delete"
expect_call 200 PATCH "$UC/volumes/sales.raw.landing" '{"new_name": "inbox", "comment": "renamed"}'
assert_json "$OUT_FILE" 'd["full_name"] == "sales.raw.inbox" and d["comment"] == "renamed"'
expect_ok brix fs cat /Volumes/sales/raw/inbox/in/rows.csv
expect_exit 3 brix fs cat /Volumes/sales/raw/landing/in/rows.csv
expect_call 404 GET "$UC/volumes/sales.raw.landing"
assert_error NOT_FOUND "Volume 'sales.raw.landing' does not exist."
expect_call 400 DELETE "$UC/schemas/sales.raw"
assert_error SCHEMA_NOT_EMPTY
expect_call 400 DELETE "$UC/catalogs/sales"
assert_error CATALOG_NOT_EMPTY
expect_call 200 DELETE "$UC/volumes/sales.raw.inbox"
expect_exit 3 brix fs cat /Volumes/sales/raw/inbox/in/rows.csv
assert_no_file "$ROOT/dbfs/Volumes/sales/raw/inbox"
expect_call 200 DELETE "$UC/catalogs/sales?force=true"
expect_call 404 GET "$UC/schemas/sales.raw"
assert_error SCHEMA_DOES_NOT_EXIST

step "the generated commands, as scripts call them"
expect_ok brix catalogs create ops --comment operations -o json
assert_json "$OUT_FILE" 'd["name"] == "ops" and d["comment"] == "operations"'
expect_ok brix schemas create logs ops
expect_ok brix volumes create ops logs raw MANAGED
expect_ok brix volumes list ops logs -o json
assert_json "$OUT_FILE" '[v["full_name"] for v in d] == ["ops.logs.raw"]'
expect_ok brix fs put /Volumes/ops/logs/raw/a.txt "a"
expect_ok brix volumes read ops.logs.raw -o json
assert_json "$OUT_FILE" 'd["volume_type"] == "MANAGED" and d["catalog_name"] == "ops"'
expect_exit 1 brix catalogs create ops
assert_contains "$ERR" "Catalog 'ops' already exists"
expect_ok brix tables list ops logs -o json
assert_json "$OUT_FILE" 'd == []'
expect_ok brix catalogs delete ops --force
expect_exit 3 brix schemas get ops.logs
expect_exit 3 brix fs cat /Volumes/ops/logs/raw/a.txt

step "routes the engine does not have answer ENDPOINT_NOT_FOUND"
expect_call 404 GET "/api/2.0/pipelines"
assert_error ENDPOINT_NOT_FOUND "No API found for 'GET /pipelines'"
api_stop
finish
