#!/usr/bin/env bash
# workspace: import/export in both syntaxes, notebooks vs files, ls/get-status/rm, SOURCE <->
# Jupyter in four languages, import-dir/export-dir round trips.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

# ---------------------------------------------------------------------------------------------
step "legacy import without --language keeps the bytes"
printf 'import sys\r\nprint("h\xc3\xa9llo\\t", sys.argv)\n\n# no final newline' >etl.py
expect_ok brix workspace mkdirs /Scripts
assert_eq "" "$OUT" "mkdirs output"
expect_ok brix workspace import etl.py /Workspace/Scripts/etl.py
assert_eq "" "$OUT" "import output"
expect_ok brix workspace export /Scripts/etl.py -
assert_file_eq etl.py "$OUT_FILE"
expect_ok brix workspace export /Workspace/Scripts/etl.py
assert_file_eq etl.py "$OUT_FILE"
expect_ok brix workspace get-status /Scripts/etl.py
assert_json "$OUT_FILE" 'd["object_type"] == "FILE" and d["path"] == "/Scripts/etl.py" and "language" not in d and d["size"] == '"$(stat -c %s etl.py)"

step "new form: import TARGET --file SRC, --content BASE64"
expect_ok brix workspace import /Scripts/etl2.py --file etl.py
expect_ok brix workspace export /Scripts/etl2.py --file "$WORK/exported.py"
assert_eq "" "$OUT" "export --file output"
assert_file_eq etl.py exported.py
for ((i = 0; i < 256; i++)); do printf "\\$(printf %03o $i)"; done >allbytes.bin
expect_ok brix workspace import /Scripts/all.bin --content "$(base64 -w0 allbytes.bin)"
expect_ok brix workspace export /Scripts/all.bin -
assert_file_eq allbytes.bin "$OUT_FILE"
expect_ok brix workspace get-status /Scripts/all.bin
assert_json "$OUT_FILE" 'd["object_type"] == "FILE" and d["size"] == 256'
# the legacy target file: refused when it exists, replaced with -o
expect_exit 1 brix workspace export /Scripts/all.bin exported.py
assert_contains "$ERR" "Error: Target exported.py already exists"
assert_file_eq etl.py exported.py
expect_ok brix workspace export /Scripts/all.bin exported.py -o
assert_file_eq allbytes.bin exported.py
# export into a folder uses the object's name
mkdir into
expect_ok brix workspace export /Scripts/etl.py into
assert_file_eq etl.py into/etl.py
# a target ending in "/" is a folder, created when missing
expect_ok brix workspace export /Scripts/etl.py newdir/
assert_file_eq etl.py newdir/etl.py
expect_ok brix workspace export /Scripts/all.bin --file newdir2/
assert_file_eq allbytes.bin newdir2/all.bin
expect_exit 2 brix workspace import /Scripts/x.py --file etl.py --content "$(base64 -w0 etl.py)"
assert_contains "$ERR" "Error: --file and --content cannot be combined"
expect_exit 2 brix workspace import etl.py /Scripts/x.py --file etl.py
assert_contains "$ERR" "not both"
expect_exit 2 brix workspace import /Scripts/x.py
assert_contains "$ERR" "no local file given"
expect_exit 3 brix workspace get-status /Scripts/x.py

step "-l PYTHON makes a notebook; export adds the header"
printf 'print(1)\nprint(2)\n' >plain.py
expect_ok brix workspace import plain.py /Scripts/nb -l PYTHON
expect_ok brix workspace get-status /Scripts/nb
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "PYTHON" and d["path"] == "/Scripts/nb"'
expect_ok brix workspace export /Scripts/nb -
assert_out_bytes $'# Databricks notebook source\nprint(1)\nprint(2)\n'
# lower-case language, legacy -f SOURCE, and the new form with --language
printf 'SELECT 1;\n' >q.sql
expect_ok brix workspace import q.sql /Scripts/q -l sql -f source
expect_ok brix workspace export /Scripts/q
assert_out_bytes $'-- Databricks notebook source\nSELECT 1;\n'
expect_ok brix workspace import /Scripts/q2 --file q.sql --language SQL --format SOURCE
expect_ok brix workspace get-status /Scripts/q2
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "SQL"'
# SOURCE without a language takes it from the extension
expect_ok brix workspace import /Scripts/from_ext --file plain.py --format SOURCE
expect_ok brix workspace get-status /Scripts/from_ext
assert_json "$OUT_FILE" 'd["language"] == "PYTHON"'
# export into a folder adds the language's extension
expect_ok brix workspace export /Scripts/q into
assert_eq "" "$OUT" "export into a folder"
[[ $(cat into/q.sql) == $'-- Databricks notebook source\nSELECT 1;' ]] || fail "into/q.sql: $(cat into/q.sql)"
ok
# a notebook imported again without overwrite is refused, with -o replaced
expect_exit 1 brix workspace import plain.py /Scripts/nb -l PYTHON
assert_eq "Error: Path (/Scripts/nb) already exists." "$ERR"
printf 'print(3)\n' >plain3.py
expect_ok brix workspace import plain3.py /Scripts/nb -l PYTHON -o
expect_ok brix workspace export /Scripts/nb -
assert_out_bytes $'# Databricks notebook source\nprint(3)\n'
expect_ok brix workspace import /Scripts/nb --file plain.py --language PYTHON --overwrite
expect_ok brix workspace export /Scripts/nb -
assert_out_bytes $'# Databricks notebook source\nprint(1)\nprint(2)\n'

