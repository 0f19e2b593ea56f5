#!/bin/sh
# run.sh - the habits of slac's command line (CONTRACT.md 6.1), with the
# exact output, messages and exit status of each: --opt=value, `--`, a
# single-valued option given twice, unknown options and missing values,
# `-` for standard input in every command, `slac help [COMMAND]`,
# --version on every command, `eval -o FILE`, `eval --period FROM..TO`,
# and the colours of diagnostics (--color, NO_COLOR).
#
#   sh run.sh SLAC_BINARY REPO
. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY REPO"
slac_binary "$1"
need_executable
repo=$(cd "$2" && pwd) || exit 2
here=$repo/tests/cli
sanitizer_options
scratch cli
export TMPDIR="$tmp/tmp"
mkdir -p "$TMPDIR"
unset NO_COLOR
cp "$repo/policies/saleor.sla" "$repo/examples/saleor/incidents.csv" \
   "$repo/examples/saleor/accounts.csv" "$tmp/"
cp "$repo/tests/diagnostics/terms_commit_outside.sla" "$tmp/bad.sla"
cd "$tmp" || exit 2

# expect NAME WANT_EXIT WANT_STDOUT|-|'*' WANT_STDERR|- COMMAND...
# ('-': nothing; '*': anything)
expect() {
  name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err" <"${stdin:-/dev/null}"
  rc=$?
  ok=1
  [ "$rc" = "$want_rc" ] || { echo "FAIL $name: exit $rc, expected $want_rc"; ok=0; }
  for pair in "out:$want_out" "err:$want_err"; do
    stream=${pair%%:*} want=${pair#*:}
    if [ "$want" = '*' ]; then
      :
    elif [ "$want" = - ]; then
      [ -s "$tmp/$stream" ] && { echo "FAIL $name: unexpected std$stream"; ok=0; }
    elif ! cmp -s "$want" "$tmp/$stream"; then
      echo "FAIL $name: std$stream differs from $want"
      diff -u "$want" "$tmp/$stream" | head -30
      ok=0
    fi
  done
  if sanitizer_report "$tmp/err"; then echo "FAIL $name: sanitizer report"; ok=0; fi
  if [ -n "$(ls -A "$TMPDIR")" ]; then echo "FAIL $name: files left in TMPDIR"; ls "$TMPDIR"; ok=0; fi
  if [ -n "$(ls -a "$tmp" | grep '\.tmp\.')" ]; then echo "FAIL $name: a temporary -o file is left"; ok=0; fi
  if [ $ok = 1 ]; then case_passed; else cat "$tmp/err"; case_failed; fi
  stdin=
}

# usage CMD MESSAGE: the two lines of a usage error, into $tmp/usage.err
usage() {
  printf "slac: error: %s\nTry 'slac %s--help'.\n" "$2" "${1:+$1 }" > "$tmp/usage.err"
}

S="$slac"
P=saleor.sla
# ---- --opt=value, and `--` -----------------------------------------------
"$S" eval $P incidents.csv --accounts accounts.csv --format csv --period 2026-10 > want.csv
expect format-equals 0 want.csv - "$S" eval $P incidents.csv --accounts=accounts.csv --format=csv --period=2026-10
expect options-after-files 0 want.csv - "$S" eval --format=csv --period 2026-10 $P --accounts accounts.csv incidents.csv
cp $P ./-x.sla
expect double-dash 0 - '*' "$S" check -- -x.sla
expect double-dash-eval 0 want.csv - "$S" eval --format csv --period 2026-10 --accounts accounts.csv -- $P incidents.csv
# a unique prefix of a long name is that option (getopt_long); a prefix of
# several is refused with their names
expect prefix 0 want.csv - "$S" eval $P incidents.csv --acc accounts.csv --form=csv --per 2026-10
usage eval "option '--c' is ambiguous: --claims, --column, --component, --color"
expect prefix-ambiguous 2 - usage.err "$S" eval $P incidents.csv --c x
# --what-if SERVICE=+Nm|+Nw: a malformed value, an unknown service, the
# wrong unit, a service named twice, too many minutes; --only-account with
# an account that is nowhere, or differs in case (the evaluation itself:
# tests/eval/what_if_minutes, what_if_windows)
usage eval "--what-if expects SERVICE=+Nm (N more unavailable minutes) or SERVICE=+Nw (N more windows failing entirely, for a service measured by its error rate), as in covered=+30m; got 'covered=30'"
expect what-if-malformed 2 - usage.err "$S" eval $P incidents.csv --what-if covered=30
usage eval "--what-if api=+3m: the policy has no service 'api' (its services: 'covered')"
expect what-if-unknown 2 - usage.err "$S" eval $P incidents.csv --what-if api=+3m
usage eval "--what-if covered=+3w: service 'covered' is measured in minutes of downtime: write covered=+3m"
expect what-if-unit 2 - usage.err "$S" eval $P incidents.csv --what-if covered=+3w
usage eval "--what-if covered=+44641m: at most 44640 minutes (a month's)"
expect what-if-too-many 2 - usage.err "$S" eval $P incidents.csv --what-if covered=+44641m
printf 'slac: error: --only-account Acme: no such account; did you mean '"'"'acme'"'"'? (account names are compared exactly)\n' >only.err
expect only-account-case 1 - only.err "$S" eval $P incidents.csv --accounts accounts.csv --only-account Acme
printf 'slac: error: --only-account nobody: no such account in the accounts file\n' >only.err
expect only-account-none 1 - only.err "$S" eval $P incidents.csv --accounts accounts.csv --only-account nobody
usage eval "--what-if names service 'covered' twice: give its minutes once"
expect what-if-twice 2 - usage.err "$S" eval $P incidents.csv --what-if covered=+3m --what-if covered=+0m
usage check "unknown option '-x'"
expect dash-file-without-double-dash 2 - usage.err "$S" check -x.sla
usage eval "unknown option '--frobnicate'"
expect unknown-option 2 - usage.err "$S" eval $P incidents.csv --frobnicate
usage eval "unknown option '--frobnicate'"
expect unknown-option-with-value 2 - usage.err "$S" eval $P incidents.csv --frobnicate=1
usage eval "--accounts needs a value (FILE)"
expect missing-value 2 - usage.err "$S" eval $P incidents.csv --accounts
usage eval "-o needs a value (FILE)"
expect missing-value-short 2 - usage.err "$S" eval $P incidents.csv -o
usage check "--werror takes no value"
expect flag-with-value 2 - usage.err "$S" check --werror=yes $P
# ---- a single-valued option given twice -----------------------------------
usage eval "--period given twice: give it once"
expect period-twice 2 - usage.err "$S" eval $P incidents.csv --period 2026-09 --period=2026-10
usage eval "--format given twice: give it once"
expect format-twice 2 - usage.err "$S" eval $P incidents.csv --format csv --format csv
usage build "-o given twice: give it once"
expect output-twice 2 - usage.err "$S" build $P -o a.slbc -o b.slbc
usage check "--werror given twice: give it once"
expect flag-twice 2 - usage.err "$S" check --werror --werror $P
usage fmt "--check given twice: give it once"
expect check-twice 2 - usage.err "$S" fmt --check --check $P
usage convert "--intervals given twice: give it once"
expect ingest-twice 2 - usage.err "$S" convert $P x.json --intervals status --intervals=incident
# repeatable: both kept (the second component fails the policy check)
usage convert "--component b=nosuch: the policy has no service 'nosuch'; its services are covered"
printf '[]' > empty.json
expect component-repeatable 2 - usage.err "$S" convert $P empty.json --component 'a=covered' --component 'b=nosuch'
# ---- `-` is standard input, in every command ------------------------------
stdin=$P expect stdin-check 0 - '*' "$S" check -
stdin=$P expect stdin-fmt-check 0 - - "$S" fmt --check -
"$S" build $P -o want.slbc 2>/dev/null
stdin=$P expect stdin-build 0 want.slbc '*' "$S" build - -o -
"$S" disasm $P > want.disasm
stdin=want.slbc expect stdin-disasm 0 want.disasm - "$S" disasm -
stdin=$P expect stdin-eval-policy 0 want.csv - "$S" eval - incidents.csv --accounts accounts.csv --format csv --period 2026-10
stdin=incidents.csv expect stdin-eval-data 0 want.csv - "$S" eval $P - --accounts accounts.csv --format csv --period 2026-10
stdin=accounts.csv expect stdin-eval-accounts 0 want.csv - "$S" eval $P incidents.csv --accounts - --format csv --period 2026-10
printf 'id,service,start,end,cause,note\n' > want-convert.csv
printf '<stdin>: note: 0 incidents: 0 used\n' > convert.err
stdin=empty.json expect stdin-convert 0 want-convert.csv convert.err "$S" convert $P - --component 'a=covered'
printf '7 passed, 0 failed\n' > test.out
stdin=$repo/policies/tagoio.test expect stdin-test 0 test.out - sh -c 'cd "$1/policies" && "$2" test -' sh "$repo" "$S"
stdin=$P expect stdin-twice 2 - '*' "$S" eval - -
printf 'old: <stdin> (saleor version 1)\nnew: saleor.sla (saleor version 1)\n0 differences: the policies are equivalent\n' > diff.out
stdin=$P expect stdin-diff 0 diff.out - "$S" diff - $P
stdin=$P expect stdin-diff-twice 2 - '*' "$S" diff - -
# ---- help ------------------------------------------------------------------
"$S" --help > help.out
expect help 0 help.out - "$S" help
for c in check fmt test diff build disasm eval convert lsp; do
  "$S" $c --help > help-$c.out
  expect "help-$c" 0 help-$c.out - "$S" help $c
  expect "help-$c-short" 0 help-$c.out - "$S" $c -h
done
usage "" "unknown command 'nosuch'"
expect help-nosuch 2 - usage.err "$S" help nosuch
usage "" "unknown command 'evl'; did you mean 'eval'?"
expect help-did-you-mean 2 - usage.err "$S" help evl
expect unknown-command-did-you-mean 2 - usage.err "$S" evl
# ---- --version on every command --------------------------------------------
"$S" --version > version.out
for c in check fmt test diff build disasm eval convert lsp; do
  expect "version-$c" 0 version.out - "$S" $c --version
done
grep -q '^slac [0-9]' version.out && case_passed || { echo "FAIL version format"; case_failed; }
# ---- eval -o FILE ------------------------------------------------------------
expect eval-output 0 - - "$S" eval $P incidents.csv --accounts accounts.csv --format csv --period 2026-10 -o report.csv
cmp -s want.csv report.csv && case_passed || { echo "FAIL eval-output: the file differs"; case_failed; }
cp incidents.csv keep.csv
usage eval "the output 'incidents.csv' is the data file 'incidents.csv', which this command reads; write to another file"
expect eval-output-over-input 2 - usage.err "$S" eval $P incidents.csv --format csv -o incidents.csv
cmp -s keep.csv incidents.csv && case_passed || { echo "FAIL eval-output-over-input: the input changed"; case_failed; }
usage eval "the output 'saleor.sla' is the policy 'saleor.sla', which this command reads; write to another file"
expect eval-output-over-policy 2 - usage.err "$S" eval $P incidents.csv -o $P
# a failed evaluation leaves the old report as it was
echo old > old.csv
expect eval-output-failed 1 - '*' "$S" eval $P nosuch.csv -o old.csv
[ "$(cat old.csv)" = old ] && case_passed || { echo "FAIL eval-output-failed: the file changed"; case_failed; }
# not a regular file: written in place; the default format is then jsonl
"$S" eval $P incidents.csv --accounts accounts.csv --period 2026-10 > want.jsonl
expect eval-output-stdout 0 want.jsonl - "$S" eval $P incidents.csv --accounts accounts.csv --period 2026-10 -o /dev/stdout
expect eval-output-dash 0 want.jsonl - "$S" eval $P incidents.csv --accounts accounts.csv --period 2026-10 -o -
# ---- eval --period FROM..TO ----------------------------------------------
expect period-range 0 "$here/expected/period_range.csv" - "$S" eval $P incidents.csv --accounts accounts.csv --format csv --period 2026-11..2027-01
expect period-range-one 0 want.csv - "$S" eval $P incidents.csv --accounts accounts.csv --format csv --period 2026-10..2026-10
usage eval "--period 2026-11..2026-09: the range ends before it starts; write the earlier month first"
expect period-reversed 2 - usage.err "$S" eval $P incidents.csv --period 2026-11..2026-09
usage eval "--period expects a month as YYYY-MM or a range of months as FROM..TO (2024-01..2024-06), got '2026-1..2026-09'"
expect period-malformed 2 - usage.err "$S" eval $P incidents.csv --period 2026-1..2026-09
usage eval "--period expects a month as YYYY-MM or a range of months as FROM..TO (2024-01..2024-06), got '2026-01..'"
expect period-open 2 - usage.err "$S" eval $P incidents.csv --period 2026-01..
usage eval "--period 1900-01..2026-09: 1521 months, more than the 1200 a range may span; evaluate it in parts"
expect period-too-long 2 - usage.err "$S" eval $P incidents.csv --period 1900-01..2026-09
# ---- colour ------------------------------------------------------------------
e=$(printf '\033')
{
  printf '%s[1mbad.sla:5:5:%s[m %s[1;31merror:%s[m service '"'vm'"' has terms by plan: write its commitment inside each `terms` block, not in the service\n' "$e" "$e" "$e" "$e"
  printf '      commit 99.9%%\n      %s[1;32m^~~~~~%s[m\n' "$e" "$e"
  printf '%s[1mbad.sla:7:14:%s[m %s[1;35mwarning:%s[m gap between the commitment and the first credit tier: an uptime at or above 99.9%% and below 99.99%% misses the commitment of 99.99%% of service '"'vm'"' (terms for plan "Premium") but no tier gives credit\n' "$e" "$e" "$e" "$e"
  printf '        commit 99.99%%\n               %s[1;32m^~~~~~%s[m\n' "$e" "$e"
} > color.err
sed "s/$e\[[0-9;]*m//g" color.err > plain.err
expect color-always 1 - color.err "$S" check --color=always bad.sla
expect color-always-beats-no-color 1 - color.err env NO_COLOR=1 "$S" check --color always bad.sla
expect color-never 1 - plain.err "$S" check --color=never bad.sla
expect color-not-a-terminal 1 - plain.err "$S" check bad.sla
expect color-auto-not-a-terminal 1 - plain.err "$S" check --color=auto bad.sla
expect no-color 1 - plain.err env NO_COLOR=1 "$S" check --color=auto bad.sla
printf '%s[1mslac:%s[m %s[1;31merror:%s[m no policy file given\nTry '"'slac check --help'"'.\n' "$e" "$e" "$e" "$e" > color-usage.err
expect color-usage 2 - color-usage.err "$S" check --color=always
usage check "--color is auto, always or never, not 'sometimes'"
expect color-bad 2 - usage.err "$S" check --color=sometimes bad.sla
if command -v script >/dev/null 2>&1; then
  # a terminal: coloured unless NO_COLOR is set (and not empty)
  script -qec "'$S' check bad.sla" /dev/null > tty.out 2>&1
  grep -q "$e\[1;31merror" tty.out && case_passed || { echo "FAIL color-terminal: no colour"; case_failed; }
  NO_COLOR=1 script -qec "'$S' check bad.sla" /dev/null > tty.out 2>&1
  grep -q "$e\[" tty.out && { echo "FAIL color-terminal-no-color: coloured"; case_failed; } || case_passed
  NO_COLOR= script -qec "'$S' check bad.sla" /dev/null > tty.out 2>&1
  grep -q "$e\[1;31merror" tty.out && case_passed || { echo "FAIL color-terminal-empty-no-color: no colour"; case_failed; }
fi
# ---- eval --progress ----------------------------------------------------------
# Forced onto a file: a line when the reading starts or is under way, then
# the last one, how long it took; the report is the same.  Sizes are in
# the total's unit (incidents.csv: 1,0xx bytes, 1.0 KiB); the rate and the
# time left depend on the clock, so they are matched by pattern.
"$S" eval $P incidents.csv --accounts accounts.csv --format csv > want-progress.csv
expect progress-forced 0 want-progress.csv '*' "$S" eval $P incidents.csv --accounts accounts.csv --format csv --progress
progress_lines() { # FILE: 0 when it is progress lines, ending with the last one
  awk '
    /^slac: reading data: [0-9]+\.[0-9] of 1\.0 KiB \([0-9]+%\)(, [0-9]+\.[0-9] (B|KiB|MiB|GiB)\/s, [0-9]+ s left)?$/ { if (last) bad = 1; n++; next }
    /^slac: read data: [0-9]+\.[0-9] of 1\.0 KiB in [0-9]+\.[0-9] s( \([0-9]+\.[0-9] (B|KiB|MiB|GiB)\/s\))?$/ { if (last) bad = 1; last = $0; next }
    { bad = 1 }
    END { exit !(n >= 1 && last ~ /^slac: read data: 1\.0 of 1\.0 KiB/ && !bad) }' "$1"
}
progress_lines "$tmp/err" && case_passed || { echo "FAIL progress-forced-lines:"; cat "$tmp/err"; case_failed; }
# not a terminal: none by default, however large the data; none with --no-progress
awk 'BEGIN { print "id,account,service,start,end,cause,note"
             for (i = 0; i < 70000; i++)
               printf "L-%d,acme,covered,2026-10-%02dT10:%02d:00Z,2026-10-%02dT10:%02d:30Z,outage,\"row %d of a file of more than 4 MiB\"\n", i, i % 28 + 1, i % 60, i % 28 + 1, i % 60, i }' > large.csv
