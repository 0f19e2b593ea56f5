#!/bin/sh
# run.sh - `slac test` from the outside: what a failing test file prints
# (failing.expected: every kind of difference), a broken one's messages
# at their lines (broken.expected), --coverage over the shipped policies'
# tests (coverage.expected), the default folder, usage errors, and no
# temporary file left behind.  The tests of the shipped policies are
# ctest `policy_tests`.
#
#   sh run.sh SLAC_BINARY DIR          (DIR: this folder)
. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY DIR"
slac_binary "$1"
need_executable
cd "$2" || exit 2
sanitizer_options
scratch testcmd
export TMPDIR="$tmp/tmp"
mkdir -p "$TMPDIR"

# expect NAME WANT_EXIT WANT_STDOUT|- WANT_STDERR|- COMMAND...
expect() {
  name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  ok=1
  [ "$rc" = "$want_rc" ] || { echo "FAIL $name: exit $rc, expected $want_rc"; ok=0; }
  for pair in "out:$want_out" "err:$want_err"; do
    stream=${pair%%:*} want=${pair#*:}
    if [ "$want" = - ]; then
      [ "$stream" = out ] && [ -s "$tmp/out" ] && { echo "FAIL $name: unexpected output"; ok=0; }
    elif ! cmp -s "$want" "$tmp/$stream"; then
      echo "FAIL $name: std$stream differs from $want"
      diff -u "$want" "$tmp/$stream" | head -30
      ok=0
    fi
  done
  if sanitizer_report "$tmp/err"; then echo "FAIL $name: sanitizer report"; ok=0; fi
  if [ -n "$(ls -A "$TMPDIR")" ]; then echo "FAIL $name: files left in TMPDIR"; ls "$TMPDIR"; ok=0; fi
  if [ $ok = 1 ]; then case_passed; else cat "$tmp/err"; case_failed; fi
}

expect failing 1 failing.expected - "$slac" test failing.test
printf '0 passed, 1 failed\n' > "$tmp/broken.out"
expect broken 1 "$tmp/broken.out" broken.expected "$slac" test broken.test
expect coverage 0 coverage.expected - sh -c 'cd ../../policies && "$1" test --coverage saleor.test piwik-pro.test tagoio.test' sh "$slac"
# a folder given with its slash: policies/saleor.sla, once policies//saleor.sla
printf 'coverage of policies/piwik-pro.sla: 9 of 11 outcomes reached by 6 tests\ncoverage of policies/saleor.sla: 16 of 16 outcomes reached by 7 tests\ncoverage of policies/tagoio.sla: 17 of 26 outcomes reached by 7 tests\n' > "$tmp/slash.out"
expect folder-slash 0 "$tmp/slash.out" - sh -c 'cd ../.. && "$1" test --coverage policies/ | grep "^coverage of"' sh "$slac"
# no argument: every *.test under the current folder
printf '20 passed, 0 failed\n' > "$tmp/policies.out"
expect default-folder 0 "$tmp/policies.out" - sh -c 'cd ../../policies && "$1" test' sh "$slac"
# --jobs takes its number (which is no file), before or after the files
expect jobs-before 0 "$tmp/policies.out" - sh -c 'cd ../../policies && "$1" test --jobs 2' sh "$slac"
expect jobs-after 0 "$tmp/policies.out" - sh -c 'cd ../../policies && "$1" test . --jobs 3' sh "$slac"
printf "slac: error: --jobs needs a value (N)\nTry 'slac test --help'.\n" > "$tmp/jobs.err"
expect jobs-missing 2 - "$tmp/jobs.err" "$slac" test --jobs
echo "slac: error: unknown option '--frobnicate'" > "$tmp/usage.err"
echo "Try 'slac test --help'." >> "$tmp/usage.err"
expect usage 2 - "$tmp/usage.err" "$slac" test --frobnicate
echo "slac: error: cannot open 'nothing.test': No such file or directory" > "$tmp/missing.err"
expect missing 1 - "$tmp/missing.err" "$slac" test nothing.test
mkdir -p "$tmp/empty"
echo "slac: error: no test file (*.test) found" > "$tmp/none.err"
expect none 1 - "$tmp/none.err" "$slac" test "$tmp/empty"
counts_line
