#!/bin/sh
# run.sh - golden disassembly of the shipped policies.
#
#   sh run.sh SLAC_BINARY REPO_DIR
#   UPDATE=1 sh run.sh SLAC_BINARY REPO_DIR     rewrite the goldens
#
# For every REPO_DIR/policies/NAME.sla, tests/golden/NAME.disasm holds the
# exact stdout of `slac disasm policies/NAME.sla` (run from REPO_DIR).  A
# policy passes when:
#   - `slac disasm policies/NAME.sla` exits 0 and prints exactly the golden;
#   - `slac build` of it, twice, gives byte-identical .slbc files;
#   - `slac disasm` of that .slbc prints exactly the golden too (the
#     listing of a source and of its bytecode cannot differ);
#   - nothing on stderr comes from a sanitizer.
# A golden without its policy fails as stale.  With UPDATE=1 the goldens
# are rewritten from the current output first (review the diff with
# `git diff tests/golden` before committing it), then checked as usual.
# The last line printed is "N passed, N failed"; the exit status is 1 when
# any case failed, 2 on a usage error.

. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY REPO_DIR"
slac_binary "$1"
need_executable
cd "$2" || exit 2
golden=tests/golden
sanitizer_options
scratch golden

# Runs "$@" with stdout to $tmp/out; fails the case (ok=0) on a non-zero
# exit status or a sanitizer report.
run() {
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: '$*' exited with status $rc"
    sed 's/^/  | /' "$tmp/err"
    ok=0
  elif sanitizer_report "$tmp/err"; then
    echo "FAIL $name: sanitizer report from '$*'"
    sed 's/^/  | /' "$tmp/err"
    ok=0
  fi
}

same_as_golden() { # $1: what produced $tmp/out
  if ! cmp -s "$want" "$tmp/out"; then
    echo "FAIL $name: $1 differs from $want"
    diff -u "$want" "$tmp/out" | sed "1s|.*|--- $want|; 2s|.*|+++ $1|"
    ok=0
  fi
}

for sla in policies/*.sla; do
  [ -e "$sla" ] || continue
  name=$(basename "$sla" .sla)
  want=$golden/$name.disasm
  ok=1
  if [ -n "$UPDATE" ]; then
    run "$slac" disasm "$sla"
    if [ $ok = 1 ]; then
      cp "$tmp/out" "$want" && echo "updated $want"
    fi
  fi
  if [ ! -f "$want" ]; then
    echo "FAIL $name: $want is missing (UPDATE=1 creates it)"
    case_failed
    continue
  fi

  run "$slac" disasm "$sla"
  [ $ok = 1 ] && same_as_golden "slac disasm $sla"

  run "$slac" build "$sla" -o "$tmp/a.slbc"
  run "$slac" build "$sla" -o "$tmp/b.slbc"
  if [ $ok = 1 ] && ! cmp -s "$tmp/a.slbc" "$tmp/b.slbc"; then
    echo "FAIL $name: two builds of $sla differ"
    ok=0
  fi
  if [ $ok = 1 ]; then
    run "$slac" disasm "$tmp/a.slbc"
    [ $ok = 1 ] && same_as_golden "slac disasm $name.slbc"
  fi

  if [ $ok = 1 ]; then case_passed; else case_failed; fi
done

for want in "$golden"/*.disasm; do
  [ -e "$want" ] || continue
  name=$(basename "$want" .disasm)
  if [ ! -f "policies/$name.sla" ]; then
    echo "FAIL $name: $want is stale (no policies/$name.sla)"
    case_failed
  fi
done

counts_line
