#!/usr/bin/env bash
# brix serve under load, and large uploads through it, each next to a reference in the same run:
#  - requests/s and p99 latency of jobs/get and workspace/get-status with wrk (64 connections, 10 s);
#  - `brix fs cp` of a SIZE_MIB file to dbfs:/ and to a volume on brix serve over loopback, against
#    curl uploading the same bytes to the Files API route of the same server.
# Usage: tests/bench/serve.sh [SIZE_MIB] (default 256). Needs wrk (apt-get install wrk) and curl.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
BRIX="${BRIX:-$repo/build/brix}"
SIZE_MIB="${1:-256}"
DURATION="${DURATION:-10s}"
work="$(mktemp -d "${TMPDIR:-/tmp}/brix-bench-serve.XXXXXX")"
server=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

"$BRIX" serve --root "$work/root" --port 0 --token-file "$work/token" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q Listening "$work/serve.log" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1)
token=$(cat "$work/token")
export DATABRICKS_HOST=$url DATABRICKS_TOKEN=$token DATABRICKS_CONFIG_FILE=/dev/null
printf 'print(1)\n' > "$work/t.py"
"$BRIX" workspace import "$work/t.py" /Shared/t.py >/dev/null
job=$("$BRIX" jobs create --json '{"name":"bench","tasks":[{"task_key":"t","spark_python_task":{"python_file":"/Shared/t.py"}}]}' -o json |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
idle_rss=$(rss_kb)

cat > "$work/latency.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
LUA
printf '%-44s %12s %10s %10s %8s\n' "route (wrk, 64 connections, $DURATION)" "requests/s" "p50 ms" "p99 ms" "non-2xx"
for route in "/api/2.2/jobs/get?job_id=$job" "/api/2.0/workspace/get-status?path=/Shared/t.py"; do
    line=$(wrk -t2 -c64 -d"$DURATION" -H "Authorization: Bearer $token" -s "$work/latency.lua" "$url$route" | grep '^RESULT')
    read -r _ rps p50 p99 errors <<< "$line"
    printf '%-44s %12s %10s %10s %8s\n' "${route%%\?*}" "$rps" "$p50" "$p99" "$errors"
done
load_rss=$(rss_kb)

head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$work/big.bin"
cat "$work/big.bin" > /dev/null
time_ms() { local s; s=$(date +%s%N); "$@" > /dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); }
curl_ms=$(time_ms curl -sf -X PUT -H "Authorization: Bearer $token" --data-binary "@$work/big.bin" "$url/api/2.0/fs/files/Volumes/main/default/bench/curl.bin")
volume_ms=$(time_ms "$BRIX" fs cp "$work/big.bin" /Volumes/main/default/bench/brix.bin)
dbfs_ms=$(time_ms "$BRIX" fs cp "$work/big.bin" dbfs:/bench/brix.bin)
echo
printf '%-52s %10s %10s %10s\n' "upload of $SIZE_MIB MiB over loopback" "ms" "MB/s" "x curl"
for row in "curl PUT to the Files API:$curl_ms" "brix fs cp to /Volumes (Files API):$volume_ms" "brix fs cp to dbfs:/ (DBFS create/add-block/close):$dbfs_ms"; do
    name=${row%:*}
    ms=${row##*:}
    printf '%-52s %10s %10s %10s\n' "$name" "$ms" "$(python3 -c "print(f'{$SIZE_MIB*1.048576/($ms/1000):.0f}')")" \
        "$(python3 -c "print(f'{$ms/$curl_ms:.2f}')")"
done
echo
echo "brix serve peak memory: idle $((idle_rss / 1024)) MiB, after load $((load_rss / 1024)) MiB (VmRSS)"
