#!/usr/bin/env bash
# The official Databricks JS SDK (npm @databricks/sdk-experimental) against `brix serve` on a
# free loopback port: see tests/sdk/sdk_scenario.mjs for what it does and asserts.
set -euo pipefail
BRIX=${BRIX:-$(cd "$(dirname "$0")/../.." && pwd)/build/brix}
sdk_dir="$(cd "$(dirname "$0")/../sdk" && pwd)"
work=$(mktemp -d "${TMPDIR:-/tmp}/brix-sdk.XXXXXX")
server=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

if [[ ! -d $sdk_dir/node_modules/@databricks/sdk-experimental ]]; then
    (cd "$sdk_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Every exchange is recorded for the contract check: the SDK's requests are its own business,
# the answers must be what the API schema says (docs/contract-check.md).
BRIX_SERVE_RECORD=$work/records.jsonl "$BRIX" serve --root "$work/root" --port 0 --token-file "$work/token" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
    grep -q "Listening on" "$work/serve.log" 2>/dev/null && break
    sleep 0.05
done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
[[ -n $url ]] || { cat "$work/serve.log" >&2; echo "brix serve did not start" >&2; exit 1; }

BRIX_SERVE_URL=$url BRIX_SERVE_TOKEN=$(cat "$work/token") timeout 300 node "$sdk_dir/sdk_scenario.mjs"
python3 "$(dirname "$0")/../contract/validate.py" "$work/records.jsonl"
