#!/bin/sh
# run.sh - evaluate every example and compare with its committed expected
# output.  Usage: sh examples/run.sh SLAC [--update] (SLAC absolute or
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
  out=$(cd "$dir" && eval "\"$slac\" eval $(cat command) --format jsonl" 2>&1)
  if [ "${2:-}" = "--update" ]; then
    printf '%s\n' "$out" > "$dir/expected.jsonl"
  fi
  if printf '%s\n' "$out" | cmp -s - "$dir/expected.jsonl"; then
    case_passed
  else
    case_failed
    echo "FAIL examples/$name"
    printf '%s\n' "$out" | diff -u "$dir/expected.jsonl" - | head -40
  fi
done
counts_line
