#!/usr/bin/env bash
# Upload throughput of `brix fs cp` into the local engine, against `cp` measured in the same run.
#
#   tests/bench/fs_cp.sh [SIZE_MIB]      # default 1024 (1 GiB); SIZE_MIB env var works too
#   BRIX=/path/to/brix RUNS=5 tests/bench/fs_cp.sh 256
#
# Creates a SIZE_MIB file of random bytes in a temporary folder that also holds the engine root
# (BRIX_HOME), so both copies read and write the same file system. The source is read once
# (cat > /dev/null) so that it comes from the page cache; dropping caches needs root and is not
# attempted. Each timed run writes a fresh target: `sync` runs first and the target is deleted
# right after (neither timed), so every run starts from the same state; cp and brix alternate.
# Prints the median and fastest of RUNS (default 3) runs, the median as MB/s (10^6 bytes per
# second), and the ratio of the median time to cp's: 1.00 means as fast as cp, 2.00 twice as
# slow. Also times the way back (DBFS -> local file) for information. Everything is deleted at
# the end. A measurement, not a test: it never fails on a slow result.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bench_fs_cp() (
    set -euo pipefail
    local size_mib="${1:-${SIZE_MIB:-1024}}"
    [[ "$size_mib" =~ ^[1-9][0-9]*$ ]] || { echo "usage: fs_cp.sh [SIZE_MIB]" >&2; return 2; }
    bench_need cp
    bench_workdir fs-cp
    local free_mib=$(( $(df -Pk "$WORK" | awk 'NR == 2 { print $4 }') / 1024 ))
    if (( free_mib < 3 * size_mib + 64 )); then
        echo "fs_cp.sh: needs $(( 3 * size_mib + 64 )) MiB free in $WORK, has $free_mib MiB" >&2
        return 1
    fi
    bench_isolate "$WORK"
    local source_file="$WORK/source.bin"
    head -c "$(( size_mib * 1024 * 1024 ))" /dev/urandom > "$source_file"
    cat "$source_file" > /dev/null
    "$BRIX" fs mkdirs dbfs:/bench
    "$PYTHON" - "$BRIX" "$source_file" "$WORK" "$size_mib" "${RUNS:-3}" <<'PY'
import os
import statistics
import subprocess
import sys
import time

from benchlib import peak_rss_kib, row

brix, source, work, size_mib, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
size_bytes = size_mib * 1024 * 1024
local_copy = os.path.join(work, "copy.bin")
download = os.path.join(work, "download.bin")


def run(argv):
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        sys.exit(f"fs_cp.sh: {' '.join(argv)} exited {done.returncode}: {done.stderr.decode().strip()}")


def remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def timed(argv, cleanup):
    os.sync()
    start = time.perf_counter_ns()
    run(argv)
    elapsed = time.perf_counter_ns() - start
    cleanup()
    return elapsed


def check_size(path):
    if os.path.getsize(path) != size_bytes:
        sys.exit(f"fs_cp.sh: {path} has the wrong size")


cases = {
    "cp FILE copy": (["cp", source, local_copy], lambda: (check_size(local_copy), remove(local_copy))),
    "brix fs cp FILE dbfs:/": ([brix, "fs", "cp", source, "dbfs:/bench/file"],
                               lambda: run([brix, "fs", "rm", "dbfs:/bench/file"])),
}
samples = {name: [] for name in cases}
for _ in range(runs):
    for name, (argv, cleanup) in cases.items():
        samples[name].append(timed(argv, cleanup))
# The way back reads one uploaded copy that stays in place.
run([brix, "fs", "cp", source, "dbfs:/bench/file"])
samples["brix fs cp dbfs:/ FILE"] = [
    timed([brix, "fs", "cp", "dbfs:/bench/file", download], lambda: (check_size(download), remove(download)))
    for _ in range(runs)
]

reference = statistics.median(samples["cp FILE copy"])
print(f"fs cp: {size_mib} MiB file, {runs} runs each, same file system, warm page cache")
print(f"{'command':<26}{'median s':>10}{'min s':>8}{'MB/s':>8}{'x cp time':>11}")
for name, values in samples.items():
    median = statistics.median(values)
    throughput = size_bytes / (median / 1e9) / 1e6
    print(f"{name:<26}{median / 1e9:>10.3f}{min(values) / 1e9:>8.3f}{throughput:>8.0f}{median / reference:>11.2f}")

upload = statistics.median(samples["brix fs cp FILE dbfs:/"])
size = f"{size_mib // 1024} GiB" if size_mib % 1024 == 0 else f"{size_mib} MiB"
row("transfer", f"`fs cp` {size} local file → local DBFS", upload / 1e6, "ms", "`cp` to the same file system", reference / 1e6,
    "≤ 1.2× cp", upload <= 1.2 * reference)
rss = peak_rss_kib([brix, "fs", "cp", "--overwrite", source, "dbfs:/bench/file"])
cp_rss = peak_rss_kib(["cp", source, local_copy])
if rss is not None:
    print(f"peak RSS: brix fs cp {rss / 1024:.1f} MiB, cp {cp_rss / 1024:.1f} MiB")
    row("memory", f"peak RSS, CLI: `fs cp` {size} → local DBFS", rss / 1024, "MiB", "`cp`", cp_rss / 1024, "< 15 MB", rss * 1024 < 15e6)
PY
)

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then bench_fs_cp "$@"; fi
