#!/usr/bin/env bash
# configure and auth: non-interactive configure in both CLIs' forms (mode 0600, other profiles,
# keys and comments kept, atomic replace), a configured profile that then works, auth describe
# with the source of every setting and secrets masked, auth profiles with validation, auth token
# for token and OAuth M2M profiles, and the warning for a config file others can read.
# ctest runs it on the local engine and through `brix serve` (BRIX_E2E_BACKEND=serve).
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

CFG=$HOME/.databrickscfg
# What a profile for the engine under test holds: the served URL and its token, or the local root.
if backend_is_local; then
    ENGINE_HOST="local:$ROOT"
    ENGINE_TOKEN=""
else
    ENGINE_HOST=$DATABRICKS_HOST
    ENGINE_TOKEN=$DATABRICKS_TOKEN
fi
# with_env [-u VAR | VAR=VALUE]... CMD ARGS: CMD (brix is a function, so not `env`) in a subshell
# with that environment.
with_env() {
    (
        while (($#)); do
            case $1 in
            -u) unset "$2"; shift 2 ;;
            *=*) export "${1?}"; shift ;;
            *) break ;;
            esac
        done
        "$@"
    )
}
# Calls that must take everything from the configuration file, not from the suite's environment.
cfg_only() { with_env -u DATABRICKS_HOST -u DATABRICKS_TOKEN "$@"; }

mode_of() { stat -c %a "$1"; }

# ---------------------------------------------------------------------------------------------
step "configure --host --profile with the token on stdin; the profile then works"
printf '%s\n' "$ENGINE_TOKEN" >token.txt
expect_exit_stdin 0 token.txt cfg_only brix configure --host "$ENGINE_HOST" --profile ci
assert_eq "" "$OUT$ERR" "configure output"
assert_eq 600 "$(mode_of "$CFG")" "mode of a new config file"
expect_ok cfg_only brix -p ci workspace mkdirs /Shared/configured
expect_ok cfg_only brix -p ci workspace ls /Shared
assert_contains "$OUT" "configured"
if [[ -n $ENGINE_TOKEN ]]; then
    assert_eq "$(printf '[ci]\nhost = %s\ntoken = %s' "$ENGINE_HOST" "$ENGINE_TOKEN")" "$(cat "$CFG")" "config file"
else
    assert_eq "$(printf '[ci]\nhost = %s' "$ENGINE_HOST")" "$(cat "$CFG")" "config file"
fi
# an explicit --profile wins over credentials in the environment
expect_ok with_env DATABRICKS_HOST=http://127.0.0.1:1 DATABRICKS_TOKEN=dapi-bogus brix -p ci workspace ls /Shared
assert_contains "$OUT" "configured"

if ! backend_is_local; then
    step "a token profile against brix serve: a wrong token is refused with exit 4"
    printf 'dapi-wrong\n' >wrong.txt
    expect_exit_stdin 0 wrong.txt cfg_only brix configure --host "$ENGINE_HOST" --profile wrong
    expect_exit 4 cfg_only brix -p wrong workspace ls /
fi

# ---------------------------------------------------------------------------------------------
step "re-configuring keeps comments, other profiles and keys; drops competing credentials"
cat >"$CFG" <<EOF
# team workspaces: keep this comment
[DEFAULT]
jobs-api-version = 2.1

; production - hands off
[prod]
host = https://prod.example.com
token = dapi-prod-token

[ci]
host = https://old.example.com
# the token below rotates weekly
token = dapi-old
client_id = stale-id
cluster_id = 0101-abc
EOF
chmod 644 "$CFG"
expect_exit_stdin 0 token.txt cfg_only brix configure --host "$ENGINE_HOST" --profile ci
assert_eq 600 "$(mode_of "$CFG")" "mode after rewriting a 0644 file"
expected_token_line=""
[[ -n $ENGINE_TOKEN ]] && expected_token_line="token = $ENGINE_TOKEN"$'\n'
assert_eq "# team workspaces: keep this comment
[DEFAULT]
jobs-api-version = 2.1

; production - hands off
[prod]
host = https://prod.example.com
token = dapi-prod-token

[ci]
host = $ENGINE_HOST
# the token below rotates weekly
${expected_token_line}cluster_id = 0101-abc" "$(cat "$CFG")" "rewritten config file"
expect_ok cfg_only brix -p ci workspace ls /Shared
assert_contains "$OUT" "configured"
# nothing left behind by the atomic replace
assert_eq ".databrickscfg" "$(ls -A "$HOME")" "files in the home folder"

