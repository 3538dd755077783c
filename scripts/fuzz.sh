#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, build-fuzz/) and runs each for N seconds on its seed corpus
# (tests/fuzz/corpus/<name>) and dictionary. Exits non-zero when any target finds a crash.
#   scripts/fuzz.sh [seconds-per-target, default 30] [target names: router ini ...; default all]
# Grown corpora, logs and crash artifacts go to $BRIX_FUZZ_OUT (default build-fuzz/fuzz-out);
# extra libFuzzer flags in $BRIX_FUZZ_FLAGS; targets run $BRIX_FUZZ_PARALLEL at a time (default:
# one per core). See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
[ $# -gt 0 ] && shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for source in tests/fuzz/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    names+=("${name#fuzz_}")
  done
fi
targets=()
for name in "${names[@]}"; do targets+=("fuzz_$name"); done
scripts/build-instrumented.sh "${targets[@]}"

root=$PWD
out=$(realpath -m "${BRIX_FUZZ_OUT:-build-fuzz/fuzz-out}")
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One target: its log in $out/<name>/log, "ok" or "FAILED" on stdout/stderr, its status as exit code.
fuzz_one() {
  local name=$1 work=$out/$1 tmp flags
  mkdir -p "$work/corpus" "$work/artifacts"
  rm -f "$work/failed"
  # Temporary engine roots go to memory when it can: on disk, SQLite's fsyncs slow fuzz_router 2-3x.
  tmp=$(mktemp -d "$( [ -w /dev/shm ] && echo /dev/shm || echo "$work")/brix-fuzz-$name.XXXXXX")
  flags=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 -print_final_stats=1
         -artifact_prefix="$work/artifacts/")
  [ -f "$root/tests/fuzz/$name.dict" ] && flags+=(-dict="$root/tests/fuzz/$name.dict")
  # The grown corpus comes first: libFuzzer writes new inputs there, never into the seeds. It runs
  # in $work, where -jobs puts its fuzz-N.log files.
  local status=0
  # shellcheck disable=SC2086 # BRIX_FUZZ_FLAGS is a list of flags
  (cd "$work" && TMPDIR="$tmp" "$root/build-fuzz/tests/fuzz/fuzz_$name" "${flags[@]}" ${BRIX_FUZZ_FLAGS:-} \
      "$work/corpus" "$root/tests/fuzz/corpus/$name" >"$work/log" 2>&1) || status=$?
  rm -rf "$tmp"
  if [ $status -eq 0 ]; then
    echo "fuzz_$name: ok, $(grep -a -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$') runs in ${seconds}s"
  else
    echo "fuzz_$name: FAILED; log: $work/log" >&2
    grep -a -E -m5 'ERROR|property violated|Test unit written|runtime error' "$work/log" >&2 || tail -20 "$work/log" >&2
  fi
  return $status
}

# As many targets at once as there are cores (BRIX_FUZZ_PARALLEL), each a single process.
export root out seconds
export -f fuzz_one
printf '%s\n' "${names[@]}" | xargs -P "${BRIX_FUZZ_PARALLEL:-$(nproc)}" -I{} bash -c 'fuzz_one "$1" || touch "$out/$1/failed"' _ {}
failed=()
for name in "${names[@]}"; do
  [ -e "$out/$name/failed" ] && failed+=("$name") && rm -f "$out/$name/failed"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "Crashes in: ${failed[*]}. Reproduce: build-fuzz/tests/fuzz/fuzz_<name> <artifact> (docs/fuzzing.md)" >&2
  exit 1
fi
