# fish completion for brix, and for the same binary called databricks.
#   brix completion fish | source          # in ~/.config/fish/config.fish
# or install this file as ~/.config/fish/completions/brix.fish (or in
# /usr/share/fish/vendor_completions.d/), and a copy named databricks.fish.
#
# Every answer comes from `brix __complete -- WORD... CURRENT`, which walks the real command tree
# and asks the selected backend for paths and ids; this script only translates between fish and
# it, so it lists no commands or flags and never goes stale.

function __brix_complete
    set -l tokens (commandline -opc)
    # The current token as the command will receive it (an unfinished quote stays as typed).
    set -l word (commandline -ct)
    if set -l unescaped (string unescape -- "$word" 2>/dev/null)
        set word "$unescaped"
    end
    set -l typed (string lower -- "$word")
    for line in ($tokens[1] __complete -- $tokens[2..-1] "$word" 2>/dev/null)
        set -l value (string split -m 1 \t -- "$line")[1]
        # Whole words that start with the word as typed, case aside (see cli/completion.hpp).
        set -l head (string sub -l (string length -- "$word") -- "$value")
        if test "$(string lower -- "$head")" = "$typed"
            printf '%s\n' "$line"
        end
    end
end

complete -c brix -f -a '(__brix_complete)'
complete -c databricks -f -a '(__brix_complete)'
