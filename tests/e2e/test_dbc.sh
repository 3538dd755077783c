#!/usr/bin/env bash
# DBC archives (a ZIP of JSON notebooks, as Databricks exports them): workspace import in both
# syntaxes, a folder and a single notebook; export of a notebook and of a folder; import-dir
# unpacking a .dbc; a round trip that gives the same SOURCE text; bad archives refused.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

# make_dbc FILE ENTRY... : a DBC with notebooks written as Databricks does ("path.language" JSON
# NotebookV1 documents) and folder entries ("path/").
make_dbc() {
    python3 - "$@" <<'PY'
import json, sys, zipfile
target, entries = sys.argv[1], sys.argv[2:]
notebooks = {
    "etl": ("python", [("print('etl')", ""), ("%md\n# Notes\nsome text", "About")]),
    "query": ("sql", [("SELECT 1", "")]),
}
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
    for entry in entries:
        if entry.endswith("/"):
            z.writestr(entry, json.dumps({"version": "FolderV1", "name": entry.rstrip("/"), "children": []}))
            continue
        name = entry.rsplit("/", 1)[-1]
        language, cells = notebooks[name]
        commands = [{"version": "CommandV1", "position": float(i + 1), "command": text, "commandTitle": title,
                     "showCommandTitle": bool(title), "results": None} for i, (text, title) in enumerate(cells)]
        z.writestr(f"{entry}.{language}", json.dumps({"version": "NotebookV1", "name": name, "language": language,
                                                      "commands": commands}))
PY
}

ETL_SOURCE=$'# Databricks notebook source\nprint(\'etl\')\n\n# COMMAND ----------\n\n# DBTITLE 1,About\n# MAGIC %md\n# MAGIC # Notes\n# MAGIC some text\n'
QUERY_SOURCE=$'-- Databricks notebook source\nSELECT 1\n'
printf %s "$ETL_SOURCE" >etl_expected.py
printf %s "$QUERY_SOURCE" >query_expected.sql

# ---------------------------------------------------------------------------------------------
step "legacy import of a folder archive: its top folder becomes the target"
make_dbc proj.dbc proj/ proj/etl proj/sub/ proj/sub/query
expect_ok brix workspace import proj.dbc /Shared/proj -f DBC -l PYTHON
expect_ok brix workspace ls /Shared/proj
assert_eq $'etl\nsub' "$OUT" "the imported tree"
expect_ok brix workspace get-status /Shared/proj/sub -o json
assert_json "$OUT_FILE" 'd["object_type"] == "DIRECTORY"'
expect_ok brix workspace export /Shared/proj/etl -o json
assert_json "$OUT_FILE" 'd["file_type"] == "py"'
expect_ok brix workspace export /Shared/proj/etl --file etl.py
assert_file_eq etl.py etl_expected.py
expect_ok brix workspace export /Shared/proj/sub/query --file query.sql
assert_file_eq query.sql query_expected.sql
expect_exit 1 brix workspace import proj.dbc /Shared/proj -f DBC -l PYTHON
assert_contains "$ERR" "already exists"

step "new-syntax import, and a single-notebook archive becomes that notebook"
expect_ok brix workspace import /Shared/again --file proj.dbc --format DBC
expect_ok brix workspace get-status /Shared/again/sub/query -o json
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "SQL"'
make_dbc one.dbc etl
expect_ok brix workspace import /Shared/one --file one.dbc --format DBC
expect_ok brix workspace get-status /Shared/one -o json
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "PYTHON"'

step "export a folder and a notebook as DBC; the archive imports back to the same notebooks"
expect_ok brix workspace export /Shared/proj --format DBC --file out.dbc
python3 - out.dbc <<'PY' || fail "the exported DBC"
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = sorted(z.namelist())
assert names == ["proj/", "proj/etl.python", "proj/sub/", "proj/sub/query.sql"], names
etl = json.loads(z.read("proj/etl.python"))
assert etl["version"] == "NotebookV1" and etl["name"] == "etl" and etl["language"] == "python", etl
assert [c["command"] for c in etl["commands"]] == ["print('etl')", "%md\n# Notes\nsome text"], etl["commands"]
assert etl["commands"][1]["commandTitle"] == "About" and etl["commands"][1]["showCommandTitle"] is True
assert all(c["version"] == "CommandV1" for c in etl["commands"])
PY
ok
expect_ok brix workspace import /Shared/copy --file out.dbc --format DBC
expect_ok brix workspace export /Shared/copy/etl --file copy_etl.py
assert_file_eq copy_etl.py etl_expected.py
mkdir -p exported
expect_ok brix workspace export /Shared/proj/sub/query exported/ --format DBC
python3 -c 'import zipfile,sys; assert zipfile.ZipFile(sys.argv[1]).namelist() == ["query.sql"]' exported/query.dbc ||
    fail "a notebook's DBC holds the notebook alone"
ok

step "import-dir unpacks a .dbc at its name without the extension"
mkdir -p src
printf '# Databricks notebook source\nprint(1)\n' >src/plain.py
cp proj.dbc src/archive.dbc
expect_ok brix workspace import-dir src /Shared/tree
assert_contains "$OUT" "archive.dbc -> /Shared/tree/archive"
expect_ok brix workspace ls /Shared/tree/archive
assert_eq $'etl\nsub' "$OUT"
expect_ok brix workspace export-dir /Shared/tree back
assert_file_eq back/archive/etl.py etl_expected.py

step "bad archives are refused and change nothing"
printf 'not a zip at all' >bad.dbc
expect_exit 1 brix workspace import /Shared/bad --file bad.dbc --format DBC
assert_contains "$ERR" "Invalid DBC archive"
python3 -c 'import zipfile; zipfile.ZipFile("empty.dbc", "w").writestr("readme.txt", "x")'
expect_exit 1 brix workspace import /Shared/bad --file empty.dbc --format DBC
assert_contains "$ERR" "holds no notebook"
python3 -c 'import zipfile; zipfile.ZipFile("escape.dbc", "w").writestr("../x.python", "{}")'
expect_exit 1 brix workspace import /Shared/bad --file escape.dbc --format DBC
expect_exit 3 brix workspace get-status /Shared/bad
finish
