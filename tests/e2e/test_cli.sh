#!/usr/bin/env bash
# The binary around the commands: --version, --help at every level, the `databricks` name,
# output modes, --debug tracing, profile and backend resolution, an unreachable host.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

DATABRICKS=$(dirname "$BRIX")/databricks

# ---------------------------------------------------------------------------------------------
step "--version and --help"
expect_ok brix --version
[[ $OUT =~ ^brix\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version: [$OUT]"
ok
expect_ok brix --help
assert_contains "$OUT" "Usage: brix <command> [flags]"
assert_contains "$OUT" "workspace"
assert_contains "$OUT" "fs"
assert_contains "$OUT" "-p, --profile"
assert_contains "$OUT" "Exit codes: 0 ok, 1 error, 2 usage, 3 not found"
expect_ok brix -h
assert_contains "$OUT" "Usage: brix <command> [flags]"
for group in workspace fs; do
    expect_ok brix "$group" --help
    assert_contains "$OUT" "Usage: brix $group <command> [flags]"
    # a group without a verb shows its verbs, successfully
    expect_ok brix "$group"
    assert_contains "$OUT" "Commands:"
    assert_contains "$OUT" "Usage: brix $group <command> [flags]"
    assert_contains "$OUT" "ls"
done
for leaf in "workspace import" "workspace export" "workspace import-dir" "workspace export-dir" "workspace ls" \
    "workspace get-status" "workspace rm" "workspace mkdirs" "fs cp" "fs ls" "fs cat" "fs put" "fs rm" "fs mv" "fs mkdirs"; do
    # shellcheck disable=SC2086
    expect_ok brix $leaf --help
    assert_contains "$OUT" "Usage: brix $leaf "
    assert_contains "$OUT" "Example"
done
expect_ok brix workspace import_dir --help
assert_contains "$OUT" "Import a local folder tree into the workspace"
expect_ok brix workspace list -h
assert_contains "$OUT" "--absolute"
# help never touches the engine (a serve backend has made the root already)
if backend_is_local; then
    [[ ! -e $ROOT ]] || fail "--help created the engine root"
    ok
fi

step "the databricks name behaves the same"
[[ -x $DATABRICKS ]] || fail "no databricks link next to $BRIX"
ok
expect_ok "$DATABRICKS" --version
version=$OUT
expect_ok brix --version
assert_eq "$version" "$OUT" "--version"
expect_ok "$DATABRICKS" workspace import --help
assert_contains "$OUT" "Usage: databricks workspace import <source> <target> [flags]"
expect_ok brix workspace import --help
brix_help=$OUT
expect_ok "$DATABRICKS" workspace import --help
assert_eq "$brix_help" "${OUT//databricks workspace import/brix workspace import}" "help through the databricks name"
printf 'print(1)\n' >a.py
expect_ok "$DATABRICKS" workspace import a.py /Shared/a.py
expect_ok brix workspace export /Shared/a.py -
assert_file_eq a.py "$OUT_FILE"
expect_ok "$DATABRICKS" fs put dbfs:/x.txt "via databricks"
expect_ok brix fs cat dbfs:/x.txt
assert_out_bytes "via databricks"
expect_ok brix workspace ls -l /Shared
brix_ls=$OUT
expect_ok "$DATABRICKS" workspace ls -l /Shared
assert_eq "$brix_ls" "$OUT" "ls through the databricks name"
expect_exit 2 "$DATABRICKS" workspace lst
assert_eq $'Error: unknown command "lst" for "databricks workspace"\nDid you mean "ls"?\nRun \'databricks workspace --help\' for usage.' "$ERR"
expect_exit 3 "$DATABRICKS" workspace get-status /Shared/none
assert_eq "Error: Path (/Shared/none) doesn't exist." "$ERR"

step "-o json and text"
expect_ok brix workspace ls /Shared
assert_eq "a.py" "$OUT" "text"
expect_ok brix workspace ls /Shared -o text
assert_eq "a.py" "$OUT" "-o text"
expect_ok brix -o json workspace ls /Shared
assert_json "$OUT_FILE" 'isinstance(d, list) and d[0]["path"] == "/Shared/a.py" and d[0]["object_type"] == "FILE"'
expect_ok brix workspace ls /Shared --output json
assert_json "$OUT_FILE" 'd[0]["path"] == "/Shared/a.py"'
expect_ok brix workspace ls /Shared --output=JSON
assert_json "$OUT_FILE" 'd[0]["path"] == "/Shared/a.py"'
DATABRICKS_OUTPUT_FORMAT=json expect_ok brix workspace ls /Shared
assert_json "$OUT_FILE" 'd[0]["path"] == "/Shared/a.py"'
DATABRICKS_OUTPUT_FORMAT=json expect_ok brix workspace ls /Shared -o text
assert_eq "a.py" "$OUT" "-o text beats DATABRICKS_OUTPUT_FORMAT"
expect_ok brix fs ls dbfs:/ -o json
assert_json "$OUT_FILE" 'd == [{"name": "x.txt", "path": "dbfs:/x.txt", "is_directory": False, "size": 14, "last_modified": d[0]["last_modified"]}]'
# JSON is indented by two spaces
expect_ok brix workspace get-status /Shared
assert_eq $'{\n  "object_type": "DIRECTORY",\n  "path": "/Shared",' "$(head -3 "$OUT_FILE")" "get-status JSON"
# the legacy -o (overwrite) of workspace import still works next to -o json
expect_ok brix workspace import a.py /Shared/a.py -o
expect_ok brix workspace import a.py /Shared/a.py -o -o json
assert_eq "" "$OUT" "import prints nothing"

step "--debug traces requests on stderr"
expect_exit 0 brix --debug workspace ls /Shared
assert_eq "a.py" "$OUT" "stdout with --debug"
assert_contains "$ERR" "> GET /api/2.0/workspace/list?path=/Shared"
[[ $ERR =~ \<\ 200\ OK\ \([0-9.]+\ ms\) ]] || fail "no response line: $ERR"
ok
expect_exit 0 brix workspace ls /Shared --debug
assert_contains "$ERR" "> GET /api/2.0/workspace/list?path=/Shared"
expect_exit 0 brix --debug fs put dbfs:/debug.txt "payload"
assert_contains "$ERR" "> POST /api/2.0/dbfs/put?path=/debug.txt&overwrite=false [upload]"
assert_not_contains "$ERR" "payload" "debug trace"
expect_exit 3 brix --debug workspace get-status /Shared/none
assert_contains "$ERR" "> GET /api/2.0/workspace/get-status?path=/Shared/none"
assert_contains "$ERR" "< 404 RESOURCE_DOES_NOT_EXIST"
assert_contains "$ERR" "Error: Path (/Shared/none) doesn't exist."
expect_exit 0 brix workspace ls /Shared
assert_eq "" "$ERR" "no trace without --debug"

# ---------------------------------------------------------------------------------------------
step "profiles select the engine root"
if backend_is_local; then
    CI_ROOT=$E2E_TMP/ci_root
    OTHER_ROOT=$E2E_TMP/other_root
    ENV_ROOT=$E2E_TMP/env_root
    cat >"$HOME/.databrickscfg" <<EOF
; comments are allowed
[ci]
host = local:$CI_ROOT

[other]
host = local:$OTHER_ROOT
token = dapi-not-used-locally
EOF
    # root_of ARGS...: sets WHERE to the marker of the root that answered (each root has one)
    for r in ci other; do
        expect_ok brix -p "$r" workspace mkdirs "/Marker_$r"
    done
    expect_ok brix workspace mkdirs /Marker_default
    root_of() {
        expect_ok brix "$@" workspace ls /
        WHERE=$(grep '^Marker_' <<<"$OUT")
        WHERE=${WHERE#Marker_}
    }
    assert_eq "Marker_ci" "$(ls "$CI_ROOT/workspace")" "contents of the ci root"
    [[ -f $CI_ROOT/brix.db ]] || fail "no database in the ci root"
    ok
    assert_eq "Marker_default" "$(ls "$ROOT/workspace" | grep Marker)" "markers in BRIX_HOME"
    root_of -p ci
    assert_eq "ci" "$WHERE" "-p ci"
    root_of --profile other
    assert_eq "other" "$WHERE" "--profile other"
    root_of
    assert_eq "default" "$WHERE" "no profile, no default: BRIX_HOME"
    DATABRICKS_CONFIG_PROFILE=ci root_of
    assert_eq "ci" "$WHERE" "DATABRICKS_CONFIG_PROFILE"
    DATABRICKS_CONFIG_PROFILE=ci root_of -p other
    assert_eq "other" "$WHERE" "--profile beats DATABRICKS_CONFIG_PROFILE"
    # an explicit --profile beats DATABRICKS_HOST (which would not even answer)
    DATABRICKS_HOST=http://127.0.0.1:1 root_of -p ci
    assert_eq "ci" "$WHERE" "--profile beats DATABRICKS_HOST"
    BRIX_HOME=$ENV_ROOT expect_ok brix workspace mkdirs /Marker_env
    DATABRICKS_HOST=local:$ENV_ROOT root_of
    assert_eq "env" "$WHERE" "DATABRICKS_HOST=local:PATH"
    # a profile chosen by the environment does not beat the environment's host
    DATABRICKS_CONFIG_PROFILE=ci DATABRICKS_HOST=local:$ENV_ROOT root_of
    assert_eq "env" "$WHERE" "DATABRICKS_HOST beats DATABRICKS_CONFIG_PROFILE"
    # [__settings__] default_profile, and [DEFAULT] with a host
    printf '[__settings__]\ndefault_profile = other\n\n' | cat - "$HOME/.databrickscfg" >cfg && mv cfg "$HOME/.databrickscfg"
    root_of
    assert_eq "other" "$WHERE" "default_profile"
    root_of -p ci
    assert_eq "ci" "$WHERE" "--profile beats default_profile"
    DATABRICKS_HOST=local:$ENV_ROOT root_of
    assert_eq "env" "$WHERE" "DATABRICKS_HOST skips default_profile"
    printf '[DEFAULT]\nhost = local:%s\n' "$CI_ROOT" >"$HOME/.databrickscfg"
    root_of
    assert_eq "ci" "$WHERE" "[DEFAULT] with a host"
    # DATABRICKS_CONFIG_FILE, "local" alone and "local:~/..."
    printf '[x]\nhost = local:~/tilde_root\n[plain]\nhost = local\n' >"$WORK/alt.cfg"
    DATABRICKS_CONFIG_FILE=$WORK/alt.cfg expect_ok brix -p x workspace mkdirs /Marker_tilde
    [[ -d $HOME/tilde_root/workspace/Marker_tilde ]] || fail "local:~/ not expanded to \$HOME"
    ok
    DATABRICKS_CONFIG_FILE=$WORK/alt.cfg root_of -p plain
    assert_eq "default" "$WHERE" "host = local uses BRIX_HOME"
    DATABRICKS_CONFIG_FILE=$WORK/alt.cfg DATABRICKS_HOST=local:$CI_ROOT root_of
    assert_eq "ci" "$WHERE" "DATABRICKS_HOST without a profile"
    rm "$HOME/.databrickscfg"
    # the engine root is private
    assert_eq "700" "$(stat -c %a "$CI_ROOT")" "mode of a new engine root"
    assert_eq "700" "$(stat -c %a "$ROOT")" "mode of BRIX_HOME"
else
    skip "profile resolution to local roots: local backend only"
fi

# ---------------------------------------------------------------------------------------------
step "a remote host where nothing listens"
if backend_is_local; then
    # retry_timeout_seconds is the SDKs' name for the retry budget; a CLI check must not wait minutes
    printf '[down]\nhost = http://127.0.0.1:1\ntoken = dapi-test\nretry_timeout_seconds = 2\n' >"$HOME/.databrickscfg"
    run timeout 20 "$BRIX" -p down workspace ls /
    [[ $RC == 124 ]] && fail "no answer within 20 s: brix keeps retrying a host where nothing listens" \
        "(client/http_api.cpp retries connection failures for retry_budget_seconds = 300, and no setting shortens it)"
    [[ $RC == 1 ]] || fail "expected exit 1, got $RC"
    ok
    assert_contains "$ERR" "Error: cannot reach http://127.0.0.1:1"
    assert_not_contains "$ERR" "dapi-test" "error message"
    expect_exit 1 timeout 20 "$BRIX" -p down --debug fs ls dbfs:/
    assert_contains "$ERR" "> GET /api/2.0/dbfs/get-status?path=/"
    assert_contains "$ERR" "cannot reach http://127.0.0.1:1"
    assert_not_contains "$ERR" "dapi-test" "debug trace"
    rm "$HOME/.databrickscfg"
else
    skip "unreachable host: local backend only"
fi

finish
