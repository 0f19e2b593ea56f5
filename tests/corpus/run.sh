#!/bin/sh
# run.sh - the corpus suite: real public agreements (policies/), each with
# boundary cases whose expected fields were worked out by hand.
#
#   sh run.sh SLAC_BINARY REPO_DIR [FIELDS_BINARY]
#
# FIELDS_BINARY is tests/corpus/fields.c built (CMake builds it as
# corpus_fields and passes it; default: corpus_fields beside SLAC_BINARY
# under tests/corpus/ of the build tree).
#
# Every folder tests/corpus/NAME/ holding a file `cmd` is a case (see
# README.md).  The folder is copied to a scratch directory and
#
#   slac eval ARGS --format jsonl
#
# runs there, ARGS being the `args` line of `cmd` with $POLICIES replaced
# by REPO_DIR/policies.  The exit status must be the one of the `exit` line
# (0 when there is none).  With exit 0, every line of `expected` is checked
# against the jsonl outcome of its account and period by FIELDS_BINARY, and
# stderr must be empty unless `expected.err` is present; with `expected.err`
# present, stderr must equal it exactly (with any exit status).
#
# Then every policy that a case names is checked with `slac check` from
# REPO_DIR; the exit status and stderr of each, in name order, must equal
# check.expected exactly (UPDATE=1 rewrites check.expected instead: the
# diagnostics are the checker's words, not numbers worked out by hand, so
# read the diff before committing it).
#
# Prints one "FAIL ..." line (and details) per failure and ends with
# "N passed, N failed"; exit status 1 when any failed.  Sanitizer reports
# go to stderr, so they make a case fail.

. "$(dirname "$0")/../lib.sh"
args_or_usage 2+ $# "sh run.sh SLAC_BINARY REPO_DIR [FIELDS_BINARY]"
slac_binary "$1"
need_executable
repo=$(cd "$2" && pwd) || exit 2
suite=$repo/tests/corpus
policies=$repo/policies
if [ $# -ge 3 ]; then
  case $3 in
    /*) fields=$3 ;;
    *) fields=$(pwd)/$3 ;;
  esac
else
  fields=$(dirname "$slac")/tests/corpus/corpus_fields
fi
if [ ! -x "$fields" ]; then
  echo "run.sh: $fields is not an executable (build tests/corpus/fields.c)" >&2
  exit 2
fi
sanitizer_options
LC_ALL=C # messages of the C library in English
export LC_ALL
scratch corpus
: >"$tmp/policies"
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
  case $want_exit in
    '' | *[!0-9]*)
      echo "FAIL $name: cmd has a bad 'exit' line"
      case_failed
      continue ;;
  esac
  # The policies named, for the check below.
  printf '%s\n' $args | sed -n 's|^\$POLICIES/||p' >>"$tmp/policies"
  work=$tmp/$name
  mkdir "$work" && cp -R "$case_dir". "$work"/ || exit 2
  args=$(printf '%s\n' "$args" | sed "s|\\\$POLICIES|$policies|g")
  # shellcheck disable=SC2086 # ARGS is meant to be split
  (cd "$work" && "$slac" eval $args --format jsonl) >"$tmp/out" 2>"$tmp/err"
  got_exit=$?
  ok=1
  if [ "$got_exit" != "$want_exit" ]; then
    echo "FAIL $name: exit status $got_exit, expected $want_exit"
    sed 's/^/  stderr: /' "$tmp/err" | head -5
    ok=0
  fi
  if [ -f "$work/expected.err" ]; then
    if ! cmp -s "$work/expected.err" "$tmp/err"; then
      echo "FAIL $name: stderr differs from expected.err"
      diff -u "$work/expected.err" "$tmp/err" |
        sed "1s|.*|--- $name/expected.err|; 2s|.*|+++ slac eval (stderr)|"
      ok=0
    fi
  elif [ "$got_exit" = 0 ] && [ -s "$tmp/err" ]; then
    echo "FAIL $name: unexpected stderr"
    sed 's/^/  stderr: /' "$tmp/err" | head -5
    ok=0
  fi
  if [ "$want_exit" = 0 ] && [ "$got_exit" = 0 ]; then
    if [ ! -f "$work/expected" ]; then
      echo "FAIL $name: no 'expected' file"
      ok=0
    elif ! (cd "$work" && "$fields" "$name" expected "$tmp/out"); then
      ok=0
    fi
  fi
  if sanitizer_report "$tmp/err"; then
    echo "FAIL $name: sanitizer report"
    ok=0
  fi
  rm -rf "$work"
  if [ $ok = 1 ]; then case_passed; else case_failed; fi
done

# Every policy a case names checks without error; its warnings, exactly.
sort -u "$tmp/policies" >"$tmp/policies.sorted"
: >"$tmp/check.out"
while IFS= read -r policy; do
  (cd "$repo" && "$slac" check "policies/$policy") >/dev/null 2>"$tmp/check.err"
  status=$?
  printf '## policies/%s exit %s\n' "$policy" "$status" >>"$tmp/check.out"
  cat "$tmp/check.err" >>"$tmp/check.out"
  if [ "$status" != 0 ]; then
    echo "FAIL check policies/$policy: exit status $status"
    sed 's/^/  /' "$tmp/check.err" | head -10
  fi
done <"$tmp/policies.sorted"
if [ "${UPDATE:-0}" = 1 ]; then
  cp "$tmp/check.out" "$suite/check.expected"
  echo "wrote $suite/check.expected"
fi
[ -f "$suite/check.expected" ] && cp "$suite/check.expected" "$tmp/check.want" || : >"$tmp/check.want"
if cmp -s "$tmp/check.want" "$tmp/check.out" && ! grep -q '^## .* exit [1-9]' "$tmp/check.out"; then
  case_passed
else
  echo "FAIL check: slac check of the corpus policies differs from check.expected (or failed)"
  diff -u "$tmp/check.want" "$tmp/check.out" |
    sed "1s|.*|--- check.expected|; 2s|.*|+++ slac check|"
  case_failed
fi

counts_line
