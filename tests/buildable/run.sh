#!/bin/sh
# run.sh - every policy that `slac check` accepts builds to bytecode that
# loads (issue 15): over the shipped and corpus policies, the fuzz seeds,
# the diagnostics cases and the eval cases' own policies.
#
#   sh run.sh SLAC_BINARY REPO_DIR
#
# For each .sla file: when `slac check` exits 0, `slac build` must exit 0
# and `slac disasm` of what it wrote must exit 0 too (the loader and the
# verifier accept the compiler's output).  A policy that check rejects
# is skipped.  The last line is "N passed, N failed" (N skipped before it).
. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY REPO_DIR"
slac_binary "$1"
need_executable
repo=$(cd "$2" && pwd) || exit 2
sanitizer_options
scratch buildable
skipped=0
for f in "$repo"/policies/*.sla "$repo"/tests/fuzz/corpus/policy/*.sla \
         "$repo"/tests/diagnostics/*.sla "$repo"/tests/eval/*/*.sla; do
  [ -f "$f" ] || continue
  if ! "$slac" check "$f" >/dev/null 2>"$tmp/check.err"; then
    skipped=$((skipped + 1))
    if sanitizer_report "$tmp/check.err"; then
      echo "FAIL $f: check: sanitizer report"
      case_failed
    fi
    continue
  fi
  rm -f "$tmp/p.slbc"
  if ! "$slac" build "$f" -o "$tmp/p.slbc" >/dev/null 2>"$tmp/build.err"; then
    echo "FAIL $f: check accepts it, build does not:"
    sed 's/^/  | /' "$tmp/build.err"
    case_failed
  elif ! "$slac" disasm "$tmp/p.slbc" >/dev/null 2>"$tmp/disasm.err"; then
    echo "FAIL $f: build wrote bytecode that does not load:"
    sed 's/^/  | /' "$tmp/disasm.err"
    case_failed
  else
    case_passed
  fi
done
echo "$skipped skipped (check rejects them)"
counts_line
