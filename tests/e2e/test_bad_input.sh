#!/usr/bin/env bash
# Bad input: every case gets its exit code and message asserted, prints nothing on stdout, and
# leaves the engine root exactly as it was (database dump, files, sizes, checksums).
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

# rejects CODE MESSAGE cmd...: the command exits CODE, its stderr holds MESSAGE (exactly, when
# MESSAGE starts with "="; else as a substring), stdout stays empty and the store is unchanged.
rejects() {
    local code=$1 message=$2
    shift 2
    snapshot_save before
    expect_exit "$code" "$@"
    if [[ $message == =* ]]; then
        assert_eq "${message#=}" "$ERR" "stderr"
    else
        assert_contains "$ERR" "$message" "stderr"
    fi
    assert_eq "" "$OUT" "stdout"
    assert_unchanged before
}

step "seed the store"
seed_store_objects
[[ -f $ROOT/brix.db ]] || fail "no database after seeding"
ok

# ---------------------------------------------------------------------------------------------
step "unknown format or language (usage, exit 2)"
rejects 2 "=Error: --format: FOO not in {SOURCE,AUTO,JUPYTER,RAW,HTML,DBC,R_MARKDOWN}
Run 'brix workspace import --help' for usage." brix workspace import etl.py /Shared/new.py -f FOO
rejects 2 "Error: --format: FOO not in" brix workspace import /Shared/new.py --file etl.py --format FOO
rejects 2 "Error: --format: XML not in" brix workspace export /Shared/nb -f XML
rejects 2 "=Error: --language: COBOL not in {PYTHON,SQL,SCALA,R}
Run 'brix workspace import --help' for usage." brix workspace import etl.py /Shared/new.py -l COBOL
rejects 2 "Error: --language: JAVA not in" brix workspace import /Shared/new --file etl.py --language JAVA
rejects 2 "Error: cannot tell the language of /Shared/new from its name: pass --language PYTHON|SQL|SCALA|R, or --format AUTO" \
    brix workspace import /Shared/new --content "$(base64 -w0 etl.py)" -f SOURCE
rejects 2 "Error: --content must be base64" brix workspace import /Shared/new.py --content '%%%'
rejects 2 'Error: --output: BOGUS not in {text,json}' brix -o BOGUS workspace ls /
# the formats the local engine does not implement are refused, not mangled
rejects 1 "=Error: The HTML format is not supported by the brix local engine" brix workspace import etl.py /Shared/new -f HTML -l PYTHON

step "malformed notebook JSON"
printf '{"cells": [' >broken.ipynb
rejects 1 "=Error: Invalid Jupyter notebook: the content is not valid JSON" brix workspace import broken.ipynb /Shared/new -f JUPYTER
printf '{"cells": 3}' >nocells.ipynb
rejects 1 '=Error: Invalid Jupyter notebook: no "cells" list' brix workspace import /Shared/new --file nocells.ipynb --format JUPYTER
# AUTO with an .ipynb that is not a notebook keeps it a plain file: that is not an error
expect_ok brix workspace import broken.ipynb /Shared/broken.ipynb
expect_ok brix workspace get-status /Shared/broken.ipynb
assert_json "$OUT_FILE" 'd["object_type"] == "FILE"'
expect_ok brix workspace rm /Shared/broken.ipynb

step "existing object without overwrite (exit 1)"
rejects 1 "=Error: Path (/Shared/etl.py) already exists." brix workspace import etl.py /Shared/etl.py
rejects 1 "=Error: Path (/Shared/etl.py) already exists." brix workspace import /Workspace/Shared/etl.py --file etl.py
rejects 1 "=Error: Path (/Shared/nb) already exists." brix workspace import nb.py /Shared/nb.py
rejects 1 "=Error: Path (/Shared/nb) already exists." brix workspace import nb.py /Shared/nb -l PYTHON
rejects 1 "=Error: A file or directory already exists at the input path dbfs:/data/file.txt." brix fs put dbfs:/data/file.txt "x"
rejects 1 "=Error: A file or directory already exists at the input path dbfs:/data/file.txt." brix fs cp etl.py dbfs:/data/file.txt
rejects 1 "=Error: The file /Volumes/main/default/vol/v.txt already exists." brix fs put /Volumes/main/default/vol/v.txt "x"
rejects 1 "=Error: A file or directory already exists at the input path dbfs:/data/file.txt." brix fs mv dbfs:/data/dir dbfs:/data/file.txt
printf 'local\n' >local.txt
rejects 1 "=Error: local.txt already exists; use --overwrite to replace it" brix fs cp dbfs:/data/file.txt local.txt
[[ $(cat local.txt) == local ]] || fail "local file changed"
ok
rejects 1 "=Error: Target local.txt already exists; use --overwrite (-o) to replace it" brix workspace export /Shared/etl.py local.txt
[[ $(cat local.txt) == local ]] || fail "local file changed"
ok

