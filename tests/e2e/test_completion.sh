#!/usr/bin/env bash
# Shell completion. `brix __complete` answers from the real command tree (commands, aliases,
# flags, choices) and, for paths and ids, from the backend the command line selects, so through
# `brix serve` those come over HTTP. The bash script that `brix completion bash` prints is driven
# in a real bash as readline would drive it (COMP_WORDS split at '=' and ':' too); zsh and fish,
# when installed, load theirs and answer too. Lookups that fail print nothing, quickly.
# ctest runs it on the local engine and through `brix serve` (BRIX_E2E_BACKEND=serve).
set -u
source "$(dirname "$0")/lib.sh" || exit 1
fresh_root

BIN_DIR=$(cd "$(dirname "$BRIX")" && pwd)
# The scripts run the command as it was typed: `brix` must be the binary under test.
export PATH=$BIN_DIR:$PATH
CFG=$E2E_TMP/completion.cfg
cat >"$CFG" <<EOF
[DEFAULT]
[dev]
host = https://dev.example.com
token = dapi-not-used
[other]
host = local:$E2E_TMP/other-root
[__settings__]
default_profile = dev
EOF

# complete_bash LINE: completes at the end of LINE in a fresh bash that sourced the output of
# `brix completion bash`, calling the function `complete -p brix` names with COMP_WORDS,
# COMP_CWORD, COMP_LINE and COMP_POINT set as readline sets them. COMPREPLY, sorted, one per
# line, in $OUT.
cat >"$E2E_TMP/bash_drive" <<'EOF'
source <(brix completion bash) || exit 1
spec=$(complete -p brix) || exit 1
[[ $spec =~ -F\ ([^ ]+) ]] || exit 1
function=${BASH_REMATCH[1]}
line=$1
# readline: words at unquoted blanks, and runs of '=' or ':' are words of their own
words=() word="" quote="" in_break=0
for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ -n $quote ]]; then
        word+=$c
        [[ $c == "$quote" ]] && quote=""
    elif [[ $c == " " ]]; then
        [[ -n $word ]] && words+=("$word")
        word="" in_break=0
    elif [[ $c == [=:] ]]; then
        ((in_break)) || { [[ -n $word ]] && words+=("$word"); word=""; }
        word+=$c in_break=1
    else
        ((in_break)) && { words+=("$word"); word="" in_break=0; }
        [[ $c == [\"\'] ]] && quote=$c
        [[ $c == \\ ]] && { word+=$c; ((i++)); c=${line:i:1}; }
        word+=$c
    fi
done
words+=("$word")
COMP_WORDS=("${words[@]}")
COMP_CWORD=$((${#words[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
COMP_WORDBREAKS=$'"\'><=;|&(:'  # bash's default
COMPREPLY=()
"$function" "${words[0]}" "${words[-1]}" "${words[-2]-}"
((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
exit 0
EOF
complete_bash() {
    run bash --norc --noprofile "$E2E_TMP/bash_drive" "$1"
    [[ $RC == 0 ]] || fail "bash completion of [$1] failed"
    ok
}

# expect_bash LINE WANT...: the completions of LINE are exactly WANT (in any order).
expect_bash() {
    local line=$1
    shift
    complete_bash "$line"
    local want=""
    (($#)) && want=$(printf '%s\n' "$@" | LC_ALL=C sort)
    assert_eq "$want" "$OUT" "bash completions of [$line]"
}

# expect_complete WANT_LINE ARGS...: `brix __complete -- ARGS` prints exactly the lines WANT_LINE
# (a newline-separated list, "value<TAB>description").
expect_complete() {
    local want=$1
    shift
    expect_ok brix __complete -- "$@"
    assert_eq "$want" "$OUT" "__complete $*"
}

values_of() { cut -f1 <<<"$OUT" | LC_ALL=C sort | tr '\n' ' '; }

# ---------------------------------------------------------------------------------------------
step "test data: workspace folders (one with a blank), a DBFS tree, two jobs and a run"
mkdir -p "$WORK/local/sub"
echo 'print(1)' >"$WORK/local/etl.py"
expect_ok brix workspace mkdirs /Shared/demo/lib
expect_ok brix workspace mkdirs "/Shared/my folder"
expect_ok brix workspace import "$WORK/local/etl.py" /Shared/demo/etl.py --format RAW
expect_ok brix workspace import "$WORK/local/etl.py" "/Shared/my folder/nb" --language PYTHON
expect_ok brix fs mkdirs dbfs:/landing/2026
expect_ok brix fs put dbfs:/landing/notes.txt hello
JOB_SETTINGS='"tasks": [{"task_key": "t", "condition_task": {"op": "EQUAL_TO", "left": "1", "right": "1"}}]'
expect_ok brix jobs create --json "{\"name\": \"completion job a\", $JOB_SETTINGS}"
JOB_A=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["job_id"])' "$OUT_FILE")
expect_ok brix jobs create --json "{\"name\": \"completion job b\", $JOB_SETTINGS}"
JOB_B=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["job_id"])' "$OUT_FILE")
expect_exit 0 brix jobs run-now "$JOB_A" -o json
RUN=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["run_id"])' "$OUT_FILE")

# ---------------------------------------------------------------------------------------------
step "brix completion bash|zsh|fish prints the installed scripts; the command is hidden"
for pair in bash:brix.bash zsh:_brix fish:brix.fish; do
    expect_ok brix completion "${pair%%:*}"
    assert_out_bytes "$(cat "$BRIX_SOURCE_DIR/completions/${pair#*:}")"$'\n'
done
if [[ -x $BIN_DIR/databricks ]]; then
    expect_ok databricks completion bash
    assert_contains "$OUT" "complete -F _brix brix databricks" "databricks completion bash"
fi
expect_exit 2 brix completion tcsh
expect_ok brix --help
assert_not_contains "$OUT" "__complete" "brix --help"

step "__complete: commands, aliases, flags and choices from the command tree"
expect_ok brix __complete conf
assert_eq "configure	Write a token profile to ~/.databrickscfg (or \$DATABRICKS_CONFIG_FILE)" "$OUT" "__complete conf"
expect_ok brix __complete wor  # hand-written and generated groups alike
assert_contains "$OUT" "workspace	Import, export, list and delete notebooks, files and folders"
assert_contains "$OUT" "workspace-conf	"
expect_ok brix __complete -- workspace im
assert_eq "import import-dir " "$(values_of)" "workspace verbs"
expect_ok brix __complete workspace ls -l /Shared/d  # "--" is only needed before a first word that is a flag
assert_eq "/Shared/demo/" "$(values_of | xargs)" "without --"
expect_ok brix __complete -- workspace import_
assert_eq "import_dir " "$(values_of)" "the legacy spelling, once asked for"
expect_ok brix __complete -- workspace li
assert_eq "list " "$(values_of)" "an alias"
expect_ok brix __complete -- ""
for group in completion configure fs jobs catalogs model-registry; do
    assert_contains " $(values_of)" " $group " "top level"
done
assert_not_contains "$OUT" "__complete" "top level"
expect_ok brix __complete -- workspace import --format ""
assert_eq "AUTO DBC HTML JUPYTER RAW R_MARKDOWN SOURCE " "$(values_of)" "import formats"
expect_ok brix __complete -- workspace import x --language sc
assert_eq "SCALA" "$OUT" "choices ignore case"
expect_ok brix __complete -- -o ""
assert_eq "json text " "$(values_of)" "output formats"
expect_ok brix __complete -- workspace ls --output=j
assert_eq "--output=json" "$OUT" "a value attached with ="
expect_ok brix __complete -- workspace ls -
assert_contains "$(values_of)" "--absolute --debug --help --help-all --id --long --output --profile --quiet -h -i -l -o -p -q " "workspace ls flags"
assert_not_contains "$(values_of)" "--version" "workspace ls flags"
expect_ok brix __complete -- workspace ls -l -
assert_not_contains "$(values_of)" "--long" "a flag already given"
expect_ok brix __complete -- jobs list ""
assert_contains "$(values_of)" "--limit" "a verb without arguments offers its flags"
expect_complete "" workspace ls /Shared nothing-after-the-path

step "__complete: live values with descriptions, from the backend"
expect_ok brix __complete -- jobs get --job-id ""
assert_eq "$JOB_A	completion job a
$JOB_B	completion job b" "$(LC_ALL=C sort <<<"$OUT")" "job ids with names"
expect_ok brix __complete -- jobs get ""
assert_eq "$JOB_A $JOB_B " "$(values_of)" "JOB_ID, new syntax"
expect_ok brix __complete -- runs get --run-id ""
assert_contains "$OUT" "$RUN	" "run ids"
expect_ok brix __complete -- jobs get-run ""
assert_contains "$(values_of)" "$RUN " "RUN_ID"
expect_complete "/Shared/demo/	folder" workspace ls /Shared/de
expect_complete "/Shared/demo/etl.py	file
/Shared/demo/lib/	folder" workspace get-status /Shared/demo/
expect_ok brix __complete -- workspace ls ""
assert_contains "$(values_of)" "/Shared/ " "the workspace root"
expect_complete "dbfs:/landing/2026/	folder
dbfs:/landing/notes.txt	5 bytes" fs ls dbfs:/landing/
expect_ok brix __complete -- fs cp ""
assert_contains "$(values_of)" "dbfs:/ local/ " "fs: dbfs:/ and local paths"

step "__complete: local paths where the CLI takes a local file"
expect_complete "local/" workspace import lo
expect_complete "local/etl.py
local/sub/" workspace import local/
expect_complete "/Shared/demo/	folder" workspace import local/etl.py /Shared/de
expect_complete "/Shared/demo/	folder" workspace import --file local/etl.py /Shared/de
expect_complete "local/etl.py" workspace export /Shared/demo/etl.py local/e
expect_complete "@local/etl.py" jobs create --json @local/e

step "__complete: --profile from the configuration file; lookups use the profile given"
DATABRICKS_CONFIG_FILE=$CFG expect_complete "dev	https://dev.example.com
other	local:$E2E_TMP/other-root" -p ""
DATABRICKS_CONFIG_FILE=$CFG expect_complete "--profile=other	local:$E2E_TMP/other-root" workspace ls --profile=o
DATABRICKS_CONFIG_FILE=$CFG expect_ok brix -p other jobs create --json "{\"name\": \"in the other root\", $JOB_SETTINGS}"
DATABRICKS_CONFIG_FILE=$CFG expect_ok brix __complete -- -p other jobs get --job-id ""
assert_contains "$OUT" "	in the other root" "jobs of --profile other"
assert_not_contains "$OUT" "completion job a" "jobs of --profile other"

step "__complete: a failing lookup prints nothing and exits 0, within its deadline"
expect_complete "" -p nosuch jobs get --job-id ""
DATABRICKS_CONFIG_FILE=$E2E_TMP expect_complete "" -p ""
DATABRICKS_CONFIG_FILE=$CFG expect_complete "" -p dev jobs get --job-id ""  # dev.example.com: unresolvable or refused
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(60)' >"$E2E_TMP/blackhole.port" &
BLACKHOLE=$!
for _ in $(seq 100); do [[ -s $E2E_TMP/blackhole.port ]] && break; sleep 0.05; done
START=$SECONDS
DATABRICKS_HOST=http://127.0.0.1:$(cat "$E2E_TMP/blackhole.port") DATABRICKS_TOKEN=x expect_complete "" jobs get --job-id ""
((SECONDS - START <= 5)) || fail "a workspace that never answers kept completion waiting $((SECONDS - START))s"
ok
kill "$BLACKHOLE"
wait "$BLACKHOLE" 2>/dev/null

# ---------------------------------------------------------------------------------------------
step "bash: complete -p brix names the function of the script"
run bash --norc --noprofile -c 'source <(brix completion bash) && complete -p brix && complete -p databricks'
assert_contains "$OUT" "complete -F _brix brix" "complete -p brix"
assert_contains "$OUT" "complete -F _brix databricks" "complete -p databricks"

step "bash: commands, verbs, flags and choices"
expect_bash "brix conf" configure
expect_bash "brix workspace im" import import-dir
expect_bash "brix workspace import --format " AUTO DBC HTML JUPYTER RAW R_MARKDOWN SOURCE
expect_bash "brix workspace import x --format s" SOURCE
expect_bash "brix workspace ls --ab" --absolute
expect_bash "brix -o " json text
expect_bash "brix workspace ls -o js" json
expect_bash "brix workspace ls -o json" json
expect_bash "brix workspace ls --output=j" json
complete_bash "brix workspace ls -"
assert_contains "$(tr '\n' ' ' <<<"$OUT")" "--profile --quiet -h -i -l -o -p -q" "bash: workspace ls flags"

step "bash: live values, with '=' and ':' split off as bash does"
expect_bash "brix jobs get --job-id " "$JOB_A" "$JOB_B"
expect_bash "brix jobs get --job-id=" "$JOB_A" "$JOB_B"
expect_bash "brix runs get --run-id $RUN" "$RUN"
expect_bash "brix workspace ls /Shared/de" /Shared/demo/
expect_bash "brix workspace ls /Shared/demo/" /Shared/demo/etl.py /Shared/demo/lib/
expect_bash "brix workspace ls /Shared/my" '/Shared/my\ folder/'
expect_bash 'brix workspace export /Shared/my\ folder/' '/Shared/my\ folder/nb'
expect_bash "brix fs ls dbfs:/la" /landing/
expect_bash "brix fs cp ./local/e" ./local/etl.py
expect_bash "brix workspace import local/etl.py /Shared/demo/l" /Shared/demo/lib/

step "bash: --profile names from the configuration file; the databricks name"
DATABRICKS_CONFIG_FILE=$CFG expect_bash "brix -p " dev other
DATABRICKS_CONFIG_FILE=$CFG expect_bash "brix jobs list --profile o" other
if [[ -x $BIN_DIR/databricks ]]; then
    expect_bash "databricks conf" configure
else
    skip "no databricks link next to $BRIX"
fi

# ---------------------------------------------------------------------------------------------
step "zsh: the script loads with compinit and completes in an interactive zsh"
# zsh_complete LINE...: types each LINE and TAB in an interactive zsh (on a pseudo-terminal) that
# sourced the script and, once the completion has finished, appends the edited line to $OUT as
# <LINE>. Completion runs for real: compinit, _describe, compadd, the insertion.
zsh_complete() {
    rm -f "$E2E_TMP/zsh.lines" "$E2E_TMP/zsh.lines.done"
    run zsh -f "$E2E_TMP/zsh_drive" "$E2E_TMP/zsh.lines" "$@"
    [[ $RC == 0 ]] || fail "zsh did not run"
    OUT=$(cat "$E2E_TMP/zsh.lines" 2>/dev/null)
    ok
}
if command -v zsh >/dev/null && zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
    brix completion zsh >"$E2E_TMP/_brix"
    cat >"$E2E_TMP/zsh_drive" <<'EOF'
out=$1; shift
zmodload zsh/zpty || exit 1
zpty z zsh -f -i
zpty -w z "PS1='> '; autoload -Uz compinit; compinit -u -d $out.zcd; source ${out:h}/_brix"
# finished marks the end of each completion: a key typed before that would cut it short.
zpty -w z "finished() { print >> $out.done; }; traced() { comppostfuncs+=(finished); _brix \"\$@\"; }; compdef traced brix databricks"
zpty -w z "dump() { print -r -- \"<\$BUFFER>\" >> $out; BUFFER=''; }; zle -N dump; bindkey '^G' dump"
wait_lines() {
    local i
    for i in {1..400}; do
        [[ -f $1 && $(wc -l <$1) -ge $2 ]] && return 0
        sleep 0.05
    done
    return 1
}
n=0
for line; do
    ((n++))
    zpty -w -n z "$line"$'\t'
    wait_lines $out.done $n || print -r -- "<no completion ran for: $line>" >>$out
    zpty -w -n z $'\a'
    wait_lines $out $n || break
done
zpty -d z
EOF
    # Sourced after compinit, it registers _brix for both names, without a word on stderr.
    run zsh -f -c 'autoload -Uz compinit && compinit -u -d "$1/zcompdump" && source "$1/_brix" &&
                   (( $+functions[_brix] )) && print -r -- "$_comps[brix] $_comps[databricks]"' zsh "$E2E_TMP"
    [[ $RC == 0 && -z $ERR ]] || fail "zsh could not load the script"
    assert_eq "_brix _brix" "$OUT" "zsh: compdef"
    # Installed in $fpath instead, compinit finds it.
    run zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -d "$1/zcompdump2" && print -r -- "$_comps[brix]"' zsh "$E2E_TMP"
    assert_eq "_brix" "$OUT" "zsh: _brix from fpath"
    zsh_complete "brix conf" "brix workspace import --format sou" "brix fs ls dbfs:/la" "brix workspace ls /Shared/de" \
        "brix jobs get --job-id $JOB_A" "brix workspace ls -o js" "brix workspace im" "databricks workspace ls /Shared/my"
    assert_eq "<brix configure >
<brix workspace import --format SOURCE >
<brix fs ls dbfs:/landing/>
<brix workspace ls /Shared/demo/>
<brix jobs get --job-id $JOB_A >
<brix workspace ls -o json >
<brix workspace import>
<databricks workspace ls /Shared/my\\ folder/>" "$OUT" "zsh: lines after TAB"
else
    skip "zsh (with zsh/zpty) is not installed"
fi

step "fish: the script loads and answers complete -C"
if command -v fish >/dev/null; then
    brix completion fish >"$E2E_TMP/brix.fish"
    fish_complete() {
        # shellcheck disable=SC2016 # fish's own $argv
        run fish --no-config -c 'source $argv[1]; or exit 1; complete -C $argv[2]' "$E2E_TMP/brix.fish" "$1"
        [[ $RC == 0 && -z $ERR ]] || fail "fish completion of [$1] failed"
        ok
    }
    fish_complete "brix conf"
    assert_eq "configure	Write a token profile to ~/.databrickscfg (or \$DATABRICKS_CONFIG_FILE)" "$OUT" "fish: brix conf"
    fish_complete "brix workspace im"
    assert_eq "import import-dir " "$(values_of)" "fish: workspace im"
    fish_complete "brix workspace import --format "
    assert_eq "AUTO DBC HTML JUPYTER RAW R_MARKDOWN SOURCE " "$(values_of)" "fish: formats"
    fish_complete "brix jobs get --job-id "
    assert_contains "$OUT" "$JOB_B	completion job b" "fish: job ids"
    fish_complete "brix workspace ls /Shared/my"
    assert_contains "$OUT" "/Shared/my folder/" "fish: a folder with a blank"
    fish_complete "brix fs ls dbfs:/landing/n"
    assert_eq "dbfs:/landing/notes.txt" "$(values_of | xargs)" "fish: dbfs path"
    fish_complete "databricks workspace ls -o js"
    assert_eq "json" "$(values_of | xargs)" "fish: -o json"
else
    skip "fish is not installed"
fi

step "start-up does no completion work"
expect_ok brix --version
assert_eq "brix 0.1.0" "$OUT" "--version"
finish
