#!/bin/sh
# run.sh - evaluate every example and compare with its committed expected
# output.  Usage: sh examples/run.sh SLAC [--update]
# Prints "N passed, N failed" last; exits 1 when any example differs.
set -u
slac=$1
here=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
for dir in "$here"/*/; do
  name=$(basename "$dir")
  [ -f "$dir/command" ] || continue
  # command holds the arguments after `slac eval`, relative to the example
  out=$(cd "$dir" && eval "\"$slac\" eval $(cat command) --format jsonl" 2>&1)
  if [ "${2:-}" = "--update" ]; then
    printf '%s\n' "$out" > "$dir/expected.jsonl"
  fi
  if printf '%s\n' "$out" | cmp -s - "$dir/expected.jsonl"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL examples/$name"
    printf '%s\n' "$out" | diff -u "$dir/expected.jsonl" - | head -40
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