step "missing parent folder (exit 3)"
rejects 3 "=Error: Path (/Shared/missing) doesn't exist." brix workspace import etl.py /Shared/missing/etl.py
rejects 3 "=Error: Path (/Nope/deeper) doesn't exist." brix workspace import /Nope/deeper/x.py --file etl.py --overwrite
rejects 3 "=Error: Path (/Shared/missing) doesn't exist." brix workspace import nb.py /Workspace/Shared/missing/nb -l PYTHON
rejects 3 "=Error: Path (/Shared/missing/nb) doesn't exist." brix workspace export /Shared/missing/nb -
rejects 3 "=Error: Path (/Shared/missing) doesn't exist." brix workspace rm -r /Shared/missing
rejects 3 "=Error: No file or directory exists on path dbfs:/missing/x." brix fs cat dbfs:/missing/x
rejects 3 "=Error: No file or directory exists on path dbfs:/missing/x." brix fs mv dbfs:/missing/x dbfs:/data/y
assert_no_file missing.out
rejects 3 "=Error: No file or directory exists on path dbfs:/missing/x." brix fs cp dbfs:/missing/x missing.out
assert_no_file missing.out

step "paths with .. that would leave the root (exit 1)"
rejects 1 "=Error: path leaves the root: /Shared/../../etc/passwd" brix workspace import etl.py /Shared/../../etc/passwd
rejects 1 "=Error: path leaves the root: /../x.py" brix workspace import /../x.py --file etl.py --overwrite
rejects 1 "=Error: path leaves the root: /Workspace/../../x" brix workspace mkdirs /Workspace/../../x
rejects 1 "=Error: path leaves the root: /.." brix workspace ls /..
rejects 1 "=Error: path leaves the root: /../workspace/Shared/etl.py" brix workspace rm /../workspace/Shared/etl.py
rejects 1 "=Error: path leaves the root: /../brix.db" brix workspace export /../brix.db -
rejects 1 "=Error: path leaves the root: /../../escaped" brix fs put dbfs:/../../escaped "x"
rejects 1 "=Error: path leaves the root: /data/../../brix.db" brix fs cat dbfs:/data/../../brix.db
rejects 1 "=Error: path leaves the root: /a/../../x" brix fs cp etl.py dbfs:/a/../../x
rejects 1 "=Error: path leaves the root: /../tmp" brix fs mkdirs dbfs:/../tmp
rejects 1 "=Error: path leaves the root: /.." brix fs ls dbfs:/..
rejects 1 "=Error: path leaves the root: /../workspace" brix fs rm -r dbfs:/../workspace
rejects 1 "=Error: path leaves the root: /Volumes/main/default/vol/../../../../../x" brix fs put /Volumes/main/default/vol/../../../../../x "x"
rejects 1 "=Error: path leaves the root: /Volumes/../../../brix.db" brix fs cat dbfs:/Volumes/../../../brix.db
# ".." that stays inside is just a path
expect_ok brix fs put dbfs:/data/dir/../inside.txt "ok"
expect_ok brix fs cat dbfs:/data/inside.txt
assert_out_bytes "ok"
expect_ok brix fs rm dbfs:/data/inside.txt

step "paths with control characters (exit 1)"
rejects 1 "=Error: path contains a NUL or control character" brix workspace import etl.py $'/Shared/a\tb.py'
rejects 1 "=Error: path contains a NUL or control character" brix workspace import $'/Shared/a\nb.py' --file etl.py
rejects 1 "=Error: path contains a NUL or control character" brix workspace mkdirs $'/Shared/a\x1bb'
rejects 1 "=Error: path contains a NUL or control character" brix workspace get-status $'/Shared/etl.py\r'
rejects 1 "=Error: path contains a NUL or control character" brix fs put $'dbfs:/a\x01b' "x"
rejects 1 "=Error: path contains a NUL or control character" brix fs mkdirs $'dbfs:/data/a\x7fb'
rejects 1 "=Error: path contains a NUL or control character" brix fs cp etl.py $'dbfs:/data/a\tb'
rejects 1 "=Error: path contains a NUL or control character" brix fs put $'/Volumes/main/default/vol/a\nb' "x"

