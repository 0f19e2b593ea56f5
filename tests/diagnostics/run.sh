#!/bin/sh
# run.sh - the diagnostics suite: invalid policies and their exact messages.
#
#   sh run.sh SLAC_BINARY DIR
#
# Every DIR/NAME.sla is a case; DIR/NAME.expected holds, after one or two
# header lines, the exact stderr of `slac check [ARGS] NAME.sla` run from
# inside DIR (see README.md):
#
#   # args --werror        optional: arguments put before NAME.sla
#   # exit 1               required: the expected exit status
#   NAME.sla:3:5: error: ...
#
# A case passes when the exit status and stderr are exactly as expected
# (a unified diff is shown otherwise), and, when DIR/NAME.json exists,
# `slac check --format json` prints exactly it on stdout and nothing on
# stderr.  The last line printed is
# "N passed, N failed"; the exit status is 1 when any case failed.
# Sanitizer reports go to stderr, so they make a case fail; the options
# below also make sure that every report stops the program.

. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY DIR"
slac_binary "$1"
need_executable
cd "$2" || exit 2
sanitizer_options
LC_ALL=C # messages of the C library (strerror) in English
export LC_ALL
scratch diag
set -- *.sla
set -f # arguments from "# args" lines are split, never globbed

for sla in "$@"; do
  [ -e "$sla" ] || continue
  name=${sla%.sla}
  expected=$name.expected
  if [ ! -f "$expected" ]; then
    echo "FAIL $name: $expected is missing"
    case_failed
    continue
  fi
  args=$(sed -n '1s/^# args //p' "$expected")
  header=$(sed -n '1,2{/^# exit /=;}' "$expected" | head -n 1)
  want_exit=$(sed -n "${header:-1}s/^# exit //p" "$expected")
  case $want_exit in
    '' | *[!0-9]*)
      echo "FAIL $name: $expected has no '# exit N' line among its first two"
      case_failed
      continue ;;
  esac
  sed "1,${header}d" "$expected" >"$tmp/want"

  # shellcheck disable=SC2086 # ARGS is meant to be split
  "$slac" check $args "$sla" >/dev/null 2>"$tmp/got"
  got_exit=$?

  ok=1
  if [ "$got_exit" != "$want_exit" ]; then
    echo "FAIL $name: exit status $got_exit, expected $want_exit"
    ok=0
  fi
  if ! cmp -s "$tmp/want" "$tmp/got"; then
    echo "FAIL $name: stderr differs from $expected"
    diff -u "$tmp/want" "$tmp/got" | sed "1s|.*|--- $expected|; 2s|.*|+++ slac check ${args:+$args }$sla|"
    ok=0
  fi
  if sanitizer_report "$tmp/got"; then
    echo "FAIL $name: sanitizer report (see the diff above)"
    ok=0
  fi
  # NAME.json: what `slac check --format json` prints to stdout, exactly
  if [ -f "$name.json" ]; then
    # shellcheck disable=SC2086
    "$slac" check $args --format json "$sla" >"$tmp/json" 2>"$tmp/json.err"
    if ! cmp -s "$name.json" "$tmp/json"; then
      echo "FAIL $name: --format json differs from $name.json"
      diff -u "$name.json" "$tmp/json"
      ok=0
    fi
    if [ -s "$tmp/json.err" ]; then
      echo "FAIL $name: --format json wrote to stderr:"
      cat "$tmp/json.err"
      ok=0
    fi
  fi
  if [ $ok = 1 ]; then case_passed; else case_failed; fi
done

counts_line
