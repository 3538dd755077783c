#!/usr/bin/env bash
# The CI workflow of docs/ci.md (docs/examples/ci-workflow.yml), run here step by step: its `run:`
# blocks are read from the YAML (tests/e2e/workflow_steps.py) and run with bash as GitHub runs
# them. The action's install step (action.yml) puts the brix under test on PATH; the `test` job
# runs the ETL bundle on the local engine; the `deploy` job deploys it to a `brix serve` standing
# in for the workspace (its URL and token as the DATABRICKS_HOST / DATABRICKS_TOKEN secrets).
set -u

SOURCE_DIR=${BRIX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BRIX=${BRIX:-$SOURCE_DIR/build/brix}
WORKFLOW=$SOURCE_DIR/docs/examples/ci-workflow.yml
STEPS=$SOURCE_DIR/tests/e2e/workflow_steps.py
CHECKS=0
SERVE_PID=""

fail() {
    echo "FAIL [line ${BASH_LINENO[0]}] $*" >&2
    [[ -f ${TMP:-}/step.out ]] && sed 's/^/  stdout: /' "$TMP/step.out" | head -40 >&2
    [[ -f ${TMP:-}/step.err ]] && sed 's/^/  stderr: /' "$TMP/step.err" | head -40 >&2
    echo "test_ci_workflow: FAILED after $CHECKS passed checks" >&2
    exit 1
}
ok() { CHECKS=$((CHECKS + 1)); }
assert_contains() { [[ $1 == *"$2"* ]] || fail "${3:-output} does not contain [$2]"; ok; }

cleanup() {
    [[ -n $SERVE_PID ]] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    cd / && [[ -n ${TMP:-} ]] && rm -rf "$TMP"
}

[[ -x $BRIX ]] || { echo "brix binary not found: $BRIX (set BRIX)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "test_ci_workflow needs python3" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/brix-e2e-ci-workflow.XXXXXX")
trap cleanup EXIT
trap 'exit 143' TERM  # a ctest timeout still cleans up
trap 'exit 130' INT
for var in $(compgen -e); do
    case $var in DATABRICKS_* | BRIX_HOME | BRIX_OUTPUT | XDG_DATA_HOME | BUNDLE_VAR_*) unset "$var" ;; esac
done
export HOME=$TMP/home RUNNER_TEMP=$TMP/runner
mkdir -p "$HOME" "$RUNNER_TEMP"

# The runner's checkout of a repository holding the workflow and the bundle it runs.
CHECKOUT=$TMP/checkout
mkdir -p "$CHECKOUT/.github/workflows"
cp -r "$SOURCE_DIR/docs/examples/orders-etl" "$CHECKOUT/"
cp "$WORKFLOW" "$CHECKOUT/.github/workflows/etl.yml"

declare -A SECRETS=()
declare -A STEP_OUTPUTS=()

# expand TEXT: the workflow expressions a step's env uses, substituted into EXPANDED; an unknown
# one fails the test, so the test keeps up with the workflow. (Not called in $(...), where fail
# would only end a subshell.)
expand() {
    local text=$1 expression value
    while [[ $text =~ \$\{\{\ *([^}]*[^} ])\ *\}\} ]]; do
        expression=${BASH_REMATCH[1]}
        case $expression in
        runner.temp) value=$RUNNER_TEMP ;;
        secrets.*) value=${SECRETS[${expression#secrets.}]-} ;;
        inputs.* | steps.*) value=${STEP_OUTPUTS[$expression]-} ;;
        *) fail "the workflow uses \${{ $expression }}, which this test does not provide" ;;
        esac
        text=${text/"${BASH_REMATCH[0]}"/$value}
    done
    EXPANDED=$text
}