step "AUTO: a headed script becomes a notebook without its extension"
printf '# Databricks notebook source\nprint("headed")\n' >headed.py
expect_ok brix workspace import headed.py /Scripts/headed.py
expect_exit 3 brix workspace get-status /Scripts/headed.py
assert_eq "Error: Path (/Scripts/headed.py) doesn't exist." "$ERR"
expect_ok brix workspace get-status /Scripts/headed
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "PYTHON"'
expect_ok brix workspace export /Scripts/headed -
assert_file_eq headed.py "$OUT_FILE"
printf -- '-- Databricks notebook source\nSELECT 2\n' >headed.sql
expect_ok brix workspace import /Scripts/hsql.sql --file headed.sql --format AUTO
expect_ok brix workspace get-status /Workspace/Scripts/hsql
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "SQL" and d["path"] == "/Scripts/hsql"'
printf '// Databricks notebook source\nprintln(1)\n' >headed.scala
expect_ok brix workspace import headed.scala /Scripts/hscala.scala -f AUTO
expect_ok brix workspace get-status /Scripts/hscala
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "SCALA"'
# the same name from another file is a conflict
expect_exit 1 brix workspace import headed.sql /Scripts/headed.sql
assert_eq "Error: Path (/Scripts/headed) already exists." "$ERR"
# a header in a file whose extension is not a notebook language keeps it a file
cp headed.py headed.txt
expect_ok brix workspace import headed.txt /Scripts/headed.txt
expect_ok brix workspace get-status /Scripts/headed.txt
assert_json "$OUT_FILE" 'd["object_type"] == "FILE"'
# RAW never makes a notebook
expect_ok brix workspace import /Scripts/raw.py --file headed.py --format RAW
expect_ok brix workspace get-status /Scripts/raw.py
assert_json "$OUT_FILE" 'd["object_type"] == "FILE"'

