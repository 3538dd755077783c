#!/usr/bin/env bash
# secrets: every verb in both syntaxes (legacy --scope/--key flags, new positionals), values from
# flags, files and stdin byte for byte, Databricks error codes and exit codes, the 128 KB limit,
# ACLs, and values that never leak: not under the engine root outside brix.db, not in --debug
# output, not in run logs. ctest runs it on the local engine and through `brix serve`
# (BRIX_E2E_BACKEND=serve).
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

# decoded SCOPE KEY: the secret's bytes (get-secret's base64 value decoded) into $WORK/decoded
decoded() {
    expect_ok brix secrets get-secret "$1" "$2"
    assert_json "$OUT_FILE" "d['key'] == '$2' and set(d) == {'key', 'value'}"
    python3 -c 'import base64, json, sys; sys.stdout.buffer.write(base64.b64decode(json.load(open(sys.argv[1]))["value"]))' \
        "$OUT_FILE" >"$WORK/decoded"
}

# ---------------------------------------------------------------------------------------------
step "help lists every verb and both spellings"
expect_ok brix secrets --help
for verb in create-scope list-scopes delete-scope put-secret put write list-secrets delete-secret get-secret \
    put-acl write-acl get-acl list-acls delete-acl; do
    assert_contains "$OUT" "$verb"
done
expect_ok brix secrets put --help
assert_contains "$OUT" "--scope"
assert_contains "$OUT" "SCOPE"
assert_contains "$OUT" "Example"

# ---------------------------------------------------------------------------------------------
step "scopes: create, list, duplicates, bad names, in both syntaxes"
expect_ok brix secrets list-scopes
assert_eq "" "$OUT" "no scopes yet"
expect_ok brix secrets create-scope ci
assert_eq "" "$OUT" "create-scope output"
expect_ok brix secrets create-scope --scope legacy.scope@x --initial-manage-principal users
expect_ok brix secrets list-scopes
assert_eq "$(printf 'ci\tDATABRICKS\nlegacy.scope@x\tDATABRICKS')" "$OUT" "list-scopes"
expect_ok brix secrets list-scopes -o json
assert_json "$OUT_FILE" 'd == [{"name": "ci", "backend_type": "DATABRICKS"}, {"name": "legacy.scope@x", "backend_type": "DATABRICKS"}]'
expect_ok brix secrets list-scopes --output JSON
assert_json "$OUT_FILE" '[s["name"] for s in d["scopes"]] == ["ci", "legacy.scope@x"]'
expect_exit 1 brix secrets create-scope ci
assert_contains "$ERR" "already exists"
expect_exit 1 brix secrets create-scope --scope CI
assert_contains "$ERR" "already exists"
expect_exit 1 brix secrets create-scope "bad name"
assert_contains "$ERR" "invalid"
expect_exit 1 brix secrets create-scope "$(printf 's%.0s' {1..129})"
expect_exit 2 brix secrets create-scope
assert_contains "$ERR" "missing SCOPE"
expect_exit 2 brix secrets create-scope a --scope b
assert_contains "$ERR" "disagree"

# ---------------------------------------------------------------------------------------------
step "put: --string-value, --binary-file, --bytes-value and stdin, in both syntaxes"
expect_ok brix secrets put-secret ci text --string-value "h$(printf '\xc3\xa9')llo world"
decoded ci text
assert_eq "h$(printf '\xc3\xa9')llo world" "$(cat "$WORK/decoded")" "string value"
expect_ok brix secrets put --scope ci --key legacy-text --string-value "v1"
expect_ok brix secrets write --scope ci --key legacy-text --string-value "v2"
decoded ci legacy-text
assert_eq "v2" "$(cat "$WORK/decoded")" "put replaces the value"
for ((i = 0; i < 256; i++)); do printf "\\$(printf %03o $i)"; done >allbytes.bin
expect_ok brix secrets put --scope ci --key bin --binary-file allbytes.bin
decoded ci bin
assert_file_eq allbytes.bin "$WORK/decoded"
expect_ok brix secrets put-secret ci b64 --bytes-value "$(printf 'raw\0bytes' | base64 -w0)"
decoded ci b64
printf 'raw\0bytes' >expected.bin
assert_file_eq expected.bin "$WORK/decoded"
printf 'multi\nline\n\n' >stdin.txt
expect_exit_stdin 0 stdin.txt brix secrets put-secret ci piped
decoded ci piped
assert_file_eq stdin.txt "$WORK/decoded"
expect_exit_stdin 0 allbytes.bin brix secrets put --scope ci --key piped-bin
decoded ci piped-bin
assert_file_eq allbytes.bin "$WORK/decoded"
expect_exit 2 brix secrets put-secret ci k --string-value a --binary-file allbytes.bin
assert_contains "$ERR" "at most one"
expect_exit 2 brix secrets put-secret ci
assert_contains "$ERR" "missing KEY"
expect_exit 1 brix secrets put-secret ci "bad/key" --string-value x
assert_contains "$ERR" "invalid"
expect_exit 1 brix secrets put-secret ci k --bytes-value '%%%'
assert_contains "$ERR" "base64"
expect_exit 1 brix secrets put --scope ci --key k --binary-file missing.bin
assert_contains "$ERR" "missing.bin"

