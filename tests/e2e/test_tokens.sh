#!/usr/bin/env bash
# tokens create / list / revoke: on the local engine these are the tokens `brix serve` accepts;
# through `brix serve` the same verbs manage them over /api/2.0/token/*.
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

token_field() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT_FILE" "$1"; }

step "create prints the value once, with its info"
expect_ok brix tokens create --comment ci --lifetime-seconds 3600
VALUE=$(token_field 'd["token_value"]')
ID=$(token_field 'd["token_info"]["token_id"]')
[[ $VALUE == dapi* && ${#VALUE} == 36 ]] || fail "unexpected token value shape: $VALUE"
ok
assert_json "$OUT_FILE" 'd["token_info"]["comment"] == "ci" and d["token_info"]["expiry_time"] - d["token_info"]["creation_time"] == 3600000'

step "list shows it, never its value"
expect_ok brix tokens list -o json
assert_json "$OUT_FILE" 'any(t["token_id"] == "'"$ID"'" and t["comment"] == "ci" for t in d)'
assert_not_contains "$OUT" "$VALUE" "tokens list"
! grep -rqaF "$VALUE" "$ROOT" || fail "the token value is stored in clear under the root"
ok

step "brix serve accepts the new token, and refuses it once revoked"
"$BRIX" serve --root "$ROOT" --port 0 >"$E2E_TMP/own-serve.log" 2>&1 &
OWN=$!
for _ in $(seq 100); do grep -q Listening "$E2E_TMP/own-serve.log" 2>/dev/null && break; sleep 0.05; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$E2E_TMP/own-serve.log" | head -1)
DATABRICKS_HOST=$URL DATABRICKS_TOKEN=$VALUE expect_exit 0 "$BRIX" workspace ls /
expect_ok brix tokens revoke "$ID"
DATABRICKS_HOST=$URL DATABRICKS_TOKEN=$VALUE expect_exit 4 "$BRIX" workspace ls /
assert_contains "$ERR" "Error: Invalid access token." "revoked token"
kill "$OWN"
wait "$OWN" 2>/dev/null

step "bad input"
expect_exit 3 brix tokens revoke 0123456789abcdef
assert_contains "$ERR" "Error: Token 0123456789abcdef does not exist." "unknown token id"
expect_exit 2 brix tokens revoke
finish
