#!/usr/bin/env bash
# Downloads from `brix serve` and copies of many small files, each next to a reference measured
# in the same run (interleaved, median of RUNS, default 3):
#  - `brix fs cp dbfs:/… FILE` and `brix fs cat dbfs:/…` of a SIZE_MIB file (default 100) from
#    brix serve, against `curl` downloading the same bytes from the Files API route of the same
#    server (one raw streamed GET: what any download could cost over loopback). DBFS downloads go
#    through dbfs/read, at most 1 MB of base64 in JSON per request; brix keeps 8 in flight.
#  - the same DBFS download the way the legacy Python CLI makes it: the real one when installed
#    (LEGACY_DATABRICKS, or a legacy `databricks` on PATH: `databricks fs cp`), else its algorithm
#    re-enacted in Python (one 1 MB dbfs/read after the other, json + base64 decoding, written to
#    the file), so the ratio to the legacy CLI is measured in the same run either way;
#  - `brix fs cp -r` of a tree of SMALL_FILES files of 4 KiB (default 1000) into brix serve DBFS
#    and back, in files per second, against `cp -r` of the same tree on the local disk.
#
#   tests/bench/downloads.sh [SIZE_MIB]
#   RUNS=1 SMALL_FILES=200 tests/bench/downloads.sh 16
#
# Needs curl (scripts/install-deps.sh bench). A measurement: it never fails on a slow result.

# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/bench/startup.sh
source "$BENCH_DIR/startup.sh"  # legacy_cli

