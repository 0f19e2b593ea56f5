#!/bin/sh
# run.sh - fuzz one target with libFuzzer.
#
#   sh tests/fuzz/run.sh TARGET SECONDS
#   sh tests/fuzz/run.sh all SECONDS       every target, two at a time
#
# TARGET is policy, bytecode, incidents, windows, probes, accounts, e2e,
# convert, cli or winsums.
# The libFuzzer binaries come from a SLAC_FUZZ build, by default build-fuzz
# (SLAC_FUZZ_BUILD=DIR to use another; scripts/test.sh makes build-fuzz):
#
#   CC=clang cmake -S . -B build-fuzz -DSLAC_FUZZ=ON
#   cmake --build build-fuzz --target fuzz
#
# The committed seeds (tests/fuzz/corpus/TARGET) and crash regressions are
# read, never written: new inputs go to a working corpus kept between runs
# in $SLAC_FUZZ_BUILD/fuzz-work/TARGET, crashes to .../TARGET-crashes.  A
# crash makes the run fail; copy the file libFuzzer names into
# tests/fuzz/regressions/TARGET/ so that ctest replays it in every build.
# The last line is "N passed, N failed" (targets).
set -u
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
args_or_usage 2 $# "sh tests/fuzz/run.sh TARGET|all SECONDS"
target=$1 seconds=$2
build=${SLAC_FUZZ_BUILD:-$repo/build-fuzz}
case $build in /*) ;; *) build=$repo/$build ;; esac
targets="policy bytecode incidents windows probes accounts e2e convert cli winsums"

if [ "$target" = all ]; then
  # Two at a time (CI has two cores); each writes its own log.
  mkdir -p "$build/fuzz-work"
  for t in $targets; do echo "$t"; done |
    xargs -P "${SLAC_FUZZ_JOBS:-2}" -I{} sh -c \
      'sh "$0" {} "$1" >"$2/fuzz-work/{}.log" 2>&1; echo "{} $?" >>"$2/fuzz-work/status"' \
      "$0" "$seconds" "$build"
  for t in $targets; do
    tail -n 3 "$build/fuzz-work/$t.log" | sed "s/^/$t: /"
    if grep -qx "$t 0" "$build/fuzz-work/status"; then
      case_passed
    else
      case_failed
      echo "FAIL $t (see $build/fuzz-work/$t.log)"
      grep -A30 'ERROR\|Test unit written' "$build/fuzz-work/$t.log" | head -40
    fi
  done
  rm -f "$build/fuzz-work/status"
  counts_line
  exit
fi

case " $targets " in
  *" $target "*) ;;
  *) echo "run.sh: unknown target '$target' (one of: $targets)" >&2; exit 2 ;;
esac
bin=$build/tests/fuzz/fuzz_$target
if [ ! -x "$bin" ]; then
  echo "run.sh: $bin is missing: build it with CC=clang cmake -S . -B $build -DSLAC_FUZZ=ON && cmake --build $build --target fuzz" >&2
  exit 2
fi
work=$build/fuzz-work/$target
crashes=$build/fuzz-work/$target-crashes
mkdir -p "$work" "$crashes"
case $target in
  policy|e2e) dict=$here/policy.dict ;;
  bytecode) dict= ;;
  convert) dict=$here/json.dict ;;
  cli) dict=$here/cli.dict ;;
  *) dict=$here/csv.dict ;;
esac
seeds=$here/corpus/$target
regressions=$here/regressions/$target
[ -d "$regressions" ] || regressions=
# The data readers stream, so long inputs are worth trying; the policy
# language has a 1 MiB-ish practical size, kept small for speed.
case $target in
  policy|bytecode|cli) max_len=16384 ;;
  *) max_len=65536 ;;
esac
# cli runs whole commands: their diagnostics (and reports) would fill the
# log; libFuzzer keeps its own messages and the sanitizers' reports.
fd_mask=0
[ "$target" = cli ] && fd_mask=3

sanitizer_options detect_leaks=1:abort_on_error=0
echo "fuzzing $target for $seconds s ($bin)"
log=$build/fuzz-work/$target.fuzz.log
# shellcheck disable=SC2086
"$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=$max_len \
  -print_final_stats=1 -close_fd_mask=$fd_mask -artifact_prefix="$crashes/" ${dict:+-dict="$dict"} \
  "$work" "$seeds" $regressions >"$log" 2>&1
rc=$?
# The progress lines are many; the rest (seed counts, errors, stats) not.
grep -v -e '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)' "$log" |
  sed '/^###### Recommended dictionary/,/^###### End of recommended dictionary/d'
if [ $rc -ne 0 ]; then
  echo "fuzz_$target failed (status $rc); crash inputs in $crashes:"
  ls -t "$crashes" | head -n 5
  case_failed
else
  case_passed
fi
counts_line
