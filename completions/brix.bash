# bash completion for brix, and for the same binary called databricks.
#   source <(brix completion bash)          # in ~/.bashrc
# or install this file as /usr/share/bash-completion/completions/brix (and .../databricks).
#
# Every answer comes from `brix __complete -- WORD... CURRENT`, which walks the real command tree
# and asks the selected backend for paths and ids; this script only translates between bash and
# it, so it lists no commands or flags and never goes stale.

# _brix_dequote WORD: the word as the command will receive it ('a b', "a b" and a\ b are a b),
# in _brix_word.
_brix_dequote() {
    local word=$1 out="" i
    case $word in
    \'*) word=${word#\'} && out=${word%\'} ;;
    \"*) word=${word#\"} && out=${word%\"} ;;
    *)
        for ((i = 0; i < ${#word}; i++)); do
            [[ ${word:i:1} == \\ ]] && ((i++))
            out+=${word:i:1}
        done
        ;;
    esac
    _brix_word=$out
}

_brix() {
    local line=${COMP_LINE:0:COMP_POINT} rest piece i _brix_word
    local -a words=() args=()
    # Bash also splits words at '=' and ':' (COMP_WORDBREAKS): join the pieces that no blank
    # separates again, so brix sees --job-id=12 and dbfs:/x as typed. The current word is the
    # line up to the cursor.
    for ((i = 0; i <= COMP_CWORD; i++)); do
        rest=${line#"${line%%[![:space:]]*}"}
        piece=${COMP_WORDS[i]}
        ((i == COMP_CWORD)) && piece=$rest
        if [[ ${rest:0:${#piece}} != "$piece" ]]; then
            words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
            break
        fi
        if ((i == 0 || ${#rest} != ${#line})); then words+=("$piece"); else words[-1]+=$piece; fi
        line=${rest:${#piece}}
    done
    for piece in "${words[@]}"; do
        _brix_dequote "$piece"
        args+=("$_brix_word")
    done
    local cur=${words[-1]} word=${args[-1]} command=${args[0]}
    # shellcheck disable=SC2088 # the "~/" as typed, which nothing has expanded
    [[ $command == "~/"* ]] && command=$HOME/${command#"~/"}

    local -a lines=()
    mapfile -t lines < <("$command" __complete -- "${args[@]:1}" 2>/dev/null)

    # Bash replaces only what follows the last '=' or ':' of the word: cut off the rest.
    local keep="" breaks=""
    [[ ${COMP_WORDBREAKS-} == *=* ]] && breaks+="="
    [[ ${COMP_WORDBREAKS-} == *:* ]] && breaks+=":"
    [[ -n $breaks && $word == *["$breaks"]* ]] && keep=${word%"${word##*["$breaks"]}"}
    local quoted=0 value
    [[ $cur == [\'\"]* ]] && quoted=1

    COMPREPLY=()
    for value in "${lines[@]}"; do
        value=${value%%$'\t'*}
        # Whole words that start with the word as typed, case aside (see cli/completion.hpp).
        [[ ${value,,} == "${word,,}"* ]] || continue
        value=${value#"$keep"}
        [[ -n $value ]] || continue
        ((quoted)) || printf -v value %q "$value"
        COMPREPLY+=("$value")
    done
    # A folder is completed further: no space after it.
    if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == */ ]]; then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}

complete -F _brix brix databricks
