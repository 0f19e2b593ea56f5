#!/bin/sh
# io.sh - I/O-failure injection: failed reads, opens, writes, fsyncs and
# renames, and a full output device.
#
#   sh io.sh SLAC_BINARY REPO_DIR
#
# SLAC_BINARY comes from the SLAC_ALLOC_FAIL build (SLAC_FAIL_IO=FN:N makes
# the Nth call of FN fail, see alloc_fail.c).  Checked:
#   - `slac build` whose write (a short write, then ENOSPC), fsync or rename
#     fails exits 1 with "cannot write", and leaves neither the output nor
#     a temporary file; an existing output file keeps its old bytes;
#   - every fopen and every fread of `slac check`, `slac disasm` and
#     `slac eval` (policy, accounts and data files) failing in turn: exit 1
#     with a message naming the file, stdout a prefix of the right output;
#   - every fwrite of `slac eval` and `slac disasm` failing in turn, and
#     their stdout on /dev/full: exit 1 with a message.
# Known bugs are printed as KNOWN and do not fail the test (each names the
# function to fix); the last line is "N passed, N failed".

. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh io.sh SLAC_BINARY REPO_DIR"
slac_binary "$1"
cd "$2" || exit 2
sanitizer_options
scratch io

known=0
# fail WHAT: a failed check, with the start of $tmp/err.
fail() {
  echo "FAIL $*"
  sed 's/^/  | /' "$tmp/err" | head -n 10
  case_failed
}
# known BUG-DESCRIPTION: a failure that is a known bug, not counted.
known_bug() { echo "KNOWN $*"; known=$((known + 1)); }
sanitizer() { sanitizer_report "$tmp/err"; }

# ---- atomic writes -----------------------------------------------------
for fn in write fsync rename; do
  out=$tmp/build-$fn
  mkdir -p "$out"
  SLAC_FAIL_IO=$fn:1 "$slac" build policies/saleor.sla -o "$out/s.slbc" >/dev/null 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 1 ] || ! grep -q "cannot write '$out/s.slbc'" "$tmp/err" || sanitizer; then
    fail "build with a failing $fn: exit status $rc"
  elif [ -n "$(ls -A "$out")" ]; then
    fail "build with a failing $fn left: $(ls -A "$out")"
  else
    case_passed
  fi
  # Over an existing file: it keeps its bytes.
  printf 'old' >"$out/s.slbc"
  SLAC_FAIL_IO=$fn:1 "$slac" build policies/saleor.sla -o "$out/s.slbc" >/dev/null 2>"$tmp/err"
  if [ "$(cat "$out/s.slbc")" != old ] || [ "$(ls -A "$out")" != s.slbc ]; then
    fail "build with a failing $fn changed the existing output or left a file"
  else
    case_passed
  fi
done

# ---- reads and opens ---------------------------------------------------
# CASE|DIR|ARGS: every fopen and fread of the run fails in turn.
cat >"$tmp/cases" <<'EOF'
check|.|check policies/tagoio.sla
disasm|.|disasm policies/piwik-pro.sla
eval-saleor|examples/saleor|eval ../../policies/saleor.sla incidents.csv --accounts accounts.csv --format jsonl
eval-piwik|examples/piwik-pro|eval ../../policies/piwik-pro.sla incidents.csv windows.csv --accounts accounts.csv --format csv
EOF
while IFS='|' read -r name dir args; do
  # shellcheck disable=SC2086
  (cd "$dir" && SLAC_FAULT_COUNT="$tmp/count" "$slac" $args >"$tmp/ref" 2>"$tmp/ref.err")
  for fn in fopen fread; do
    k=$(sed -n "s/^$fn //p" "$tmp/count")
    n=1
    while [ "$n" -le "$k" ]; do
      # shellcheck disable=SC2086
      (cd "$dir" && SLAC_FAIL_IO=$fn:$n "$slac" $args >"$tmp/out" 2>"$tmp/err")
      rc=$?
      if [ $rc -ne 1 ] || sanitizer; then
        fail "$name with $fn #$n failing: exit status $rc"
      elif ! grep -q -e 'cannot open' -e 'cannot read' -e 'read error' "$tmp/err"; then
        fail "$name with $fn #$n failing: no message about the file"
      elif ! head -c "$(wc -c <"$tmp/out")" "$tmp/ref" | cmp -s - "$tmp/out"; then
        fail "$name with $fn #$n failing: wrong output"
      else
        case_passed
      fi
      n=$((n + 1))
    done
  done
  rm -f "$tmp/count"
done <"$tmp/cases"

# ---- report writes -----------------------------------------------------
# eval checks its stream at the end (ferror); disasm must too.
for name in eval disasm; do
  if [ $name = eval ]; then
    dir=examples/tagoio args="eval ../../policies/tagoio.sla incidents.csv --accounts accounts.csv --format text"
    fixme="cli/cmd_eval.c:slac_cmd_eval"
  else
    dir=. args="disasm policies/saleor.sla"
    fixme="cli/cmd_build.c:slac_cmd_disasm"
  fi
  # shellcheck disable=SC2086
  (cd "$dir" && SLAC_FAULT_COUNT="$tmp/count" "$slac" $args >/dev/null 2>&1)
  k=$(sed -n 's/^fwrite //p' "$tmp/count")
  rm -f "$tmp/count"
  n=1 bad=0
  while [ "$n" -le "$k" ]; do
    # shellcheck disable=SC2086
    (cd "$dir" && SLAC_FAIL_IO=fwrite:$n "$slac" $args >/dev/null 2>"$tmp/err")
    rc=$?
    if [ $rc -ne 1 ] || sanitizer || ! grep -q 'cannot write\|error' "$tmp/err"; then
      bad=$((bad + 1))
      fail "$name with fwrite #$n failing: exit status $rc ($fixme)"
    else
      case_passed
    fi
    n=$((n + 1))
  done
  # A full device.
  # shellcheck disable=SC2086
  (cd "$dir" && "$slac" $args >/dev/full 2>"$tmp/err")
  rc=$?
  if [ $rc -ne 1 ] || sanitizer; then
    fail "$name to /dev/full: exit status $rc"
  elif ! grep -q 'cannot write' "$tmp/err"; then
    fail "$name to /dev/full: no message"
  else
    case_passed
  fi
done

[ $known -gt 0 ] && echo "$known known bugs (see KNOWN above)"
counts_line
