#!/bin/sh
# run.sh - the eval suite: policies, data files and the exact reports.
#
#   sh run.sh SLAC_BINARY DIR
#   UPDATE=1 sh run.sh SLAC_BINARY DIR   rewrite expected.out/.err of the
#                                        cmd cases (then read the diff)
#
# Most cases are a folder DIR/NAME/ holding NAME.test, in the format of
# `slac test` (docs/tools.md, "Testing"): the runner is slac test, run
# inside the folder (so that messages name the data files as the test
# does) with --jobs 1, 2 and 3, each of which must pass.
#
# The others, which need a step before slac runs, are a folder holding a
# file `cmd` (see README.md).
# The folder is copied to a scratch directory; `setup.sh`, when present,
# runs there first (to generate large data or build a .slbc); then
#
#   slac eval ARGS
#
# runs there, ARGS being the `args` line of `cmd` with $POLICIES replaced
# by the folder of the shipped policies.  The case passes when stdout is
# exactly `expected.out`, stderr exactly `expected.err` (a missing file
# means empty) and the exit status is the one of the `exit` line (0 when
# there is none).  The last line printed is "N passed, N failed"; the
# exit status is 1 when any case failed.  Sanitizer reports go to stderr,
# so they make a case fail.  Every case runs again with --jobs 2 and
# --jobs 3 (request-window files read by several threads, cut even when
# small), which must give the same bytes and exit status
# (SLAC_EVAL_THREADS="2" runs only --jobs 2 again: the valgrind suite).

. "$(dirname "$0")/../lib.sh"
threads=${SLAC_EVAL_THREADS:-2 3}
args_or_usage 2 $# "sh run.sh SLAC_BINARY DIR"
slac_binary "$1"
need_executable
cd "$2" || exit 2
suite=$(pwd)
policies=$(cd "$suite/../../policies" && pwd) || exit 2
sanitizer_options
SLAC=$slac
POLICIES=$policies
export SLAC POLICIES
scratch eval
set -- "$suite"/*/
set -f # ARGS is split on blanks, never globbed

for case_dir in "$@"; do
  name=$(basename "$case_dir")
  if [ -f "$case_dir/$name.test" ]; then
    ok=1
    for jobs in 1 $threads; do
      if ! (cd "$case_dir" && "$slac" test --jobs $jobs "$name.test") >"$tmp/out" 2>"$tmp/err"; then
        echo "FAIL $name (--jobs $jobs):"
        cat "$tmp/out" "$tmp/err"
        ok=0
      elif sanitizer_report "$tmp/err"; then
        echo "FAIL $name (--jobs $jobs): sanitizer report"
        cat "$tmp/err"
        ok=0
      fi
    done
    if [ $ok = 1 ]; then case_passed; else case_failed; fi
    continue
  fi
  [ -f "$case_dir/cmd" ] || continue
  args=$(sed -n 's/^args //p' "$case_dir/cmd")
  want_exit=$(sed -n 's/^exit //p' "$case_dir/cmd")
  want_exit=${want_exit:-0}
  if [ -z "$args" ]; then
    echo "FAIL $name: cmd has no 'args' line"
    case_failed
    continue
  fi
  case $want_exit in
    *[!0-9]*)
      echo "FAIL $name: cmd has a bad 'exit' line"
      case_failed
      continue ;;
  esac
  work=$tmp/$name
  mkdir "$work" && cp -R "$case_dir". "$work"/ || exit 2
  ok=1
  if [ -f "$work/setup.sh" ] && ! (cd "$work" && sh ./setup.sh >"$tmp/setup.log" 2>&1); then
    echo "FAIL $name: setup.sh failed"
    cat "$tmp/setup.log"
    ok=0
  fi
  args=$(printf '%s\n' "$args" | sed "s|\\\$POLICIES|$policies|g")
  # shellcheck disable=SC2086 # ARGS is meant to be split
  (cd "$work" && "$slac" eval $args) >"$tmp/out" 2>"$tmp/err"
  got_exit=$?
  if [ "${UPDATE:-0}" = 1 ]; then # rewrite the expectations (then read the diff)
    if [ -s "$tmp/out" ]; then cp "$tmp/out" "$case_dir/expected.out"; else rm -f "$case_dir/expected.out"; fi
    if [ -s "$tmp/err" ]; then cp "$tmp/err" "$case_dir/expected.err"; else rm -f "$case_dir/expected.err"; fi
    cp "$tmp/out" "$work/expected.out"
    cp "$tmp/err" "$work/expected.err"
  fi
  [ -f "$work/expected.out" ] && cp "$work/expected.out" "$tmp/want.out" || : >"$tmp/want.out"
  [ -f "$work/expected.err" ] && cp "$work/expected.err" "$tmp/want.err" || : >"$tmp/want.err"
  if [ "$got_exit" != "$want_exit" ]; then
    echo "FAIL $name: exit status $got_exit, expected $want_exit"
    ok=0
  fi
  for stream in out err; do
    if ! cmp -s "$tmp/want.$stream" "$tmp/$stream"; then
      echo "FAIL $name: std$stream differs from expected.$stream"
      diff -u "$tmp/want.$stream" "$tmp/$stream" |
        sed "1s|.*|--- $name/expected.$stream|; 2s|.*|+++ slac eval (std$stream)|"
      ok=0
    fi
  done
  if sanitizer_report "$tmp/err"; then
    echo "FAIL $name: sanitizer report (see the diff above)"
    ok=0
  fi
  # Windows files read by several threads (cut even when small): the same
  # bytes out, the same exit status.
  for jobs in $threads; do
    # shellcheck disable=SC2086
    (cd "$work" && "$slac" eval $args --jobs $jobs) >"$tmp/out.j" 2>"$tmp/err.j"
    if [ $? != "$got_exit" ] || ! cmp -s "$tmp/out" "$tmp/out.j" || ! cmp -s "$tmp/err" "$tmp/err.j"; then
      echo "FAIL $name: --jobs $jobs does not give the same exit status and output"
      diff -u "$tmp/out" "$tmp/out.j" | head -20
      diff -u "$tmp/err" "$tmp/err.j" | head -20
      ok=0
    fi
  done
  rm -rf "$work"
  if [ $ok = 1 ]; then case_passed; else case_failed; fi
done

counts_line
