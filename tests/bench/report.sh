#!/usr/bin/env bash
# The benchmark report: runs every benchmark in tests/bench and prints one markdown table of every
# figure next to its reference (measured in the same run, interleaved where both are commands),
# the ratio, the target and whether it is met. docs/performance.md explains each row.
#
#   bash tests/bench/report.sh              # the full report (about 4 minutes on 2 cores)
#   bash tests/bench/report.sh --quick      # smaller sizes, fewer runs (under a minute)
#   BRIX=/path/to/brix bash tests/bench/report.sh
#
# The table goes to stdout; each benchmark's own detailed output goes to stderr, so
# `report.sh > report.md` keeps just the table. Temporary folders go under BENCH_TMP (default
# TMPDIR, else /tmp) and are deleted at the end. A benchmark that fails is reported and the others
# still run; the exit status is 1 if any failed. Slow figures never fail the report: "not met" is
# a result. Needs wrk, curl and GNU time (scripts/install-deps.sh bench).

# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for script in startup fs_cp serve downloads run_now dag_makespan listing; do
    # shellcheck source=/dev/null
    source "$BENCH_DIR/$script.sh"
done

quick=0
case "${1:-}" in
    --quick) quick=1 ;;
    "") ;;
    *) echo "usage: report.sh [--quick]" >&2; exit 2 ;;
esac

bench_need wrk curl || exit 1
mkdir -p "${BENCH_TMP:-${TMPDIR:-/tmp}}"
rows=$(mktemp "${BENCH_TMP:-${TMPDIR:-/tmp}}/brix-bench-rows.XXXXXX")
trap 'rm -f "$rows"' EXIT
export BENCH_ROWS=$rows

# name, then the settings of the full and of the quick report (environment assignments).
benchmarks=(
    "startup|RUNS=20|RUNS=10"
    "fs_cp|SIZE_MIB=1024 RUNS=3|SIZE_MIB=128 RUNS=3"
    "serve|SIZE_MIB_SERVE=256 DURATION=10s UPLOADS=3|SIZE_MIB_SERVE=32 DURATION=2s UPLOADS=1"
    "downloads|SIZE_MIB_DOWNLOAD=100 RUNS=3 SMALL_FILES=1000|SIZE_MIB_DOWNLOAD=16 RUNS=1 SMALL_FILES=200"
    "run_now|RUNS=10|RUNS=3"
    "dag_makespan|TASKS=200 PARALLELISM=8|TASKS=40 PARALLELISM=8"
    "listing|LIST_RUNS=100000 LIST_OBJECTS=10000 RUNS=10|LIST_RUNS=10000 LIST_OBJECTS=1000 RUNS=3"
)

load() { cut -d' ' -f1-3 /proc/loadavg; }
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(load)
failed=()
for entry in "${benchmarks[@]}"; do
    IFS='|' read -r name full fast <<<"$entry"
    settings=$full
    ((quick)) && settings=$fast
    echo "== $name ($settings)" >&2
    # The settings apply to this benchmark only: they are exported inside a subshell.
    # shellcheck disable=SC2086,SC2163  # $settings is a list of NAME=value words
    if ! (export $settings && "bench_$name") >&2; then
        echo "report.sh: $name failed" >&2
        failed+=("$name")
    fi
    echo >&2
done

commit=$(git -C "$BENCH_REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$BENCH_REPO" diff --quiet HEAD 2>/dev/null || commit+=" (with uncommitted changes)"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "## brix benchmark report$( ((quick)) && echo " (--quick)")"
echo
echo "$("$BRIX" --version) at commit $commit, $started; $(uname -sr), $(nproc) cores ($cpu)," \
    "$(free -g | awk '/^Mem:/ { print $2 }') GiB RAM; load average $load_before at the start, $(load) at the end."
echo
"$PYTHON" "$BENCH_DIR/report_table.py" "$rows"
if ((${#failed[@]})); then
    echo
    echo "Failed benchmarks (no figures): ${failed[*]}"
    exit 1
fi
