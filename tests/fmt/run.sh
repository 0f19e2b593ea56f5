#!/bin/sh
# run.sh - `slac fmt` from the outside: printing, --check's diff and exit
# status, -w rewriting in place (and leaving a formatted or broken file
# alone), usage errors.  The layout itself and meaning preservation are
# tested in tests/unit/test_fmt.c.
#
#   sh run.sh SLAC_BINARY DIR          (DIR: this folder)
. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY DIR"
slac_binary "$1"
need_executable
cd "$2" || exit 2
sanitizer_options
scratch fmt

# expect NAME WANT_EXIT WANT_STDOUT_FILE|- COMMAND...
expect() {
  name=$1 want_rc=$2 want_out=$3
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  ok=1
  [ "$rc" = "$want_rc" ] || { echo "FAIL $name: exit $rc, expected $want_rc"; ok=0; }
  if [ "$want_out" = - ]; then
    [ -s "$tmp/out" ] && { echo "FAIL $name: unexpected output"; ok=0; }
  elif ! cmp -s "$want_out" "$tmp/out"; then
    echo "FAIL $name: output differs from $want_out"
    diff -u "$want_out" "$tmp/out" | head -20
    ok=0
  fi
  if sanitizer_report "$tmp/err"; then echo "FAIL $name: sanitizer report"; ok=0; fi
  if [ $ok = 1 ]; then case_passed; else cat "$tmp/err"; case_failed; fi
}

expect print 0 unformatted.formatted "$slac" fmt unformatted.sla
expect check-unformatted 1 unformatted.diff "$slac" fmt --check unformatted.sla
cp unformatted.formatted "$tmp/f.sla"
expect check-formatted 0 - "$slac" fmt --check "$tmp/f.sla"
cp unformatted.sla "$tmp/w.sla"
expect write 0 - "$slac" fmt -w "$tmp/w.sla"
if cmp -s "$tmp/w.sla" unformatted.formatted; then case_passed; else echo "FAIL write: not the formatted text"; case_failed; fi
expect write-again 0 - "$slac" fmt -w "$tmp/w.sla"
if cmp -s "$tmp/w.sla" unformatted.formatted; then case_passed; else echo "FAIL write-again: changed"; case_failed; fi
cp broken.sla "$tmp/b.sla"
expect broken 1 - "$slac" fmt -w "$tmp/b.sla"
if grep -q "syntax error" "$tmp/err" && cmp -s "$tmp/b.sla" broken.sla; then case_passed
else echo "FAIL broken: no syntax error, or the file was changed"; case_failed; fi
expect both-modes 2 - "$slac" fmt --check -w unformatted.sla
expect no-file 2 - "$slac" fmt
# standard input: read once, printed; --check labels the diff <stdin>;
# -w has nothing to rewrite
expect stdin 0 unformatted.formatted sh -c '"$1" fmt - < unformatted.sla' sh "$slac"
sed 's|^--- unformatted.sla|--- <stdin>|; s|^+++ unformatted.sla|+++ <stdin>|' unformatted.diff > "$tmp/stdin.diff"
expect stdin-check 1 "$tmp/stdin.diff" sh -c '"$1" fmt --check - < unformatted.sla' sh "$slac"
expect stdin-write 1 - sh -c '"$1" fmt -w - < unformatted.sla' sh "$slac"
if grep -q "^slac: error: -w rewrites files, and '<stdin>' is not one: write slac fmt - > FILE$" "$tmp/err"
then case_passed; else echo "FAIL stdin-write: message"; cat "$tmp/err"; case_failed; fi
expect stdout-full 1 - sh -c '"$1" fmt unformatted.sla > /dev/full' sh "$slac"
counts_line