step "ls / list with -l, --absolute, --id and -o json; get-status"
expect_ok brix workspace ls /Scripts
assert_eq $'all.bin\netl.py\netl2.py\nfrom_ext\nheaded\nheaded.txt\nhscala\nhsql\nnb\nq\nq2\nraw.py' "$OUT" "ls names"
expect_ok brix workspace list /Workspace/Scripts --absolute
assert_eq "$(sed 's|^|/Scripts/|' <<<$'all.bin\netl.py\netl2.py\nfrom_ext\nheaded\nheaded.txt\nhscala\nhsql\nnb\nq\nq2\nraw.py')" "$OUT" "ls --absolute"
expect_ok brix workspace ls /Scripts -l
assert_contains "$OUT" $'FILE\tetl.py\t\n' "ls -l"
assert_contains "$OUT" $'NOTEBOOK\tnb\tPYTHON\n' "ls -l"
assert_contains "$OUT" $'NOTEBOOK\tq\tSQL\n' "ls -l"
assert_contains "$OUT" $'NOTEBOOK\thscala\tSCALA\n' "ls -l"
expect_ok brix workspace get-status /Scripts/nb
nb_id=$(sed -n 's/.*"object_id": \([0-9]*\).*/\1/p' "$OUT_FILE")
[[ $nb_id =~ ^[0-9]+$ ]] || fail "no object_id in get-status"
expect_ok brix workspace ls --id -l --absolute /Scripts
assert_contains "$OUT" $'NOTEBOOK\t/Scripts/nb\tPYTHON\t'"$nb_id" "ls -l --absolute --id"
expect_ok brix workspace ls -i /Scripts
assert_contains "$OUT" $'nb\t'"$nb_id" "ls --id"
expect_ok brix workspace ls -o json /Scripts
assert_json "$OUT_FILE" 'isinstance(d, list) and len(d) == 12 and [o["path"] for o in d if o["object_type"] == "NOTEBOOK" and o.get("language") == "PYTHON"] == ["/Scripts/from_ext", "/Scripts/headed", "/Scripts/nb"] and all(isinstance(o["object_id"], int) for o in d)'
expect_ok brix -o json workspace list /Scripts
assert_json "$OUT_FILE" 'len(d) == 12'
expect_ok brix workspace ls
assert_eq $'Repos\nScripts\nShared\nUsers' "$OUT" "ls /"
expect_ok brix workspace ls -l /
assert_eq $'DIRECTORY\tRepos\t\nDIRECTORY\tScripts\t\nDIRECTORY\tShared\t\nDIRECTORY\tUsers\t' "$OUT" "ls -l /"
expect_ok brix workspace ls /Scripts/nb
assert_eq "nb" "$OUT" "ls of a notebook lists itself"
expect_exit 3 brix workspace ls /Nope
assert_eq "Error: Path (/Nope) doesn't exist." "$ERR"
expect_ok brix workspace get-status /Workspace/Scripts/nb
assert_json "$OUT_FILE" 'd["object_id"] == '"$nb_id"' and d["path"] == "/Scripts/nb"'
expect_ok brix workspace get-status /Scripts
assert_json "$OUT_FILE" 'd["object_type"] == "DIRECTORY" and d["path"] == "/Scripts"'

step "rm and delete -r; /Workspace/x is /x"
expect_ok brix workspace rm /Workspace/Scripts/etl2.py
expect_exit 3 brix workspace get-status /Scripts/etl2.py
expect_exit 3 brix workspace rm /Scripts/etl2.py
assert_eq "Error: Path (/Scripts/etl2.py) doesn't exist." "$ERR"
expect_ok brix workspace mkdirs /Workspace/Scripts/sub/deeper
expect_ok brix workspace import etl.py /Scripts/sub/deeper/etl.py
expect_ok brix workspace ls /Workspace/Scripts/sub --absolute
assert_eq "/Scripts/sub/deeper" "$OUT"
expect_exit 1 brix workspace delete /Scripts/sub
assert_eq "Error: Folder (/Scripts/sub) is not empty. Use recursive delete to remove it." "$ERR"
expect_ok brix workspace export /Scripts/sub/deeper/etl.py -
assert_file_eq etl.py "$OUT_FILE"
expect_ok brix workspace delete -r /Workspace/Scripts/sub
expect_exit 3 brix workspace get-status /Scripts/sub/deeper/etl.py
expect_exit 3 brix workspace get-status /Scripts/sub
[[ ! -e $ROOT/workspace/Scripts/sub ]] || fail "deleted folder still on disk"
ok
expect_ok brix workspace mkdirs /Scripts/empty
expect_ok brix workspace rm /Scripts/empty
expect_exit 3 brix workspace get-status /Scripts/empty

# ---------------------------------------------------------------------------------------------
step "SOURCE -> Jupyter -> SOURCE is exact in every language"
cat >nb_python.py <<'EOF'
# Databricks notebook source
# MAGIC %md
# MAGIC # Daily report
# MAGIC
# MAGIC Some *markdown* with `code`.

# COMMAND ----------

# DBTITLE 1,Load the data
import os
rows = [1, 2, 3]

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT count(*) AS n
# MAGIC FROM range(10)

# COMMAND ----------

# MAGIC %run ./helpers

# COMMAND ----------

print(sum(rows))
EOF
cat >nb_sql.sql <<'EOF'
-- Databricks notebook source
-- MAGIC %md
-- MAGIC ## Queries

-- COMMAND ----------

-- DBTITLE 1,Count rows
SELECT count(*) FROM range(10)

-- COMMAND ----------

-- MAGIC %python
-- MAGIC print("from python")

-- COMMAND ----------

-- MAGIC %run ./setup

-- COMMAND ----------

SELECT 1 AS one
EOF
cat >nb_scala.scala <<'EOF'
// Databricks notebook source
// MAGIC %md
// MAGIC Scala notebook

// COMMAND ----------