step "a folder where a file is expected, and the reverse (exit 1)"
rejects 1 "=Error: Path (/Shared) already exists and is a folder." brix workspace import etl.py /Shared
rejects 1 "=Error: Path (/Shared/dir) already exists and is a folder." brix workspace import etl.py /Shared/dir -o
rejects 1 "=Error: Path (/) already exists and is a folder." brix workspace import /Workspace --file etl.py --overwrite
rejects 1 "Error: Path (/Shared/dir) is a folder" brix workspace export /Shared/dir -
rejects 1 "=Error: A file or directory already exists at the input path dbfs:/data/dir." brix fs put dbfs:/data/dir "x"
rejects 1 "=Error: A file or directory already exists at the input path dbfs:/data/dir." brix fs put dbfs:/data/dir "x" --overwrite
rejects 1 "=Error: dbfs:/data/dir is a directory" brix fs cat dbfs:/data/dir
rejects 1 "=Error: dbfs:/data is a directory" brix fs cat dbfs:/data
rejects 1 "=Error: Cannot copy a directory onto the file dbfs:/data/file.txt" brix fs cp -r "$WORK" dbfs:/data/file.txt
rejects 1 "=Error: Cannot copy a directory onto the file local.txt" brix fs cp -r dbfs:/data local.txt
# the reverse: a folder under a file
rejects 1 "=Error: Cannot create /Shared/etl.py/sub because /Shared/etl.py already exists and it is not a folder" \
    brix workspace mkdirs /Shared/etl.py/sub
rejects 1 "=Error: Path (/Shared/etl.py) is not a folder." brix workspace import nb.py /Shared/etl.py/nb -l PYTHON
rejects 1 "=Error: Cannot create directory dbfs:/data/file.txt/sub because dbfs:/data/file.txt is an existing file." \
    brix fs mkdirs dbfs:/data/file.txt/sub
rejects 1 "=Error: Cannot create directory dbfs:/data/file.txt because dbfs:/data/file.txt is an existing file." \
    brix fs put dbfs:/data/file.txt/child "x"
rejects 1 "Error: Cannot create directory dbfs:/Volumes/main/default/vol/v.txt/sub" brix fs mkdirs /Volumes/main/default/vol/v.txt/sub
rejects 1 "=Error: Folder (/Shared/dir) is not empty. Use recursive delete to remove it." brix workspace rm /Shared/dir
rejects 1 "=Error: Directory is not empty. Use recursive delete or remove contents first: dbfs:/data" brix fs rm dbfs:/data
rejects 1 "=Error: The workspace root cannot be deleted" brix workspace rm -r /Workspace
rejects 1 "=Error: The DBFS root cannot be deleted" brix fs rm -r dbfs:/

step "a file over the 10 MB import limit (exit 1)"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero >big.py
rejects 1 "=Error: File size imported is (10485761 bytes), exceeded max size (10485760 bytes)" brix workspace import big.py /Shared/big.py
rejects 1 "=Error: File size imported is (10485761 bytes), exceeded max size (10485760 bytes)" brix workspace import /Shared/big --file big.py -l PYTHON
snapshot_save before
expect_exit 1 brix --debug workspace import /Shared/big.py --file big.py --format RAW
assert_contains "$ERR" "< 400 MAX_NOTEBOOK_SIZE_EXCEEDED" "debug trace"
assert_unchanged before
head -c $((10 * 1024 * 1024)) /dev/zero >limit.bin
expect_ok brix workspace import limit.bin /Shared/limit.bin
expect_ok brix workspace rm /Shared/limit.bin
rm -f big.py limit.bin

