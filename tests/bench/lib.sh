# What the benchmark scripts share, sourced by each of them and by report.sh:
#   BRIX, PYTHON, BENCH_DIR   the binary measured, the timer's interpreter, this folder
#   bench_need CMD...         stop with a clear message when a tool is missing
#   bench_workdir NAME        WORK = a fresh temporary folder (under BENCH_TMP, else TMPDIR, else
#                             /tmp), deleted when the calling shell exits
#   bench_isolate DIR         a private configuration and engine root, whatever the caller has set
#   bench_serve_start ROOT    `brix serve` on ROOT, on a free loopback port; exports SERVE_URL,
#                             SERVE_TOKEN, SERVE_PID; stopped when the calling shell exits
#
# Each benchmark is a function whose body is a subshell `( ... )`, so its settings, its exports and
# its EXIT trap (bench_cleanup) stay inside it: report.sh runs them one after the other in one
# shell. A script run directly calls its function itself.
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_REPO="$(cd "$BENCH_DIR/../.." && pwd)"
BRIX="${BRIX:-$BENCH_REPO/build/brix}"
PYTHON="${PYTHON:-python3}"
export BENCH_DIR PYTHONPATH="$BENCH_DIR${PYTHONPATH:+:$PYTHONPATH}"

bench_need() {
    local tool
    [[ -x $BRIX ]] || { echo "bench: no brix binary at $BRIX (build it, or set BRIX=...)" >&2; return 1; }
    for tool in "$PYTHON" "$@"; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is needed (scripts/install-deps.sh bench)" >&2; return 1; }
    done
}

# Everything one benchmark function created: folders to delete, processes to stop.
BENCH_CLEANUP_DIRS=()
BENCH_CLEANUP_PIDS=()

bench_cleanup() {
    local pid dir
    for pid in "${BENCH_CLEANUP_PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    for dir in "${BENCH_CLEANUP_DIRS[@]}"; do rm -rf "$dir"; done
    return 0
}

bench_workdir() {
    local base="${BENCH_TMP:-${TMPDIR:-/tmp}}"
    mkdir -p "$base"
    WORK=$(mktemp -d "$base/brix-bench-$1.XXXXXX")
    BENCH_CLEANUP_DIRS+=("$WORK")
    trap bench_cleanup EXIT
}

bench_isolate() {
    unset DATABRICKS_HOST DATABRICKS_TOKEN DATABRICKS_CONFIG_PROFILE DATABRICKS_CLIENT_ID DATABRICKS_CLIENT_SECRET
    export DATABRICKS_CONFIG_FILE="$1/databrickscfg"
    export BRIX_HOME="$1/root"
}

bench_serve_start() {
    local root=$1 log="$1.serve.log" token_file="$1.token"
    "$BRIX" serve --root "$root" --port 0 --token-file "$token_file" >"$log" 2>&1 &
    SERVE_PID=$!
    BENCH_CLEANUP_PIDS+=("$SERVE_PID")
    trap bench_cleanup EXIT
    local _
    for _ in $(seq 200); do
        grep -q Listening "$log" 2>/dev/null && break
        kill -0 "$SERVE_PID" 2>/dev/null || { echo "bench: brix serve did not start: $(cat "$log")" >&2; return 1; }
        sleep 0.05
    done
    SERVE_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)
    [[ -n $SERVE_URL ]] || { echo "bench: brix serve did not say where it listens: $(cat "$log")" >&2; return 1; }
    SERVE_TOKEN=$(cat "$token_file")
    export SERVE_URL SERVE_TOKEN SERVE_PID  # the Python timers read them
}
