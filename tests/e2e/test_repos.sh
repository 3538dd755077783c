#!/usr/bin/env bash
# repos and jobs with git_source, against a bare git repository made here: `repos create` clones
# it into the workspace (notebooks detected by header, %run and imports work from a job), `repos
# update --branch/--tag` moves it (head_commit_id is the real commit), a job with git_source pinned
# to a tag runs the tagged code after the branch moved on, and bad input fails with GIT_* codes.
# Runs against the local engine and then through `brix serve` unless BRIX_E2E_BACKEND picks one.
set -u
if [[ -z ${BRIX_E2E_BACKEND:-} ]]; then
    BRIX_E2E_BACKEND=local bash "$0" || exit 1
    exec env BRIX_E2E_BACKEND=serve bash "$0"
fi
source "$(dirname "$0")/lib.sh" || exit 1
command -v git >/dev/null || { echo "SKIP: git is not installed"; exit 0; }
fresh_root

export GIT_AUTHOR_NAME=brix GIT_AUTHOR_EMAIL=brix@example.com GIT_COMMITTER_NAME=brix GIT_COMMITTER_EMAIL=brix@example.com
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

jv() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))
EOF
}

ORIGIN=$E2E_TMP/origin.git
SRC=$E2E_TMP/src
# commit_version VERSION [BRANCH]: the helper and the module say VERSION; pushed to BRANCH (main).
commit_version() {
    local version=$1 branch=${2:-main}
    cat >"$SRC/nb/helper.py" <<EOF
# Databricks notebook source
def greet():
    return "helper $version"
EOF
    printf 'VERSION = "module %s"\n' "$version" >"$SRC/shared.py"
    git -C "$SRC" add -A && git -C "$SRC" commit -qm "$version" && git -C "$SRC" push -q origin "HEAD:refs/heads/$branch" ||
        fail "cannot commit $version"
}
rev() { git --git-dir="$ORIGIN" rev-parse "$1^{commit}"; }

# ---------------------------------------------------------------------------------------------
step "a bare repository with a notebook that %runs a helper notebook and imports a module"
git init -q --bare -b main "$ORIGIN" && git init -q -b main "$SRC" && git -C "$SRC" remote add origin "$ORIGIN" || fail "git init"
mkdir -p "$SRC/nb"
cat >"$SRC/nb/main.py" <<'EOF'
# Databricks notebook source
# MAGIC %run ./helper

# COMMAND ----------

import shared
print(greet(), "/", shared.VERSION)
EOF
printf 'not a notebook: no header\n' >"$SRC/notes.py"
commit_version v1
git -C "$SRC" tag v1 && git -C "$SRC" push -q origin v1 || fail "tag"
V1=$(rev v1)

# ---------------------------------------------------------------------------------------------
step "repos create (legacy flags) clones it under /Repos; files are workspace objects"
expect_ok brix repos create --url "file://$ORIGIN" --provider gitHub --path /Repos/ci/demo
cp "$OUT_FILE" "$E2E_TMP/repo.json"
assert_json "$E2E_TMP/repo.json" 'd["path"] == "/Repos/ci/demo" and d["branch"] == "main" and d["head_commit_id"] == "'"$V1"'" and d["provider"] == "gitHub" and d["url"] == "file://'"$ORIGIN"'"'
REPO_ID=$(jv "$E2E_TMP/repo.json" 'd["id"]')
# a Git folder is a REPO object, as Databricks reports it (clients find the repo ID this way)
expect_ok brix workspace get-status /Repos/ci/demo
assert_json "$OUT_FILE" 'd["object_id"] == '"$REPO_ID"' and d["object_type"] == "REPO"'
expect_ok brix workspace ls /Repos/ci -l
assert_eq $'REPO\tdemo\t' "$OUT" "the repo in its parent's listing"
expect_ok brix workspace get-status /Repos/ci
assert_json "$OUT_FILE" 'd["object_type"] == "DIRECTORY"'
# export-dir walks into it as into a folder
expect_ok brix workspace export-dir /Repos/ci/demo "$E2E_TMP/exported"
[[ -f $E2E_TMP/exported/nb/helper.py && -f $E2E_TMP/exported/notes.py ]] || fail "export-dir of a repo: $(ls -R "$E2E_TMP/exported")"
ok
expect_ok brix workspace ls /Repos/ci/demo/nb -l
assert_contains "$OUT" $'NOTEBOOK\tmain\tPYTHON'
assert_contains "$OUT" $'NOTEBOOK\thelper\tPYTHON'
expect_ok brix workspace get-status /Repos/ci/demo/notes.py
assert_json "$OUT_FILE" 'd["object_type"] == "FILE"'
expect_ok brix workspace export /Repos/ci/demo/nb/helper
assert_contains "$OUT" 'return "helper v1"'
[[ -d $ROOT/repos/$REPO_ID/.git ]] || fail "no git clone at root/repos/$REPO_ID"
ok

