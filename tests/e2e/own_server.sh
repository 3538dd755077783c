# For suites that start their own `brix serve` and talk to it with curl (sourced; not a suite,
# and not lib.sh on purpose: these suites run once, not once per backend).
#   own_server_start NAME [SERVE_ARG...]  -> $work (a temporary folder), $server (its pid), $url, $token
#   check NAME CMD...      -> counts CMD's success in $passed / $failed, naming failures
#   check_summary NAME     -> prints the counts; its status is the suite's
BRIX=${BRIX:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/brix}
server=""
passed=0
failed=0

own_server_cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}

own_server_start() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/brix-$1.XXXXXX")
    trap own_server_cleanup EXIT
    "$BRIX" serve --root "$work/root" --port 0 --token-file "$work/token" "${@:2}" >"$work/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 200); do grep -q Listening "$work/serve.log" 2>/dev/null && break; sleep 0.05; done
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
    token=$(cat "$work/token")
}

check() {
    local name=$1
    shift
    if "$@" >/dev/null; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name" >&2; fi
}

check_summary() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