[ "$(wc -c < large.csv)" -gt 4194304 ] && case_passed || { echo "FAIL progress-large-file: under 4 MiB"; case_failed; }
"$S" eval $P large.csv --format jsonl 2>/dev/null > want-large.jsonl
expect progress-default-not-a-terminal 0 want-large.jsonl - "$S" eval $P large.csv
expect progress-off 0 want-large.jsonl - "$S" eval $P large.csv --no-progress
usage eval "--progress and --no-progress contradict each other: give one"
expect progress-both 2 - usage.err "$S" eval $P incidents.csv --progress --no-progress
expect progress-twice 2 - '*' "$S" eval $P incidents.csv --progress --progress
if command -v script >/dev/null 2>&1; then
  # a terminal: the line is drawn in place and erased before the report
  script -qec "'$S' eval $P large.csv --format csv > tty-report.csv" /dev/null > tty.out 2>&1
  grep -q "^$(printf '\r')slac: reading data: [0-9.]* of [0-9.]* MiB" tty.out &&
    [ "$(tail -c 4 tty.out | od -An -c | tr -d ' ')" = "\r033[K" ] && case_passed ||
    { echo "FAIL progress-terminal: no line, or not erased"; od -c tty.out | head; case_failed; }
  # ... but not for a small file, nor with --no-progress
  script -qec "'$S' eval $P incidents.csv --format csv > tty-report.csv" /dev/null > tty.out 2>&1
  [ ! -s tty.out ] && case_passed || { echo "FAIL progress-terminal-small: a line"; case_failed; }
  script -qec "'$S' eval $P large.csv --format csv --no-progress > tty-report.csv" /dev/null > tty.out 2>&1
  [ ! -s tty.out ] && case_passed || { echo "FAIL progress-terminal-off: a line"; case_failed; }
fi
counts_line