step "unreadable, missing or folder local files (exit 1)"
rejects 1 "=Error: The local file missing.py does not exist." brix workspace import missing.py /Shared/missing.py
rejects 1 "=Error: The local file missing.py does not exist." brix workspace import /Shared/missing.py --file missing.py
rejects 1 "=Error: The local file missing.py does not exist." brix fs cp missing.py dbfs:/data/missing.py
rejects 1 "=Error: The local file missing.py does not exist." brix fs put dbfs:/data/missing.py --file missing.py
mkdir -p adir
rejects 1 "=Error: The local file adir is a directory, not a file." brix workspace import adir /Shared/adir
rejects 1 "=Error: The local file adir is a directory, not a file." brix fs put dbfs:/data/adir --file adir
rejects 1 "=Error: adir is a directory. You must provide --recursive (-r)" brix fs cp adir dbfs:/data/adir
if [[ $(id -u) == 0 ]]; then
    skip "running as root: a chmod 000 file is still readable"
else
    printf 'secret\n' >unreadable.py
    chmod 000 unreadable.py
    rejects 1 "=Error: cannot read unreadable.py: Permission denied" brix workspace import unreadable.py /Shared/unreadable.py
    rejects 1 "=Error: cannot read unreadable.py: Permission denied" brix fs cp unreadable.py dbfs:/data/unreadable.py
    chmod 600 unreadable.py
fi

# ---------------------------------------------------------------------------------------------
step "configuration that does not parse, profiles that do not exist (exit 1)"
printf '[ok]\nhost = local\n\nthis line is garbage\n' >garbage.cfg
DATABRICKS_CONFIG_FILE=$WORK/garbage.cfg rejects 1 \
    "=Error: cannot parse $WORK/garbage.cfg line 4: expected 'key = value' or '[section]'" brix workspace ls /
printf '[ok]\nhost = local\n[broken\n' >garbage2.cfg
DATABRICKS_CONFIG_FILE=$WORK/garbage2.cfg rejects 1 \
    "=Error: cannot parse $WORK/garbage2.cfg line 3: expected a section header like '[name]'" brix fs ls dbfs:/
DATABRICKS_CONFIG_FILE=$WORK rejects 1 "=Error: cannot read $WORK: it is a directory" brix fs ls dbfs:/
rejects 1 "=Error: profile 'nope' not found: $HOME/.databrickscfg does not exist (selected by --profile flag)" \
    brix -p nope workspace ls /
printf '[DEFAULT]\nhost = local\n\n[dev]\nhost = local\n' >"$HOME/.databrickscfg"
rejects 1 "=Error: profile 'nope' not found in $HOME/.databrickscfg (selected by --profile flag)" brix --profile nope fs ls
DATABRICKS_CONFIG_PROFILE=nope rejects 1 \
    "=Error: profile 'nope' not found in $HOME/.databrickscfg (selected by DATABRICKS_CONFIG_PROFILE environment variable)" \
    brix workspace ls /
if backend_is_local; then # a DATABRICKS_HOST in the environment (the serve backend) skips default_profile
    printf '[__settings__]\ndefault_profile = gone\n[dev]\nhost = local\n' >"$HOME/.databrickscfg"
    rejects 1 "Error: profile 'gone' not found in $HOME/.databrickscfg (selected by default_profile in [__settings__]" \
        brix workspace ls /
fi
printf '[rel]\nhost = local:relative/root\n' >"$HOME/.databrickscfg"
rejects 1 "the local engine folder must be an absolute path" brix -p rel workspace ls /
rm "$HOME/.databrickscfg"

step "unknown commands and flags (exit 2, with a suggestion)"
rejects 2 "=Error: unknown command \"workspce\" for \"brix\"
Did you mean \"workspace\"?
Run 'brix --help' for usage." brix workspce ls /
rejects 2 "=Error: unknown command \"lst\" for \"brix workspace\"
Did you mean \"ls\"?
Run 'brix workspace --help' for usage." brix workspace lst /
rejects 2 "=Error: unknown flag: --overwrit
Did you mean \"--overwrite\"?
Run 'brix workspace import --help' for usage." brix workspace import etl.py /Shared/etl.py --overwrit
rejects 2 "Did you mean \"--recursive\"?" brix fs rm --recursiv dbfs:/data
rejects 2 "Did you mean \"cp\"?" brix fs cpp a b
rejects 2 "Error: unknown command \"frobnicate\" for \"brix\"" brix frobnicate
rejects 2 "Run 'brix workspace import --help' for usage." brix workspace import
rejects 2 "Run 'brix fs mkdirs --help' for usage." brix fs mkdirs

finish