// DBTITLE 1,Numbers
val xs = Seq(1, 2, 3)
println(xs.sum)

// COMMAND ----------

// MAGIC %sql
// MAGIC SELECT 42

// COMMAND ----------

// MAGIC %run ./lib
EOF
cat >nb_r.r <<'EOF'
# Databricks notebook source
# MAGIC %md
# MAGIC R notebook

# COMMAND ----------

# DBTITLE 1,Vector
x <- c(1, 2, 3)
print(sum(x))

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT 7

# COMMAND ----------

# MAGIC %run ./common
EOF
# the parent folder must exist
expect_exit 3 brix workspace import nb_python.py /Shared/jup/python -l PYTHON
assert_eq "Error: Path (/Shared/jup) doesn't exist." "$ERR"
expect_ok brix workspace mkdirs /Shared/jup
for spec in python:PYTHON:py:5 sql:SQL:sql:5 scala:SCALA:scala:4 r:R:r:4; do
    IFS=: read -r name language ext cells <<<"$spec"
    src=nb_$name.$ext
    lower=$(tr '[:upper:]' '[:lower:]' <<<"$language")
    expect_ok brix workspace import "$src" "/Shared/jup/$name" -l "$language" -f SOURCE
    expect_ok brix workspace export "/Shared/jup/$name" -
    assert_file_eq "$src" "$OUT_FILE"
    expect_ok brix workspace export "/Shared/jup/$name" --format JUPYTER --file "$name.ipynb"
    assert_json "$name.ipynb" 'd["nbformat"] == 4 and len(d["cells"]) == '"$cells"' and d["cells"][0]["cell_type"] == "markdown" and all(c["cell_type"] == "code" for c in d["cells"][1:]) and d["metadata"]["application/vnd.databricks.v1+notebook"]["language"] == "'"$lower"'" and d["cells"][1]["metadata"]["application/vnd.databricks.v1+cell"]["title"] != ""'
    assert_json "$name.ipynb" 'any("".join(c["source"]).startswith("%run ") for c in d["cells"])'
    # legacy form back in, then the new form
    expect_ok brix workspace import "$name.ipynb" "/Shared/jup/${name}_back" -f JUPYTER
    expect_ok brix workspace get-status "/Shared/jup/${name}_back"
    assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "'"$language"'"'
    expect_ok brix workspace export "/Shared/jup/${name}_back" -
    assert_file_eq "$src" "$OUT_FILE"
    expect_ok brix workspace import "/Shared/jup/${name}_new" --file "$name.ipynb" --format JUPYTER
    expect_ok brix workspace export "/Shared/jup/${name}_new" --format SOURCE --file "back.$ext"
    assert_file_eq "$src" "back.$ext"
    # AUTO recognises an .ipynb and drops the extension
    expect_ok brix workspace import "$name.ipynb" "/Shared/jup/${name}_auto.ipynb"
    expect_ok brix workspace export "/Shared/jup/${name}_auto" -
    assert_file_eq "$src" "$OUT_FILE"
done
# Jupyter export into a folder gets the .ipynb name
mkdir jupdir
expect_ok brix workspace export /Shared/jup/python jupdir -f JUPYTER
assert_file_eq python.ipynb jupdir/python.ipynb
expect_ok brix -o json workspace export /Shared/jup/python
assert_json "$OUT_FILE" 'd["file_type"] == "py" and isinstance(d["content"], str)'
[[ $(sed -n 's/.*"content": "\(.*\)".*/\1/p' "$OUT_FILE" | base64 -d) == "$(cat nb_python.py)" ]] || fail "-o json content"
ok