# ---------------------------------------------------------------------------------------------
step "values over 128 KB are refused; exactly 128 KB is kept"
head -c 131072 /dev/urandom >limit.bin
head -c 131073 /dev/urandom >over.bin
expect_ok brix secrets put --scope ci --key limit --binary-file limit.bin
decoded ci limit
assert_file_eq limit.bin "$WORK/decoded"
expect_exit 1 brix secrets put-secret ci over --binary-file over.bin
assert_contains "$ERR" "128 KB"
expect_exit_stdin 1 over.bin brix secrets put-secret ci over
assert_contains "$ERR" "128 KB"
expect_exit 3 brix secrets get-secret ci over

# ---------------------------------------------------------------------------------------------
step "list and delete secrets in both syntaxes; metadata only"
expect_ok brix secrets list-secrets ci
assert_eq "b64 bin legacy-text limit piped piped-bin text" "$(cut -f1 <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')" "keys"
[[ $(head -1 <<<"$OUT" | cut -f2) =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T ]] || fail "last updated column: [$OUT]"
ok
expect_ok brix secrets list --scope ci --output JSON
assert_json "$OUT_FILE" 'len(d["secrets"]) == 7 and all(set(s) == {"key", "last_updated_timestamp"} for s in d["secrets"])'
expect_ok brix secrets list-secrets ci -o json
assert_json "$OUT_FILE" 'isinstance(d, list) and d[0]["key"] == "b64" and d[0]["last_updated_timestamp"] > 0'
expect_ok brix secrets delete-secret ci b64
assert_eq "" "$OUT" "delete output"
expect_ok brix secrets delete --scope ci --key piped-bin
expect_exit 3 brix secrets get-secret ci b64
expect_exit 3 brix secrets delete --scope ci --key piped-bin
expect_ok brix secrets list-secrets legacy.scope@x
assert_eq "" "$OUT" "an empty scope lists nothing"
expect_ok brix secrets list-secrets legacy.scope@x -o json
assert_json "$OUT_FILE" 'd == []'

# ---------------------------------------------------------------------------------------------
step "a missing scope is RESOURCE_DOES_NOT_EXIST, exit 3, for every verb"
expect_exit 3 brix secrets list-secrets nope
assert_contains "$ERR" "nope"
expect_exit 3 brix secrets list --scope nope
expect_exit 3 brix secrets put-secret nope k --string-value v
expect_exit 3 brix secrets get-secret nope k
expect_exit 3 brix secrets delete-secret nope k
expect_exit 3 brix secrets delete-scope nope
expect_exit 3 brix secrets delete-scope --scope nope
expect_exit 3 brix secrets list-acls nope
expect_exit 3 brix secrets put-acl nope team READ
expect_exit 3 brix secrets get-acl nope team
expect_exit 3 brix secrets delete-acl nope team
expect_exit 3 brix secrets get-secret ci nope

# ---------------------------------------------------------------------------------------------
step "ACLs in both syntaxes"
expect_ok brix secrets list-acls ci
assert_eq 1 "$(wc -l <<<"$OUT")" "the creator's grant"
assert_contains "$OUT" "MANAGE"
expect_ok brix secrets list-acls --scope legacy.scope@x --output JSON
assert_json "$OUT_FILE" 'd == {"items": [{"principal": "users", "permission": "MANAGE"}]}'
# an ACL names a principal of the workspace: an unknown one is refused, a group that exists is not
expect_exit 1 brix secrets put-acl ci data-team READ
assert_contains "$ERR" "Principal data-team does not exist"
expect_ok brix secrets put-acl ci users READ
expect_ok brix secrets get-acl ci users
assert_json "$OUT_FILE" 'd == {"principal": "users", "permission": "READ"}'
expect_ok brix secrets write-acl --scope ci --principal users --permission write
expect_ok brix secrets get-acl --scope ci --principal users
assert_json "$OUT_FILE" 'd["permission"] == "WRITE"'
expect_ok brix secrets list-acls ci -o json
assert_json "$OUT_FILE" 'len(d) == 2 and {"principal": "users", "permission": "WRITE"} in d'
expect_exit 1 brix secrets put-acl ci users OWNER
assert_contains "$ERR" "READ, WRITE or MANAGE"
expect_ok brix secrets delete-acl ci users
expect_exit 3 brix secrets get-acl ci users
expect_exit 3 brix secrets delete-acl --scope ci --principal users

