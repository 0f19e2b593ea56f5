#!/bin/sh
# run.sh - the diff suite: pairs of policies and the exact reports of
# slac diff.
#
#   sh run.sh SLAC_BINARY DIR
#
# Each case is a folder DIR/NAME/ holding a file `cmd` (README.md): its
# `args` line is what follows `slac diff`, $POLICIES standing for the
# folder of the shipped policies and $EXAMPLES for the examples; its
# `exit` line the exit status (0 when there is none).  The folder is
# copied to a scratch directory; `setup.sh`, when present, runs there
# first (with $SLAC and $POLICIES set: to build a .slbc); then slac runs
# there, so that messages name the files as the case does.  The
# case passes when stdout is exactly `expected.out`, stderr exactly
# `expected.err` (a missing file means empty) and the exit status is the
# expected one.  The last line printed is "N passed, N failed"; the exit status is 1 when any case
# failed.  Sanitizer reports go to stderr, so they make a case fail.

. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY DIR"
slac_binary "$1"
need_executable
cd "$2" || exit 2
suite=$(pwd)
policies=$(cd "$suite/../../policies" && pwd) || exit 2
examples=$(cd "$suite/../../examples" && pwd) || exit 2
sanitizer_options
SLAC=$slac
POLICIES=$policies
export SLAC POLICIES
scratch diff
set -- "$suite"/*/
set -f # ARGS is split on blanks, never globbed

for case_dir in "$@"; do
  name=$(basename "$case_dir")
  [ -f "$case_dir/cmd" ] || continue
  args=$(sed -n 's/^args //p' "$case_dir/cmd")
  want_exit=$(sed -n 's/^exit //p' "$case_dir/cmd")
  want_exit=${want_exit:-0}
  if [ -z "$args" ]; then
    echo "FAIL $name: cmd has no 'args' line"
    case_failed
    continue
  fi
  args=$(printf '%s\n' "$args" | sed "s|\\\$POLICIES|$policies|g; s|\\\$EXAMPLES|$examples|g")
  ok=1
  work=$tmp/$name
  mkdir "$work" && cp -R "$case_dir". "$work"/ || exit 2
  if [ -f "$work/setup.sh" ] && ! (cd "$work" && sh ./setup.sh >"$tmp/setup.log" 2>&1); then
    echo "FAIL $name: setup.sh failed"
    cat "$tmp/setup.log"
    ok=0
  fi
  # shellcheck disable=SC2086 # ARGS is meant to be split
  (cd "$work" && "$slac" diff $args </dev/null) >"$tmp/out" 2>"$tmp/err"
  got_exit=$?
  [ -f "$case_dir/expected.out" ] && cp "$case_dir/expected.out" "$tmp/want.out" || : >"$tmp/want.out"
  [ -f "$case_dir/expected.err" ] && cp "$case_dir/expected.err" "$tmp/want.err" || : >"$tmp/want.err"
  if [ "$got_exit" != "$want_exit" ]; then
    echo "FAIL $name: exit status $got_exit, expected $want_exit"
    ok=0
  fi
  for stream in out err; do
    # the shipped folders' absolute paths, as the expected files write them
    sed "s|$policies|\$POLICIES|g; s|$examples|\$EXAMPLES|g" "$tmp/$stream" >"$tmp/got.$stream"
    if ! cmp -s "$tmp/want.$stream" "$tmp/got.$stream"; then
      echo "FAIL $name: std$stream differs from expected.$stream"
      diff -u "$tmp/want.$stream" "$tmp/got.$stream" |
        sed "1s|.*|--- $name/expected.$stream|; 2s|.*|+++ slac diff (std$stream)|"
      ok=0
    fi
  done
  if sanitizer_report "$tmp/err"; then
    echo "FAIL $name: sanitizer report (see the diff above)"
    ok=0
  fi
  rm -rf "$work"
  if [ $ok = 1 ]; then case_passed; else case_failed; fi
done

counts_line