step "legacy form: host and token as two lines on stdin, written to [DEFAULT]"
printf '%s\n%s\n' "$ENGINE_HOST" "$ENGINE_TOKEN" >legacy.txt
expect_exit_stdin 0 legacy.txt cfg_only brix configure --token
expect_ok cfg_only brix workspace ls /Shared
assert_contains "$OUT" "configured"
assert_contains "$(cat "$CFG")" "jobs-api-version = 2.1" "DEFAULT keeps its other keys"
assert_contains "$(cat "$CFG")" "# team workspaces: keep this comment" "config file"

step "--token-file, DATABRICKS_HOST and DATABRICKS_CONFIG_FILE"
alt=$E2E_TMP/elsewhere/new/cfg
expect_exit 0 with_env DATABRICKS_CONFIG_FILE="$alt" DATABRICKS_HOST="$ENGINE_HOST" brix configure --token-file token.txt --profile alt
assert_eq 600 "$(mode_of "$alt")" "mode of a config file in a new folder"
assert_contains "$(cat "$alt")" "host = $ENGINE_HOST"
expect_ok cfg_only with_env DATABRICKS_CONFIG_FILE="$alt" brix -p alt workspace ls /Shared
assert_contains "$OUT" "configured"

step "configure refuses what it cannot write"
expect_exit 2 cfg_only brix configure --profile nohost </dev/null
assert_contains "$ERR" "no host"
expect_exit 2 cfg_only brix configure --host https://remote.example.com --profile notoken </dev/null
assert_contains "$ERR" "no token"
expect_exit 1 cfg_only brix configure --host "https://" --profile bad </dev/null
expect_exit 1 cfg_only brix configure --host "local:relative/path" --profile bad </dev/null
before=$(cat "$CFG")
printf 'not an ini line\n' >broken.cfg
expect_exit 1 with_env DATABRICKS_CONFIG_FILE="$WORK/broken.cfg" brix configure --host local --profile x </dev/null
assert_contains "$ERR" "line 1"
assert_eq "not an ini line" "$(cat broken.cfg)" "an unreadable file is left alone"
assert_eq "$before" "$(cat "$CFG")" "config file after refusals"

# ---------------------------------------------------------------------------------------------
step "auth describe: every setting with its source, secrets masked unless --sensitive"
expect_ok cfg_only brix -p ci auth describe
assert_contains "$OUT" "profile: ci (from --profile flag)"
assert_contains "$OUT" "host: $ENGINE_HOST (from profile 'ci' in $CFG)"
assert_contains "$OUT" "config_file: $CFG (from default)"
assert_contains "$OUT" "cluster_id: 0101-abc (from profile 'ci' in $CFG)"
if [[ -n $ENGINE_TOKEN ]]; then
    assert_contains "$OUT" "token: ******** (from profile 'ci' in $CFG)"
    assert_not_contains "$OUT" "$ENGINE_TOKEN" "describe without --sensitive"
    assert_contains "$OUT" "Authenticated with: pat"
    assert_contains "$OUT" "User: "
    expect_ok cfg_only brix -p ci auth describe --sensitive
    assert_contains "$OUT" "token: $ENGINE_TOKEN (from profile 'ci' in $CFG)"
else
    assert_contains "$OUT" "local_root: $ROOT (from profile 'ci' in $CFG)"
    assert_contains "$OUT" "Authenticated with: local"
fi
expect_ok with_env -u DATABRICKS_TOKEN DATABRICKS_HOST=http://127.0.0.1:1 DATABRICKS_PASSWORD=hunter2 DATABRICKS_USERNAME=me \
    DATABRICKS_CONFIG_FILE="$alt" DATABRICKS_CLUSTER_ID=env-cluster DATABRICKS_RETRY_TIMEOUT_SECONDS=1 brix auth describe -o json
assert_json "$OUT_FILE" 'd["configuration"]["host"] == {"value": "http://127.0.0.1:1", "source": "DATABRICKS_HOST environment variable"}'
assert_json "$OUT_FILE" 'd["configuration"]["password"] == {"value": "********", "source": "DATABRICKS_PASSWORD environment variable"}'
assert_json "$OUT_FILE" 'd["configuration"]["cluster_id"]["source"] == "DATABRICKS_CLUSTER_ID environment variable"'
assert_json "$OUT_FILE" 'd["configuration"]["config_file"]["source"] == "DATABRICKS_CONFIG_FILE environment variable"'
assert_json "$OUT_FILE" 'd["auth_type"] == "basic" and "cannot reach" in d["error"] and "profile" not in d["configuration"]'
assert_not_contains "$OUT" "hunter2" "describe -o json"
expect_exit 1 cfg_only brix auth describe --profile nonexistent
assert_contains "$ERR" "profile 'nonexistent' not found"