step "repos get / list, by id and by path, both syntaxes"
expect_ok brix repos get "$REPO_ID"
assert_json "$OUT_FILE" 'd["id"] == '"$REPO_ID"' and d["head_commit_id"] == "'"$V1"'"'
expect_ok brix repos get /Repos/ci/demo
assert_json "$OUT_FILE" 'd["id"] == '"$REPO_ID"
expect_ok brix repos get --path /Repos/ci/demo
assert_json "$OUT_FILE" 'd["id"] == '"$REPO_ID"
expect_ok brix repos get --repo-id "$REPO_ID"
assert_json "$OUT_FILE" 'd["path"] == "/Repos/ci/demo"'
expect_ok brix repos list
assert_eq "$REPO_ID	/Repos/ci/demo	main	file://$ORIGIN" "$OUT" "repos list"
expect_ok brix repos list --path-prefix /Repos/other -o json
assert_eq "[]" "$OUT" "an unmatched prefix"
expect_ok brix repos list --path-prefix /Repos/ci -o json
assert_json "$OUT_FILE" '[r["id"] for r in d] == ['"$REPO_ID"']'

# ---------------------------------------------------------------------------------------------
step "a job runs the repo's notebook: %run of the helper and the import of a repo module work"
expect_ok brix jobs create --json '{"name": "from repo", "tasks": [{"task_key": "main", "notebook_task": {"notebook_path": "/Repos/ci/demo/nb/main"}}]}'
REPO_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
expect_exit 0 brix jobs run-now "$REPO_JOB"
assert_out_bytes $'helper v1 / module v1\n'
assert_contains "$ERR" "TERMINATED SUCCESS"

step "a new commit on main, then repos update --branch main: the next run prints the new output"
commit_version v2
V2=$(rev main)
expect_exit 0 brix jobs run-now "$REPO_JOB"
assert_out_bytes $'helper v1 / module v1\n'  # not pulled yet
expect_ok brix repos update /Repos/ci/demo --branch main
assert_json "$OUT_FILE" 'd["branch"] == "main" and d["head_commit_id"] == "'"$V2"'"'
assert_eq "$V2" "$(git -C "$ROOT/repos/$REPO_ID" rev-parse HEAD)" "the clone's HEAD"
expect_exit 0 brix jobs run-now "$REPO_JOB"
assert_out_bytes $'helper v2 / module v2\n'

step "another branch and a tag (legacy flags); object ids of unchanged paths stay"
expect_ok brix workspace get-status /Repos/ci/demo/nb/main
MAIN_OBJECT=$(jv "$OUT_FILE" 'd["object_id"]')
git -C "$SRC" checkout -q -b feature && commit_version v3 feature
expect_ok brix repos update --repo-id "$REPO_ID" --branch feature
assert_json "$OUT_FILE" 'd["branch"] == "feature" and d["head_commit_id"] == "'"$(rev feature)"'"'
expect_exit 0 brix jobs run-now "$REPO_JOB"
assert_out_bytes $'helper v3 / module v3\n'
expect_ok brix repos update --path /Repos/ci/demo --tag v1
assert_json "$OUT_FILE" '"branch" not in d and d["head_commit_id"] == "'"$V1"'"'
expect_exit 0 brix jobs run-now "$REPO_JOB"
assert_out_bytes $'helper v1 / module v1\n'
expect_ok brix workspace get-status /Repos/ci/demo/nb/main
assert_json "$OUT_FILE" 'd["object_id"] == '"$MAIN_OBJECT"
git -C "$SRC" checkout -q main