# run_steps JSON: runs each step of a job as GitHub does (bash -eo pipefail, in its
# working-directory, with the job's and the step's env); stops at the first failing step with
# its status in STATUS and its output in $TMP/step.out / step.err.
run_steps() {
    local json=$1 count i name script dir
    count=$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["steps"]))' "$json")
    ((count > 0)) || fail "the job has no run steps"
    for ((i = 0; i < count; i++)); do
        name=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["steps"][int(sys.argv[2])]["name"])' "$json" "$i")
        script=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["steps"][int(sys.argv[2])]["run"], end="")' "$json" "$i")
        dir=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["steps"][int(sys.argv[2])]["working-directory"])' "$json" "$i")
        local -a env_args=()
        local line
        while IFS= read -r line; do
            [[ -n $line ]] || continue
            expand "${line#*=}"
            env_args+=("${line%%=*}=$EXPANDED")
        done < <(python3 -c '
import json, sys
d = json.loads(sys.argv[1])
env = dict(d["env"]); env.update(d["steps"][int(sys.argv[2])]["env"])
for k, v in env.items(): print(f"{k}={v}")' "$json" "$i")
        echo "--- step: $name"
        (cd "$CHECKOUT/$dir" && env "${env_args[@]}" bash --noprofile --norc -eo pipefail -c "$script") >"$TMP/step.out" 2>"$TMP/step.err"
        STATUS=$?
        cat "$TMP/step.out" "$TMP/step.err" | sed 's/^/    /'
        ((STATUS == 0)) || return
    done
}

# ---------------------------------------------------------------------------------------------
echo "--- docs/ci.md shows the workflow file as it is"
python3 - "$SOURCE_DIR/docs/ci.md" "$WORKFLOW" <<'PY' || fail "docs/ci.md does not show docs/examples/ci-workflow.yml unchanged"
import sys
doc, workflow = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sys.exit(0 if "```yaml\n" + workflow + "```" in doc else 1)
PY
ok

# ---------------------------------------------------------------------------------------------
echo "--- the action's install step puts brix on PATH (as databricks too)"
ACTION=$(python3 "$STEPS" "$SOURCE_DIR/action.yml") || fail "action.yml does not parse"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["runs"]["using"] == "composite" and "databricks-alias" in d["inputs"] and "path" in d["outputs"]' "$ACTION" ||
    fail "action.yml is not a composite action with a databricks-alias input and a path output"
ok
INSTALL=$(python3 -c 'import json,sys; s=[s for s in json.loads(sys.argv[1])["runs"]["steps"] if s.get("id") == "install"][0]; print(json.dumps({"env": {}, "steps": [{"name": s["name"], "run": s["run"], "env": s.get("env") or {}, "working-directory": ""}]}))' "$ACTION")
export GITHUB_PATH=$TMP/github_path GITHUB_OUTPUT=$TMP/github_output
: >"$GITHUB_PATH"
: >"$GITHUB_OUTPUT"
STEP_OUTPUTS[steps.build.outputs.binary]=$BRIX
STEP_OUTPUTS[inputs.install-dir]=""
STEP_OUTPUTS[inputs.databricks-alias]=true
run_steps "$INSTALL"
((STATUS == 0)) || fail "the install step failed ($STATUS)"
ok
BIN_DIR=$(head -1 "$GITHUB_PATH")
[[ $BIN_DIR == "$RUNNER_TEMP/brix/bin" && -x $BIN_DIR/brix && -L $BIN_DIR/databricks ]] || fail "no brix and databricks in [$BIN_DIR]"
ok
assert_contains "$(cat "$GITHUB_OUTPUT")" "path=$BIN_DIR/brix" "GITHUB_OUTPUT"
export PATH=$BIN_DIR:$PATH
[[ $(databricks --version) == "$("$BRIX" --version)" ]] || fail "databricks --version differs from brix --version"
ok

