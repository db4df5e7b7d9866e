#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ one after another, each for SECONDS (default 60), and
# prints how many inputs each ran. Exits 1 when any target finds a crash, a hang
# (10 s), an abort or exhausted memory; the input is left in fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      (no TARGET: every target)
#
# Needs the nightly toolchain; installs cargo-fuzz when missing. One fuzzer process at a
# time, at lower priority (the machine is shared). FUZZ_ARGS adds libFuzzer options.
# FUZZ_SANITIZER picks the sanitizer (default `none`: rudder forbids unsafe code, and
# AddressSanitizer makes the slower targets 3 to 10 times slower; `address` also
# enforces -malloc_limit_mb). See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds="${1:-60}"
[ $# -gt 0 ] && shift
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "error: SECONDS must be a whole number, got \`$seconds\`" >&2
  exit 2
fi

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

sanitizer="${FUZZ_SANITIZER:-none}"
build=(--sanitizer "$sanitizer" --target-dir "target/$sanitizer")
# Every target is built before the first runs, so no build competes with a fuzzer.
nice -n 10 cargo +nightly fuzz build "${build[@]}"

# rudder runs commands on a thread with a 1 GiB stack (`COMMAND_STACK`), so input as
# deep as the limits allow does not overflow it; libFuzzer calls the targets on the
# main thread, whose stack is this limit.
ulimit -s 1048576 2>/dev/null || echo "warning: cannot raise the stack limit; deep inputs may overflow it" >&2

mkdir -p logs
failed=()
printf '%-16s %12s %8s  %s\n' target executions seconds result
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  dict=()
  [ -f "dicts/$t.dict" ] && dict=("-dict=dicts/$t.dict")
  log="logs/$t.log"
  start=$(date +%s)
  status=0
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
  nice -n 10 cargo +nightly fuzz run "${build[@]}" "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=2048 \
    -print_final_stats=1 "${dict[@]}" ${FUZZ_ARGS:-} \
    >"$log" 2>&1 || status=$?
  took=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$log" | tail -1)
  [ -n "$execs" ] || execs="?"
  if [ "$status" -eq 0 ]; then
    result=ok
  else
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    result="FAILED (exit $status; ${artifact:-see fuzz/$log})"
    failed+=("$t")
  fi
  printf '%-16s %12s %8s  %s\n' "$t" "$execs" "$took" "$result"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "error: ${#failed[@]} target(s) failed: ${failed[*]}; logs in fuzz/logs/" >&2
  echo "hint: reproduce with \`cargo +nightly fuzz run TARGET ARTIFACT\`, shrink with \`cargo +nightly fuzz tmin TARGET ARTIFACT\`" >&2
  exit 1
fi