# ---------------------------------------------------------------------------------------------
step "git_source pinned to a tag runs the tagged code after the branch moved on"
cat >git_job.json <<EOF
{"name": "pinned", "git_source": {"git_url": "file://$ORIGIN", "git_provider": "gitHub", "git_tag": "v1"},
 "tasks": [{"task_key": "nb", "notebook_task": {"notebook_path": "nb/main"}},
           {"task_key": "py", "depends_on": [{"task_key": "nb"}],
            "spark_python_task": {"python_file": "print_version.py"}}]}
EOF
printf 'import shared\nprint("script", shared.VERSION)\n' >"$SRC/print_version.py"
git -C "$SRC" add print_version.py && git -C "$SRC" commit -qm script && git -C "$SRC" push -q origin main
git -C "$SRC" tag -f v1-script >/dev/null && git -C "$SRC" push -q origin v1-script
sed -i 's/"git_tag": "v1"/"git_tag": "v1-script"/' git_job.json
TAG_COMMIT=$(rev v1-script)
commit_version v4  # main moves on past the tag
expect_ok brix jobs create --json @git_job.json
GIT_JOB=$(jv "$OUT_FILE" 'd["job_id"]')
expect_exit 0 brix jobs run-now "$GIT_JOB"
assert_out_bytes $'Task nb:\nhelper v2 / module v2\n\nTask py:\nscript module v2\n'
expect_ok brix runs list --job-id "$GIT_JOB" -o json
GIT_RUN=$(jv "$OUT_FILE" 'd[0]["run_id"]')
expect_ok brix runs get --run-id "$GIT_RUN"
assert_eq "$TAG_COMMIT" "$(jv "$OUT_FILE" 'd["git_source"]["git_snapshot"]["used_commit"]')" "runs get shows the commit the run used"
assert_eq "$TAG_COMMIT" "$(git -C "$ROOT/runs/$GIT_RUN/git" rev-parse HEAD)" "the run's checkout"
ls "$ROOT"/git-cache/*/HEAD >/dev/null 2>&1 || fail "no mirror under root/git-cache"
ok

step "the same job on the branch runs its latest commit; a pinned commit runs that commit"
expect_ok brix jobs update "$GIT_JOB" --json '{"new_settings": {"git_source": {"git_url": "file://'"$ORIGIN"'", "git_provider": "gitHub", "git_branch": "main"}}}'
expect_exit 0 brix jobs run-now "$GIT_JOB"
assert_out_bytes $'Task nb:\nhelper v4 / module v4\n\nTask py:\nscript module v4\n'
expect_ok brix jobs update "$GIT_JOB" --json '{"new_settings": {"git_source": {"git_url": "file://'"$ORIGIN"'", "git_provider": "gitHub", "git_commit": "'"$TAG_COMMIT"'"}}}'
expect_exit 0 brix jobs run-now "$GIT_JOB"
assert_out_bytes $'Task nb:\nhelper v2 / module v2\n\nTask py:\nscript module v2\n'

step "git_source errors: an unknown branch fails the run clearly; bad settings are refused"
expect_ok brix jobs update "$GIT_JOB" --json '{"new_settings": {"git_source": {"git_url": "file://'"$ORIGIN"'", "git_provider": "gitHub", "git_branch": "no-such-branch"}}}'
expect_exit 5 brix jobs run-now "$GIT_JOB"
assert_contains "$ERR" "The branch 'no-such-branch' does not exist"
expect_exit 1 brix jobs create --json '{"name": "x", "git_source": {"git_url": "file:///x", "git_provider": "gitHub", "git_branch": "a", "git_tag": "b"}, "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "nb/main"}}]}'
assert_contains "$ERR" "Give only one of git_source.git_branch, git_tag and git_commit"
expect_exit 1 brix jobs create --json '{"name": "x", "git_source": {"git_url": "file:///x"}, "tasks": [{"task_key": "t", "notebook_task": {"notebook_path": "nb/main"}}]}'
assert_contains "$ERR" "git_provider is required"

# ---------------------------------------------------------------------------------------------
step "bad input: unknown branch (GIT_UNKNOWN_REF), branch and tag, paths outside /Repos/<folder>/<name>, not a repo"
expect_exit 1 brix --debug repos update /Repos/ci/demo --branch no-such-branch
assert_contains "$ERR" "GIT_UNKNOWN_REF"
assert_contains "$ERR" "Error: The branch 'no-such-branch' does not exist in file://$ORIGIN"
expect_ok brix repos get "$REPO_ID"
assert_json "$OUT_FILE" 'd["head_commit_id"] == "'"$V1"'"'  # unchanged
expect_exit 2 brix repos update /Repos/ci/demo --branch main --tag v1
assert_contains "$ERR" "Only one of --branch and --tag"
expect_exit 2 brix repos update /Repos/ci/demo
assert_contains "$ERR" "One of --branch or --tag must be given"
expect_exit 1 brix repos create "file://$ORIGIN" gitHub --path /Shared/demo
assert_contains "$ERR" "Repos paths must be in /Repos/{folder}/{repo} format"
expect_exit 1 brix repos create "file://$ORIGIN" gitHub --path /Repos/ci/demo/deeper
assert_contains "$ERR" "Repos paths must be in /Repos/{folder}/{repo} format"
mkdir -p "$E2E_TMP/not-a-repo"
expect_exit 1 brix --debug repos create "$E2E_TMP/not-a-repo" gitHub --path /Repos/ci/broken
assert_contains "$ERR" "GIT_REMOTE_ERROR"
assert_contains "$ERR" "Cannot clone $E2E_TMP/not-a-repo: it is not a git repository"
expect_exit 1 brix repos create "file://$ORIGIN" gitHub --path /Repos/ci/demo
assert_contains "$ERR" "Path (/Repos/ci/demo) already exists."
expect_exit 1 brix repos create https://git.example.com/acme/etl.git
assert_contains "$ERR" "could not detect the Git provider from URL"
expect_exit 3 brix repos get 424242
expect_exit 3 brix repos get /Repos/ci/nothing
assert_contains "$ERR" "Can't find repo ID for /Repos/ci/nothing"
expect_exit 1 brix --debug repos create "file://$ORIGIN" --path /Repos/ci/bad-url-x --provider notAProvider
assert_contains "$ERR" "Invalid Git provider"
expect_exit 1 brix repos create -- "-uhoh"
expect_exit 0 brix workspace get-status /Repos/ci
expect_exit 3 brix workspace get-status /Repos/ci/broken

# ---------------------------------------------------------------------------------------------
step "a local path (new syntax, provider not needed) lands at /Repos/<user>/<name>; delete removes everything"
(cd "$E2E_TMP" && "$BRIX" repos create origin.git gitHub) >"$E2E_TMP/second.json" 2>"$E2E_TMP/second.err" || fail "repos create origin.git: $(cat "$E2E_TMP/second.err")"
ok
SECOND_ID=$(jv "$E2E_TMP/second.json" 'd["id"]')
SECOND_PATH=$(jv "$E2E_TMP/second.json" 'd["path"]')
[[ $SECOND_PATH =~ ^/Repos/[^/]+/origin$ ]] || fail "default path: $SECOND_PATH"
ok
assert_json "$E2E_TMP/second.json" 'd["url"] == "'"$ORIGIN"'" and d["head_commit_id"] == "'"$(rev main)"'"'
expect_ok brix repos delete "$SECOND_PATH"
expect_exit 3 brix repos get "$SECOND_ID"
expect_exit 3 brix workspace get-status "$SECOND_PATH"
[[ ! -e $ROOT/repos/$SECOND_ID && ! -e $ROOT/workspace$SECOND_PATH ]] || fail "repo $SECOND_ID left files behind"
ok

step "deleting the repo's folder through the workspace deletes the repo"
expect_ok brix workspace delete --recursive /Repos/ci/demo
expect_exit 3 brix repos get "$REPO_ID"
expect_ok brix repos list -o json
assert_eq "[]" "$OUT" "repos after the folder was deleted"
expect_ok brix repos create "file://$ORIGIN" gitHub --path /Repos/ci/demo
assert_json "$OUT_FILE" 'd["head_commit_id"] == "'"$(rev main)"'"'

finish
