#!/usr/bin/env bash
# Every command's --help, taken from the binary itself (`brix __commands`), so that a command added
# without an example or a summary fails here: exit 0, "Usage: brix <words>", a summary, an example;
# a group lists each of its verbs (with aliases); an alias shows its command's help; internal
# commands (__*) appear nowhere. Then brix(1): it renders without a groff warning and covers every
# command.
set -uo pipefail
BRIX=${BRIX:-$(cd "$(dirname "$0")/../.." && pwd)/build/brix}
BUILD_DIR=${BRIX_BUILD_DIR:-$(dirname "$BRIX")}
work=$(mktemp -d "${TMPDIR:-/tmp}/brix-help.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Help must never need the engine: point it at a root that must stay absent.
export BRIX_HOME=$work/root DATABRICKS_CONFIG_FILE=$work/none.cfg
unset DATABRICKS_HOST DATABRICKS_TOKEN DATABRICKS_CONFIG_PROFILE
passed=0
failed=0
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
pass() { passed=$((passed + 1)); }
check() {  # check NAME COMMAND...: passes when COMMAND succeeds
    local name=$1
    shift
    if "$@"; then pass; else fail "$name"; fi
}
contains() { [[ $1 == *"$2"* ]]; }

# The command tree: "words<TAB>alias,alias" per command, groups before their verbs. The maps are
# keyed by the command's words, "." for the root (bash has no empty keys).
commands=$("$BRIX" __commands) || { echo "FAIL: brix __commands" >&2; exit 1; }
declare -A verbs_of aliases_of
paths=()
parent_of() { if [[ $1 == *" "* ]]; then echo "${1% *}"; else echo .; fi; }
while IFS=$'\t' read -r words aliases; do
    [[ -n $words ]] || continue
    paths+=("$words")
    aliases_of[$words]=$aliases
    parent=$(parent_of "$words")
    verbs_of[$parent]+="${words##* } "
done <<<"$commands"
check "at least 80 commands (got ${#paths[@]})" [ "${#paths[@]}" -ge 80 ]
for group in workspace fs jobs runs repos secrets clusters tokens auth configure serve; do
    check "command $group is listed" contains " ${verbs_of[.]} " " $group "
done

# help_of WORDS: the --help of a command (WORDS empty: the root), checked for what every help has.
help_of() {
    local words=$1 out rc
    # shellcheck disable=SC2086
    out=$("$BRIX" $words --help 2>"$work/err")
    rc=$?
    check "'$words --help' exits 0 (got $rc)" [ "$rc" = 0 ]
    check "'$words --help' writes nothing to stderr" [ ! -s "$work/err" ]
    check "'$words --help' has 'Usage: brix${words:+ $words}'" contains "$out" $'\n'"Usage: brix${words:+ $words}"
    check "'$words --help' starts with a summary line" [ -n "$(head -1 <<<"$out")" ]
    check "'$words --help' has an example" grep -qE '^Examples?:$' <<<"$out"
    check "'$words --help' has an example that runs brix" grep -qE '^  .*\bbrix ' <<<"$(sed -n '/^Examples\?:$/,$p' <<<"$out")"
    check "'$words --help' shows no internal command" bash -c '! grep -q "__" <<<"$1"' _ "$out"
    HELP=$out
}

# verbs_listed HELP: the verbs in the Commands section of a group's help, one per line.
verbs_listed() { sed -n '/^Commands:$/,/^$/p' <<<"$1" | sed -n 's/^  \([a-z][a-z0-9_-]*\).*/\1/p'; }

# The generated groups (docs/commands.md) hold a thousand commands: the unit test "every generated
# group builds, ..." checks the help of each in-process. Here every hand-written command, every
# generated group, and the first verb of each generated group are walked.
declare -A generated_group walked_verb
is_generated() {
    if [[ -z ${generated_group[$1]:-} ]]; then
        if "$BRIX" "$1" --help 2>/dev/null | grep -q '^Generated from the Databricks REST API'; then
            generated_group[$1]=yes
        else
            generated_group[$1]=no
        fi
    fi
    [[ ${generated_group[$1]} == yes ]]
}
sampled=()
for words in "${paths[@]}"; do
    top=${words%% *}
    if [[ $words == *" "* ]] && is_generated "$top"; then
        [[ -n ${walked_verb[$top]:-} ]] && continue
        walked_verb[$top]=$words
    fi
    sampled+=("$words")
done
check "some generated groups are walked (got ${#walked_verb[@]})" [ "${#walked_verb[@]}" -ge 30 ]

for words in "" "${sampled[@]}"; do
    help_of "$words"
    key=${words:-.}
    if [[ -n ${verbs_of[$key]:-} ]]; then
        listed=$(verbs_listed "$HELP" | sort | tr '\n' ' ')
        expected=$(tr ' ' '\n' <<<"${verbs_of[$key]}" | sed '/^$/d' | sort | tr '\n' ' ')
        check "'$words --help' lists every verb: [$listed] vs [$expected]" [ "$listed" = "$expected" ]
        check "'$words --help' usage ends with <command> [flags]" contains "$HELP" "<command> [flags]"
        if [[ -n $words ]]; then
            # shellcheck disable=SC2086
            bare=$("$BRIX" $words 2>&1)
            check "'$words' without a verb prints its help" [ "$bare" = "$HELP" ]
        fi
    else
        check "'$words --help' usage ends with [flags]" grep -qE "^Usage: brix $words.*\[flags\]$" <<<"$HELP"
    fi
    # Aliases: shown next to the verb in the group's help, and the alias's help is the command's.
    if [[ -n ${aliases_of[$key]:-} ]]; then
        parent=$(parent_of "$words")
        [[ $parent = . ]] && parent=""
        # shellcheck disable=SC2086
        group_help=$("$BRIX" $parent --help)
        check "'$parent --help' shows the aliases of ${words##* }" \
            grep -qF "  ${words##* } (alias: ${aliases_of[$words]//,/, })" <<<"$group_help"
        IFS=, read -ra names <<<"${aliases_of[$words]}"
        for alias in "${names[@]}"; do
            # shellcheck disable=SC2086
            check "'$parent $alias --help' is the help of '$words'" [ "$("$BRIX" $parent $alias --help)" = "$HELP" ]
        done
    fi
done

# Every command also appears in --help-all, which shows no internal command either: the words of
# each usage line (up to the first argument or flag) are the commands it covers.
all=$("$BRIX" --help-all)
declare -A in_help_all
while read -ra tokens; do
    covered=""
    for token in "${tokens[@]}"; do
        [[ $token == "<"* || $token == "["* || $token == "-"* ]] && break
        covered+="${covered:+ }$token"
    done
    in_help_all[$covered]=1
done < <(sed -n 's/^brix //p' <<<"$all")
for words in "${paths[@]}"; do
    check "--help-all covers '$words'" [ -n "${in_help_all[$words]:-}" ]
done
lacks() { ! grep -qF -- "$2" <<<"$1"; }  # a function: the whole help is too long for an argument list
check "--help-all shows no internal command" lacks "$all" "__"
check "help left the engine root alone" [ ! -e "$work/root" ]

# brix(1): the build wrote it; it is what the binary prints now; groff renders it without a warning.
check "the build wrote $BUILD_DIR/brix.1" [ -s "$BUILD_DIR/brix.1" ]
"$BRIX" __man >"$work/brix.1"
check "build/brix.1 is up to date" cmp -s "$BUILD_DIR/brix.1" "$work/brix.1"
"$BRIX" __man "$work/written.1"
check "brix __man FILE writes the same page" cmp -s "$work/brix.1" "$work/written.1"
if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$work/brix.1" 2>"$work/groff.err"
    check "groff renders brix.1 without warnings: $(head -c 600 "$work/groff.err")" [ ! -s "$work/groff.err" ]
    # Wide lines, so that the longest command paths stay on one line.
    text=$(groff -man -rLL=200n -Tascii -P-cbou "$work/brix.1" 2>/dev/null)
    for section in NAME SYNOPSIS DESCRIPTION "GLOBAL FLAGS" COMMANDS ENVIRONMENT FILES "EXIT STATUS"; do
        check "brix.1 has a $section section" grep -qE "^$section$" <<<"$text"
    done
    declare -A in_man
    while read -r line; do in_man[$line]=1; done < <(sed -n 's/^ *brix \(.*[^ ]\) *$/\1/p' <<<"$text")
    for words in "${paths[@]}"; do
        check "brix.1 covers '$words'" [ -n "${in_man[$words]:-}" ]
    done
    check "brix.1 shows examples" grep -qF "brix workspace import etl.py /Shared/etl.py" <<<"$text"
    check "brix.1 has the exit codes" grep -qE "^ +124 +A wait timed out" <<<"$text"
else
    fail "groff is not installed (scripts/install-deps.sh test installs groff-base)"
fi
if command -v man >/dev/null; then
    MANWIDTH=100 man --warnings -l "$work/brix.1" >"$work/man.txt" 2>"$work/man.err" </dev/null
    check "man -l renders brix.1 without warnings: $(head -c 600 "$work/man.err")" [ ! -s "$work/man.err" ]
    check "man -l shows the page" grep -q "brix workspace import" "$work/man.txt"
fi

echo "test_help: $passed checks passed, $failed failed"
[ "$failed" = 0 ]