bench_downloads() (
    set -euo pipefail
    local size_mib="${1:-${SIZE_MIB_DOWNLOAD:-100}}"
    bench_need curl cp
    bench_workdir downloads
    bench_isolate "$WORK"
    bench_serve_start "$WORK/root"
    export DATABRICKS_HOST=$SERVE_URL DATABRICKS_TOKEN=$SERVE_TOKEN
    head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$WORK/big.bin"
    "$BRIX" fs cp "$WORK/big.bin" dbfs:/bench/big.bin
    "$BRIX" fs cp "$WORK/big.bin" /Volumes/main/default/bench/big.bin
    mkdir -p "$WORK/tree"
    local i
    for ((i = 0; i < ${SMALL_FILES:-1000}; i++)); do
        mkdir -p "$WORK/tree/d$((i % 10))"
        head -c 4096 /dev/urandom >"$WORK/tree/d$((i % 10))/f$i.bin"
    done
    "$PYTHON" - "$BRIX" "$WORK" "$size_mib" "${RUNS:-3}" "${SMALL_FILES:-1000}" "$(legacy_cli)" <<'PY'
import os
import shutil
import subprocess
import sys

from benchlib import fail, interleaved, median, note, row, run_once

brix, work, size_mib, runs, small_files, legacy = sys.argv[1:7]
size_mib, runs, small_files = int(size_mib), int(runs), int(small_files)
url, token = os.environ["SERVE_URL"], os.environ["SERVE_TOKEN"]
big = f"{work}/big.bin"
out = f"{work}/out.bin"
size = os.path.getsize(big)

# The legacy CLI's DBFS download (databricks_cli/dbfs/api.py, get_file): one dbfs/read of 1 MB
# after the other, each answer parsed as JSON and its base64 decoded, until a short block.
REENACTED = r'''
import base64, json, sys, urllib.parse, urllib.request
url, token, path, target = sys.argv[1:5]
offset, block = 0, 1 << 20
with open(target, "wb") as out:
    while True:
        query = urllib.parse.urlencode({"path": path, "offset": offset, "length": block})
        request = urllib.request.Request(f"{url}/api/2.0/dbfs/read?{query}", headers={"Authorization": f"Bearer {token}"})
        answer = json.loads(urllib.request.urlopen(request).read())
        out.write(base64.b64decode(answer["data"]))
        offset += answer["bytes_read"]
        if answer["bytes_read"] < block:
            break
'''
if legacy:
    legacy_name = "legacy `databricks fs cp dbfs:/… FILE`"
    legacy_argv = [legacy, "fs", "cp", "--overwrite", "dbfs:/bench/big.bin", out]
else:
    legacy_name = "the legacy CLI's download re-enacted (sequential 1 MB dbfs/read, Python json + base64)"
    legacy_argv = [sys.executable, "-c", REENACTED, url, token, "/bench/big.bin", out]
    note("The legacy Python CLI is not installed: its DBFS download is re-enacted in Python (the same requests, one after "
         "the other, decoded with json and base64, as databricks_cli/dbfs/api.py does).")

cases = [
    ("curl GET, Files API", ["curl", "-sf", "-o", out, "-H", f"Authorization: Bearer {token}",
                             f"{url}/api/2.0/fs/files/Volumes/main/default/bench/big.bin"]),
    ("brix fs cp dbfs:/… FILE", [brix, "fs", "cp", "--overwrite", "dbfs:/bench/big.bin", out]),
    ("brix fs cat dbfs:/…", ["sh", "-c", f'exec "$0" fs cat dbfs:/bench/big.bin > "$1"', brix, out]),
    (legacy_name, legacy_argv),
]
for name, argv in cases:  # each must give back the same bytes
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    if os.path.getsize(out) != size or open(out, "rb").read() != open(big, "rb").read():
        fail(f"{name} did not download the same bytes")
cpu = {}
samples = interleaved(cases, runs, warmup=0, cpu=cpu)
curl = median(samples[cases[0][0]])
print(f"download of {size_mib} MiB from brix serve over loopback, median of {runs}")
print(f"{'command':<44}{'ms':>9}{'CPU ms':>9}{'MB/s':>8}{'x curl':>8}")
for name, _ in cases:
    value = median(samples[name])
    print(f"{name[:43]:<44}{value:>9.0f}{median(cpu[name]):>9.0f}{size / 1e6 / (value / 1000):>8.0f}{value / curl:>8.2f}")
for name, label in [(cases[1][0], "`fs cp dbfs:/… FILE`"), (cases[2][0], "`fs cat dbfs:/…`")]:
    value = median(samples[name])
    row("transfer", f"{label} {size_mib} MiB from `brix serve` DBFS", value, "ms", "`curl` GET of the same bytes, Files API", curl,
        "≤ 2× curl", value <= 2 * curl)
value = median(samples[cases[1][0]])
row("transfer", f"`fs cp dbfs:/… FILE` {size_mib} MiB from `brix serve` DBFS, against the legacy CLI", value, "ms",
    legacy_name, median(samples[legacy_name]))

# Many small files: brix through the server both ways, cp -r on the local disk.
tree, back, copy = f"{work}/tree", f"{work}/back", f"{work}/copy"
small = [
    ("cp -r", ["cp", "-r", tree, copy]),
    ("brix fs cp -r DIR dbfs:/…", [brix, "fs", "cp", "-r", "--overwrite", tree, "dbfs:/bench/tree"]),
    ("brix fs cp -r dbfs:/… DIR", [brix, "fs", "cp", "-r", "--overwrite", "dbfs:/bench/tree", back]),
]
subprocess.run(small[1][1], check=True, stdout=subprocess.DEVNULL)
times = {name: [] for name, _ in small}
for _ in range(runs):
    for name, argv in small:
        for target in (copy, back):
            shutil.rmtree(target, ignore_errors=True)
        times[name].append(run_once(argv))
    if sum(len(files) for _, _, files in os.walk(back)) != small_files:
        fail("fs cp -r did not bring every file back")
reference = small_files / (median(times["cp -r"]) / 1000)
print(f"\n{small_files} files of 4 KiB, median of {runs}")
for name, _ in small:
    print(f"{name:<32}{median(times[name]):>9.0f} ms{small_files / (median(times[name]) / 1000):>10.0f} files/s")
for name, label in [(small[1][0], "local → `brix serve` DBFS"), (small[2][0], "`brix serve` DBFS → local")]:
    row("transfer", f"`fs cp -r` of {small_files} files of 4 KiB, {label}", small_files / (median(times[name]) / 1000), "files/s",
        "`cp -r` of the same tree, local disk", reference)
PY
)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then bench_downloads "$@"; fi