# ---------------------------------------------------------------------------------------------
step "a secret value never leaks: not on disk outside brix.db, not in --debug output"
canary="brix-canary-$RANDOM$RANDOM-value"
canary_b64=$(printf %s "$canary" | base64 -w0)
expect_exit 0 brix --debug secrets put-secret ci canary --string-value "$canary"
assert_not_contains "$ERR" "$canary" "--debug of put"
assert_contains "$ERR" "[REDACTED]" "--debug of put"
expect_exit 0 brix --debug secrets get-secret ci canary
assert_not_contains "$ERR" "$canary" "--debug of get"
assert_not_contains "$ERR" "$canary_b64" "--debug of get"
assert_contains "$OUT" "$canary_b64" "get-secret output"
printf %s "$canary" >canary.txt
expect_exit_stdin 0 canary.txt brix --debug secrets put-secret ci canary-stdin
assert_not_contains "$ERR" "$canary_b64" "--debug of a piped put"
expect_exit 0 brix --debug secrets list-secrets ci
assert_not_contains "$ERR$OUT" "$canary" "list-secrets"

step "a task reads the secret with dbutils; its logs show [REDACTED]"
cat >use_secret.py <<'EOF'
from databricks.sdk.runtime import dbutils
value = dbutils.secrets.get("ci", "canary")
print("secret is", value)
print("bytes match:", dbutils.secrets.getBytes("ci", "bin") == bytes(range(256)))
EOF
expect_ok brix workspace import use_secret.py /Shared/use_secret.py
expect_exit 0 brix jobs submit --json '{"run_name": "secret-run", "tasks": [{"task_key": "t", "spark_python_task": {"python_file": "/Shared/use_secret.py"}}]}'
assert_contains "$OUT" "secret is [REDACTED]" "task output"
assert_contains "$OUT" "bytes match: True" "task output"
assert_not_contains "$OUT$ERR" "$canary" "run output"

step "a notebook prints the secret ([REDACTED] in get-output) and a value derived from it (the real value was used)"
printf '# Databricks notebook source\nimport hashlib\nvalue = dbutils.secrets.get("ci", "canary")\nprint("secret is", value)\nprint("sha256", hashlib.sha256(value.encode()).hexdigest())\n' >secret_nb.py
expect_ok brix workspace import secret_nb.py /Shared/secret_nb -l PYTHON
expect_exit 0 brix runs submit --no-wait --json '{"run_name": "secret-nb", "tasks": [{"task_key": "nb", "notebook_task": {"notebook_path": "/Shared/secret_nb"}}]}'
NB_RUN=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["run_id"])' "$OUT_FILE")
for _ in $(seq 100); do
    expect_ok brix runs get --run-id "$NB_RUN"
    python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["state"]["life_cycle_state"] in ("TERMINATED", "INTERNAL_ERROR"))' "$OUT_FILE" || break
    sleep 0.1
done
NB_TASK=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["tasks"][0]["run_id"])' "$OUT_FILE")
expect_ok brix runs get-output --run-id "$NB_TASK"
expected_hash=$(printf '%s' "$canary" | sha256sum | cut -d' ' -f1)
assert_contains "$OUT" "secret is [REDACTED]" "notebook get-output"
assert_contains "$OUT" "sha256 $expected_hash" "a value derived from the real secret"
assert_not_contains "$OUT" "$canary" "notebook get-output"

leaks=$(grep -rlaF --exclude='brix.db*' -e "$canary" -e "$canary_b64" "$ROOT" 2>/dev/null)
assert_eq "" "$leaks" "files under the engine root holding the secret value"
if ! backend_is_local; then
    assert_not_contains "$(cat "$E2E_TMP"/serve.*.log)" "$canary" "brix serve's logs"
fi
[[ $(stat -c %a "$ROOT") == 700 ]] || fail "engine root mode $(stat -c %a "$ROOT")"
ok
[[ $(stat -c %a "$ROOT/brix.db") == 600 ]] || fail "brix.db mode $(stat -c %a "$ROOT/brix.db")"
ok

# ---------------------------------------------------------------------------------------------
step "delete-scope removes the scope with its secrets and ACLs"
expect_ok brix secrets delete-scope ci
expect_ok brix secrets delete-scope --scope legacy.scope@x
expect_ok brix secrets list-scopes -o json
assert_json "$OUT_FILE" 'd == []'
expect_ok brix secrets create-scope ci
expect_ok brix secrets list-secrets ci
assert_eq "" "$OUT" "a re-created scope starts empty"
expect_ok brix secrets list-acls ci -o json
assert_json "$OUT_FILE" 'len(d) == 1 and d[0]["permission"] == "MANAGE"'
assert_eq 0 "$(sqlite3 "$ROOT/brix.db" "SELECT COUNT(*) FROM secrets")" "secrets left in the table"

finish