# ---------------------------------------------------------------------------------------------
step "import-dir / export-dir round trip of 200 files"
make_tree() {
    local top=$1 i dir
    mkdir -p "$top"/{etl/{bronze,silver/{daily,hourly},gold},lib/util,data/raw/2024,"my docs",données,empty/nested}
    mkdir -p "$top"/.config "$top"/.git/{objects/ab,refs/heads}
    local dirs=(etl etl/bronze etl/silver/daily etl/silver/hourly etl/gold lib lib/util data data/raw/2024 "my docs" données .config)
    for ((i = 0; i < 87; i++)); do # plain text files
        dir=${dirs[$((i % 11))]}
        printf 'line %d of %s\nsecond line\n' "$i" "$dir" >"$top/$dir/note_$i.txt"
    done
    for ((i = 0; i < 30; i++)); do # binary files, one empty
        head -c $((i * 97)) /dev/urandom >"$top/${dirs[$((i % 11))]}/blob_$i.bin"
    done
    for ((i = 0; i < 40; i++)); do # scripts without header stay files
        printf 'import sys\n\ndef f_%d():\n    return %d\n' "$i" "$i" >"$top/${dirs[$((i % 11))]}/script_$i.py"
    done
    for ((i = 0; i < 12; i++)); do # notebooks with a header
        printf '# Databricks notebook source\nprint(%d)\n\n# COMMAND ----------\n\n# MAGIC %%md\n# MAGIC cell %d\n' "$i" "$i" \
            >"$top/${dirs[$((i % 11))]}/nb_$i.py"
    done
    for ((i = 0; i < 6; i++)); do
        printf -- '-- Databricks notebook source\nSELECT %d\n' "$i" >"$top/${dirs[$((i % 11))]}/query_$i.sql"
        printf '// Databricks notebook source\nprintln(%d)\n' "$i" >"$top/${dirs[$((i % 11))]}/job_$i.scala"
        printf '# Databricks notebook source\nprint(%d)\n' "$i" >"$top/${dirs[$((i % 11))]}/stats_$i.r"
    done
    printf 'a,b\n1,2\n' >"$top/my docs/report 2024.csv"
    printf 'é\n' >"$top/données/café.txt"
    mkdir -p "$top/odd #%?&+=;"
    printf 'URL-unsafe names\n' >"$top/odd #%?&+=;/a b#c%20d?e&f+g.txt"
    for ((i = 0; i < 8; i++)); do # hidden files, top level and nested
        printf 'secret=%d\n' "$i" >"$top/${dirs[$((i % 11))]}/.hidden_$i"
    done
    printf '[core]\n' >"$top/.git/config"
    printf 'x' >"$top/.git/objects/ab/cdef"
    printf 'ref\n' >"$top/.git/refs/heads/main"
    printf 'root\n' >"$top/.env"
    printf 'ignored\n' >"$top/.config/.hidden_deep"
}
make_tree src
total=$(find src -path src/.git -prune -o -type f -print | wc -l)
assert_eq 200 "$total" "files in the generated tree"
hidden=$(find src -path src/.git -prune -o -type f -path '*/.*' -print | wc -l)

expect_ok brix workspace import-dir src /Shared/tree
assert_eq 200 "$(wc -l <"$OUT_FILE")" "import-dir lines"
assert_not_contains "$OUT" ".git/" "import-dir output"
assert_contains "$OUT" "etl/bronze/note_1.txt -> /Shared/tree/etl/bronze/note_1.txt" "import-dir output"
expect_ok brix workspace get-status /Shared/tree/etl/bronze/nb_1
assert_json "$OUT_FILE" 'd["object_type"] == "NOTEBOOK" and d["language"] == "PYTHON"'
expect_ok brix workspace get-status /Shared/tree/etl/bronze/script_1.py
assert_json "$OUT_FILE" 'd["object_type"] == "FILE"'
expect_ok brix workspace get-status /Shared/tree/etl/query_0
assert_json "$OUT_FILE" 'd["language"] == "SQL"'
expect_ok brix workspace get-status /Shared/tree/etl/job_0
assert_json "$OUT_FILE" 'd["language"] == "SCALA"'
expect_ok brix workspace get-status /Shared/tree/etl/stats_0
assert_json "$OUT_FILE" 'd["language"] == "R"'
expect_ok brix workspace get-status "/Shared/tree/my docs/report 2024.csv"
expect_ok brix workspace get-status /Shared/tree/données/café.txt
expect_exit 3 brix workspace get-status /Shared/tree/.git
expect_ok brix workspace get-status /Shared/tree/empty/nested

expect_ok brix workspace export-dir /Shared/tree out
assert_eq 200 "$(wc -l <"$OUT_FILE")" "export-dir lines"
assert_contains "$OUT" "/Shared/tree/etl/bronze/nb_1 -> out/etl/bronze/nb_1.py" "export-dir output"
assert_trees_eq src out -x .git
assert_no_file out/.git