# ---------------------------------------------------------------------------------------------
step "auth profiles: each profile, its host, and whether it works"
cat >>"$CFG" <<EOF

[dead]
host = http://127.0.0.1:1
token = dapi-dead

[scratch]
host = local:$E2E_TMP/scratch-root
EOF
expect_ok cfg_only brix auth profiles
assert_contains "$OUT" "$(printf 'ci\t%s\tYES' "$ENGINE_HOST")"
assert_contains "$OUT" "$(printf 'dead\thttp://127.0.0.1:1\tNO')"
assert_contains "$OUT" "$(printf 'scratch\tlocal:%s\tYES' "$E2E_TMP/scratch-root")"
assert_contains "$OUT" "$(printf 'prod\thttps://prod.example.com\t')"
assert_no_file "$E2E_TMP/scratch-root"
expect_ok cfg_only brix auth profiles --skip-validate -o json
assert_json "$OUT_FILE" '[p["name"] for p in d["profiles"]] == ["DEFAULT", "prod", "ci", "dead", "scratch"] and all("valid" not in p for p in d["profiles"])'
expect_ok cfg_only brix auth profiles -o json
assert_json "$OUT_FILE" '{p["name"]: p["valid"] for p in d["profiles"]}["ci"] is True and {p["name"]: p["valid"] for p in d["profiles"]}["dead"] is False'
assert_not_contains "$OUT" "dapi-dead" "profiles output"

# ---------------------------------------------------------------------------------------------
step "auth token: a token profile prints its token; OAuth M2M gets a fresh one"
if [[ -n $ENGINE_TOKEN ]]; then
    expect_ok cfg_only brix auth token ci
    assert_json "$OUT_FILE" "d == {'access_token': '$ENGINE_TOKEN', 'token_type': 'Bearer'}"
    expect_ok cfg_only brix -p ci auth token
    assert_json "$OUT_FILE" "d['access_token'] == '$ENGINE_TOKEN'"
    # brix serve grants client-credentials tokens to a client whose secret is one of its tokens
    printf '\n[robot]\nhost = %s\nclient_id = robot\nclient_secret = %s\n' "$ENGINE_HOST" "$ENGINE_TOKEN" >>"$CFG"
    expect_exit 0 cfg_only brix --debug auth token robot
    assert_not_contains "$ERR" "$ENGINE_TOKEN" "--debug of auth token"
    assert_json "$OUT_FILE" "d['token_type'] == 'Bearer' and d['expires_in'] > 0 and d['access_token'] not in ('', '$ENGINE_TOKEN')"
    fresh=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$OUT_FILE")
    expect_ok with_env DATABRICKS_TOKEN="$fresh" brix workspace ls /Shared
    assert_contains "$OUT" "configured"
    expect_ok cfg_only brix -p robot workspace ls /Shared
    expect_ok cfg_only brix auth profiles -o json
    assert_json "$OUT_FILE" '{p["name"]: p["valid"] for p in d["profiles"]}["robot"] is True'
    printf '\n[badrobot]\nhost = %s\nclient_id = robot\nclient_secret = wrong\n' "$ENGINE_HOST" >>"$CFG"
    expect_exit 4 cfg_only brix auth token badrobot
else
    expect_exit 1 cfg_only brix auth token ci
    assert_contains "$ERR" "takes no token"
fi
expect_exit 1 cfg_only brix auth token prod-missing
assert_contains "$ERR" "not found"

# ---------------------------------------------------------------------------------------------
step "a config file others can read: a warning, not an error"
chmod 644 "$CFG"
expect_exit 0 cfg_only brix -p ci auth describe
assert_contains "$ERR" "Warning: $CFG has mode 0644"
assert_contains "$OUT" "profile: ci (from --profile flag)"
expect_exit 0 cfg_only brix auth profiles --skip-validate
assert_contains "$ERR" "Warning:"
chmod 600 "$CFG"
expect_ok cfg_only brix -p ci auth describe
assert_not_contains "$ERR" "Warning" "describe with a 0600 file"

finish
