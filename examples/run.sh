#!/bin/sh
# run.sh - evaluate every example in each format and compare with its
# committed expected output (expected.jsonl, expected.txt, expected.csv,
# expected.html;
# tests/unit/test_api.c compares libslac's reports with the same files).
# Usage: sh examples/run.sh SLAC [--update] (SLAC absolute or
# relative to the current directory).
# Prints "N passed, N failed" last; exits 1 when any example differs.
set -u
. "$(dirname "$0")/../tests/lib.sh"
args_or_usage 1+ $# "sh examples/run.sh SLAC [--update]"
slac_binary "$1"
here=$(cd "$(dirname "$0")" && pwd)
for dir in "$here"/*/; do
  name=$(basename "$dir")
  [ -f "$dir/command" ] || continue
  # command holds the arguments after `slac eval`, relative to the example
  for format in jsonl text csv html; do
    case $format in text) want=expected.txt ;; *) want=expected.$format ;; esac
    out=$(cd "$dir" && eval "\"$slac\" eval $(cat command) --format $format" 2>&1)
    if [ "${2:-}" = "--update" ]; then
      printf '%s\n' "$out" > "$dir/$want"
    fi
    if printf '%s\n' "$out" | cmp -s - "$dir/$want"; then
      case_passed
    else
      case_failed
      echo "FAIL examples/$name/$want"
      printf '%s\n' "$out" | diff -u "$dir/$want" - | head -40
    fi
  done
done
counts_line
