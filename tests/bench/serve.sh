#!/usr/bin/env bash
# brix serve under load, and large uploads through it, each next to a reference in the same run:
#  - requests/s and p50/p99/p99.9 latency of jobs/get and workspace/get-status with wrk (64 connections,
#    DURATION, default 10 s; 2 wrk threads), against /preview/scim/v2/Me on the same server: an
#    authenticated route that reads nothing from the store, i.e. what HTTP and the token check
#    alone cost;
#  - `brix fs cp` of a SIZE_MIB file (default 256) to dbfs:/ and to a volume on brix serve over
#    loopback, against curl uploading the same bytes to the Files API route of the same server,
#    interleaved, median of UPLOADS (default 3) runs;
#  - the server's peak memory (VmHWM): idle, after the wrk runs, after the uploads.
#
#   tests/bench/serve.sh [SIZE_MIB]
#   DURATION=5s UPLOADS=1 tests/bench/serve.sh 64
#
# wrk runs on the same machine as the server, so on a 2-core machine the two share the cores.
# Needs wrk and curl (scripts/install-deps.sh bench). A measurement: it never fails on a slow result.

# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_serve() (
    set -euo pipefail
    local size_mib="${1:-${SIZE_MIB_SERVE:-256}}"
    bench_need wrk curl
    bench_workdir serve
    bench_isolate "$WORK"
    bench_serve_start "$WORK/root"
    export DATABRICKS_HOST=$SERVE_URL DATABRICKS_TOKEN=$SERVE_TOKEN
    "$PYTHON" -c 'from benchlib import vm_hwm_kib; import sys; print(vm_hwm_kib(int(sys.argv[1])))' "$SERVE_PID" \
        >"$WORK/rss.start"
    printf 'print(1)\n' >"$WORK/t.py"
    "$BRIX" workspace import "$WORK/t.py" /Shared/t.py >/dev/null
    local job
    job=$("$BRIX" jobs create --json '{"name":"bench","tasks":[{"task_key":"t","spark_python_task":{"python_file":"/Shared/t.py"}}]}' -o json |
        "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
    head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$WORK/big.bin"
    cat "$WORK/big.bin" >/dev/null
    cat >"$WORK/latency.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.3f %.3f %.3f %d %d\n", summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
                         summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
    "$PYTHON" - "$BRIX" "$WORK" "$job" "$size_mib" "${DURATION:-10s}" "${UPLOADS:-3}" <<'PY'
import os
import subprocess
import sys

from benchlib import fail, interleaved, median, row, vm_hwm_kib

brix, work, job, size_mib, duration, uploads = sys.argv[1:7]
size_mib, uploads = int(size_mib), int(uploads)
url, token, pid = os.environ["SERVE_URL"], os.environ["SERVE_TOKEN"], int(os.environ["SERVE_PID"])
idle = int(open(f"{work}/rss.start").read())


def wrk(route):
    done = subprocess.run(["wrk", "-t2", "-c64", f"-d{duration}", "-H", f"Authorization: Bearer {token}",
                           "-s", f"{work}/latency.lua", url + route], capture_output=True, text=True)
    result = [line for line in done.stdout.splitlines() if line.startswith("RESULT")]
    if done.returncode != 0 or not result:
        fail(f"wrk {route} failed: {done.stderr.strip()}")
    rps, p50, p99, p999, non2xx, socket_errors = result[0].split()[1:]
    return float(rps), float(p50), float(p99), float(p999), int(non2xx), int(socket_errors)


routes = [("GET /preview/scim/v2/Me (auth only)", "/api/2.0/preview/scim/v2/Me"),
          ("GET jobs/get", f"/api/2.2/jobs/get?job_id={job}"),
          ("GET workspace/get-status", "/api/2.0/workspace/get-status?path=/Shared/t.py")]
print(f"brix serve, wrk 2 threads 64 connections {duration}, {os.cpu_count()} cores shared with wrk")
print(f"{'route':<40}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>9}{'non-2xx':>9}{'socket err':>11}")
measured = {}
for name, route in routes:
    measured[name] = wrk(route)
    rps, p50, p99, p999, non2xx, errors = measured[name]
    print(f"{name:<40}{rps:>12.0f}{p50:>9.2f}{p99:>9.2f}{p999:>9.2f}{non2xx:>9}{errors:>11}")
loaded = vm_hwm_kib(pid)

floor = measured[routes[0][0]]
for name, _ in routes[1:]:
    rps, p50, p99, p999, non2xx, errors = measured[name]
    ok = non2xx == 0 and errors == 0
    row("serve", f"`brix serve` {name} req/s (wrk, 64 connections)", rps, "req/s", "same server, auth-only route", floor[0],
        "≥ 10,000 req/s", ok and rps >= 10_000)
    row("serve", f"`brix serve` {name} p50 latency", p50, "ms", "same server, auth-only route", floor[1])
    row("serve", f"`brix serve` {name} p99 latency", p99, "ms", "same server, auth-only route", floor[2], "< 10 ms", ok and p99 < 10)
    row("serve", f"`brix serve` {name} p99.9 latency", p999, "ms", "same server, auth-only route", floor[3])

big = f"{work}/big.bin"
auth = ["-H", f"Authorization: Bearer {token}"]
cases = [
    # -T streams the file (--data-binary would read it all into memory first); "Expect:" skips
    # the 100-continue round trip.
    ("curl PUT to the Files API", ["curl", "-sf", *auth, "-H", "Expect:", "-T", big,
                                   f"{url}/api/2.0/fs/files/Volumes/main/default/bench/curl.bin?overwrite=true"]),
    ("brix fs cp to /Volumes (Files API)", [brix, "fs", "cp", "--overwrite", big, "/Volumes/main/default/bench/brix.bin"]),
    ("brix fs cp to dbfs:/ (DBFS blocks)", [brix, "fs", "cp", "--overwrite", big, "dbfs:/bench/brix.bin"]),
]
samples = interleaved(cases, uploads, warmup=0)
after_uploads = vm_hwm_kib(pid)
reference = median(samples[cases[0][0]])
print(f"\nupload of {size_mib} MiB over loopback, median of {uploads}")
print(f"{'command':<40}{'ms':>10}{'MB/s':>10}{'x curl':>10}")
for name, _ in cases:
    value = median(samples[name])
    print(f"{name:<40}{value:>10.0f}{size_mib * 1.048576 / (value / 1000):>10.0f}{value / reference:>10.2f}")
for name, label in [(cases[1][0], "`/Volumes/...` (Files API)"), (cases[2][0], "DBFS")]:
    value = median(samples[name])
    row("transfer", f"`fs cp` {size_mib} MiB → `brix serve` {label}", value, "ms", "`curl` PUT of the same bytes, Files API",
        reference, "≤ 1.5× curl", value <= 1.5 * reference)

print(f"\nbrix serve peak memory (VmHWM): idle {idle / 1024:.1f} MiB, after wrk {loaded / 1024:.1f} MiB, "
      f"after the uploads {after_uploads / 1024:.1f} MiB")
row("memory", "peak RSS, `brix serve` idle", idle / 1024, "MiB", "", None, "< 64 MB", idle * 1024 < 64e6)
row("memory", "peak RSS, `brix serve` under load (wrk, then uploads)", after_uploads / 1024, "MiB", "", None, "< 64 MB",
    after_uploads * 1024 < 64e6)
PY
)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then bench_serve "$@"; fi