step "import-dir: existing objects are skipped, -o replaces them"
printf 'changed\n' >src/etl/gold/note_4.txt
printf '# Databricks notebook source\nprint("changed")\n' >src/etl/nb_0.py
expect_ok brix workspace import-dir src /Workspace/Shared/tree
assert_eq 200 "$(grep -c ' (skipped; already exists)$' "$OUT_FILE")" "skipped lines"
assert_contains "$OUT" "etl/gold/note_4.txt -> /Workspace/Shared/tree/etl/gold/note_4.txt (skipped; already exists)"
expect_ok brix workspace export /Shared/tree/etl/gold/note_4.txt -
assert_file_eq out/etl/gold/note_4.txt "$OUT_FILE"
expect_ok brix workspace import-dir src /Shared/tree -o
assert_eq 0 "$(grep -c 'skipped' "$OUT_FILE")" "skipped lines with -o"
expect_ok brix workspace export /Shared/tree/etl/gold/note_4.txt -
assert_file_eq src/etl/gold/note_4.txt "$OUT_FILE"
expect_ok brix workspace export /Shared/tree/etl/nb_0 -
assert_file_eq src/etl/nb_0.py "$OUT_FILE"

step "export-dir: existing local files are kept, -o replaces them"
printf 'local edit\n' >out/lib/note_5.txt
expect_ok brix workspace export-dir /Shared/tree out
assert_eq 200 "$(grep -c ' (skipped; already exists)$' "$OUT_FILE")" "export-dir skipped lines"
[[ $(cat out/lib/note_5.txt) == "local edit" ]] || fail "export-dir without -o replaced a local file"
ok
expect_ok brix workspace export-dir /Shared/tree out -o
assert_trees_eq src out -x .git

step "import-dir -e leaves hidden files out; legacy aliases"
expect_ok brix workspace import-dir -e src /Shared/visible
assert_eq $((200 - hidden)) "$(wc -l <"$OUT_FILE")" "import-dir -e lines"
assert_not_contains "$OUT" "/." "import-dir -e output"
expect_exit 3 brix workspace get-status /Shared/visible/.env
expect_exit 3 brix workspace get-status /Shared/visible/.config
expect_ok brix workspace export-dir /Shared/visible visible
find src -path src/.git -prune -o -name '.*' -prune -o -print | sed 's|^src||' | sort >want.list
find visible -print | sed 's|^visible||' | sort >got.list
assert_file_eq want.list got.list
mkdir -p small/sub
printf 'a\n' >small/a.txt
printf '# Databricks notebook source\n1\n' >small/sub/n.py
expect_ok brix workspace import_dir small /Shared/alias
assert_eq $'a.txt -> /Shared/alias/a.txt\nsub/n.py -> /Shared/alias/sub/n.py' "$OUT" "import_dir output"
expect_ok brix workspace export_dir /Workspace/Shared/alias small_back
assert_eq $'/Shared/alias/a.txt -> small_back/a.txt\n/Shared/alias/sub/n -> small_back/sub/n.py' "$OUT" "export_dir output"
assert_trees_eq small small_back

step "import-dir / export-dir errors"
expect_exit 1 brix workspace import-dir nothere /Shared/x
assert_eq "Error: The local folder nothere does not exist or is not a folder." "$ERR"
expect_exit 1 brix workspace import-dir etl.py /Shared/x
expect_exit 3 brix workspace export-dir /Shared/nothere x
assert_eq "Error: Path (/Shared/nothere) doesn't exist." "$ERR"
expect_exit 1 brix workspace export-dir /Shared/alias/a.txt x
assert_eq "Error: The source path must be a folder: /Shared/alias/a.txt" "$ERR"
assert_no_file x
# one refused file does not stop the others; a link back up the tree is not followed but reported
mkdir -p odd/sub
printf 'a\n' >odd/a.txt
printf 'b\n' >odd/$'bad\tname.txt'
printf 'z\n' >odd/z.txt
ln -s .. odd/sub/up
ln -s ../a.txt odd/sub/link.txt
expect_exit 1 brix workspace import-dir odd /Shared/odd
assert_eq $'Error: bad\tname.txt: path contains a NUL or control character\nError: sub/up: symbolic link to a folder; not imported\nError: 2 item(s) failed' "$ERR"
assert_eq $'a.txt -> /Shared/odd/a.txt\nsub/link.txt -> /Shared/odd/sub/link.txt\nz.txt -> /Shared/odd/z.txt' "$OUT"
expect_ok brix workspace export /Shared/odd/sub/link.txt -
assert_file_eq odd/a.txt "$OUT_FILE"
expect_ok brix workspace ls /Shared/odd
assert_eq $'a.txt\nsub\nz.txt' "$OUT" "imported despite the refused file"

finish
