#!/bin/sh
# run.sh - libslac.so exports exactly the functions include/slac/slac.h
# declares (SLAC_API), nothing else: -fvisibility=hidden keeps every layer's
# internal function out of the ABI.
#   sh tests/exports/run.sh LIBSLAC.SO HEADER
set -u
[ $# -eq 2 ] || { echo "usage: sh run.sh LIBSLAC.SO HEADER" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# declared: the name before "(" on each SLAC_API line
sed -n 's/^SLAC_API .*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' "$2" | sort > "$tmp/declared"
nm -D --defined-only "$1" | awk '$2 == "T" || $2 == "D" || $2 == "B" || $2 == "W" || $2 == "R" { print $3 }' \
  | sort > "$tmp/exported"
if [ ! -s "$tmp/declared" ]; then echo "FAIL: no SLAC_API function found in $2"; exit 1; fi
if cmp -s "$tmp/declared" "$tmp/exported"; then
  echo "1 passed, 0 failed ($(wc -l < "$tmp/declared") functions)"
  exit 0
fi
echo "FAIL: exported symbols differ from the header's functions (- declared, + exported):"
diff -u "$tmp/declared" "$tmp/exported" | sed -n '3,$p'
echo "0 passed, 1 failed"
exit 1