# ---------------------------------------------------------------------------------------------
echo "--- job test (pull requests): the ETL runs on the local engine"
TEST_JOB=$(python3 "$STEPS" "$WORKFLOW" test) || fail "no job test in $WORKFLOW"
run_steps "$TEST_JOB"
((STATUS == 0)) || fail "the test job failed with exit $STATUS"
ok
OUT=$(cat "$TMP/step.out")
assert_contains "$OUT" "kept 4 orders from 3 countries"
assert_contains "$OUT" "3 countries, largest: FR,140.40"
assert_contains "$OUT" $'country,total\nDE,42.25\nFR,140.40\nIT,64.00'
assert_contains "$(cat "$TMP/step.err")" '"[dev '
[[ -d $RUNNER_TEMP/brix-engine ]] || fail "the local engine root is not where BRIX_HOME says"
ok

echo "--- a failing task fails the job with exit 5"
cp -r "$CHECKOUT/orders-etl" "$TMP/orders-etl.good"
sed -i 's/^totals = {}$/raise RuntimeError("orders feed unavailable")/' "$CHECKOUT/orders-etl/src/clean_orders.py"
run_steps "$TEST_JOB"
((STATUS == 5)) || fail "expected the job to fail with exit 5, got $STATUS"
ok
assert_contains "$(cat "$TMP/step.err")" "orders feed unavailable"
rm -rf "$CHECKOUT/orders-etl" && mv "$TMP/orders-etl.good" "$CHECKOUT/orders-etl"

# ---------------------------------------------------------------------------------------------
echo "--- job deploy (main): the bundle goes to the workspace (a brix serve here)"
"$BRIX" serve --root "$TMP/workspace" --port 0 --token-file "$TMP/serve.token" >"$TMP/serve.log" 2>&1 &
SERVE_PID=$!
for ((i = 0; i < 200; i++)); do
    URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/serve.log" 2>/dev/null | head -1)
    [[ -n $URL ]] && break
    sleep 0.05
done
[[ -n $URL ]] || fail "brix serve did not start: $(cat "$TMP/serve.log")"
SECRETS[DATABRICKS_HOST]=$URL
SECRETS[DATABRICKS_TOKEN]=$(cat "$TMP/serve.token")
DEPLOY_JOB=$(python3 "$STEPS" "$WORKFLOW" deploy) || fail "no job deploy in $WORKFLOW"
run_steps "$DEPLOY_JOB"
((STATUS == 0)) || fail "the deploy job failed with exit $STATUS"
ok
OUT=$(cat "$TMP/step.out")
assert_contains "$OUT" "Deploy complete: 4 changed (jobs: 1 created"
assert_contains "$OUT" "Host: $URL"
assert_contains "$OUT" "Name: orders-prod"
[[ ! -e $HOME/.local/share/brix ]] || fail "the deploy job used a local engine instead of the workspace"
ok

echo "--- the deployed job runs in the workspace"
cd "$CHECKOUT/orders-etl" || fail "no orders-etl in the checkout"
JOBS=$(DATABRICKS_HOST=$URL DATABRICKS_TOKEN=${SECRETS[DATABRICKS_TOKEN]} brix jobs list) || fail "jobs list against the workspace"
assert_contains "$JOBS" "orders-prod"
RUN_OUT=$(DATABRICKS_HOST=$URL DATABRICKS_TOKEN=${SECRETS[DATABRICKS_TOKEN]} brix bundle run -t prod orders 2>"$TMP/run.err")
STATUS=$?
((STATUS == 0)) || fail "bundle run -t prod orders exited $STATUS: $(cat "$TMP/run.err")"
ok
assert_contains "$RUN_OUT" "3 countries, largest: FR,140.40"
assert_contains "$(cat "$TMP/run.err")" '"orders-prod" TERMINATED SUCCESS'
# deploying the same commit again changes nothing
run_steps "$DEPLOY_JOB"
((STATUS == 0)) || fail "the second deploy failed with exit $STATUS"
assert_contains "$(cat "$TMP/step.out")" "Deploy complete: 0 changed"

echo "test_ci_workflow: PASS ($CHECKS checks)"
