#!/bin/sh
# run.sh - limits: huge, deep, long and odd inputs, generated at test time.
#
#   sh tests/limits/run.sh SLAC_BINARY REPO_DIR
#
# Every case gives either a clean error (exit 1, the expected message, no
# crash) or the correct result (exit 0, the expected output), within a time
# limit and without a sanitizer report.  docs/reliability.md lists the
# limits these cases pin down.  The last line is "N passed, N failed".

. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY REPO_DIR"
slac_binary "$1"
repo=$(cd "$2" && pwd) || exit 2
sanitizer_options
scratch limits
cd "$tmp" || exit 2

# rep STRING N: STRING N times.
rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }
# bytes N CHAR: N copies of one character, fast.
bytes() { head -c "$1" /dev/zero | tr '\0' "$2"; }

# expect NAME STATUS PATTERN slac ARGS...: run slac ARGS (stdout and stderr
# together, at most 300 s); the exit status must be STATUS and the output,
# its lines joined by spaces, must match the grep -E PATTERN (EMPTY: the
# output must be empty).
expect() {
  name=$1 want=$2 pattern=$3
  shift 3
  t0=$(date +%s)
  timeout 300 "$slac" "$@" >"$tmp/out" 2>&1
  rc=$?
  secs=$(($(date +%s) - t0))
  if [ $rc -ne "$want" ]; then
    why="exit status $rc, expected $want"
  elif sanitizer_report "$tmp/out"; then
    why="sanitizer report"
  elif [ "$pattern" = EMPTY ] && [ -s "$tmp/out" ]; then
    why="output where none was expected"
  elif [ "$pattern" != EMPTY ] && ! tr '\n' ' ' <"$tmp/out" | grep -Eq -- "$pattern"; then
    why="output does not match /$pattern/"
  else
    case_passed
    echo "ok $name (${secs} s)"
    return
  fi
  case_failed
  echo "FAIL $name: $why"
  cut -c1-200 "$tmp/out" | head -n 8 | sed 's/^/  | /'
}

cat >base.sla <<'EOF'
policy lim "Limits" version 1 {
  currency USD
  period calendar month in UTC
  service svc "S" {
    measure unavailable minutes
    commit 99.9%
  }
  credit of monthly fee {
    below 99.9% -> 10%
  }
}
EOF
head10() { sed -n 1,10p base.sla; }

# ---- nesting -------------------------------------------------------------
{ head10; printf '  not eligible when '; rep '(' 100; printf 'plan is "Free"'; rep ')' 100; printf '\n}\n'; } >paren100.sla
expect "100 nested parentheses" 0 EMPTY check paren100.sla
{ head10; printf '  not eligible when '; rep '(' 101; printf 'plan is "Free"'; rep ')' 101; printf '\n}\n'; } >paren101.sla
expect "101 nested parentheses" 1 'error: conditions nested more than 100 deep' check paren101.sla
{ head10; printf '  not eligible when '; rep '(' 1000000; printf 'plan is "Free"'; rep ')' 1000000; printf '\n}\n'; } >paren1M.sla
expect "a million nested parentheses" 1 'error: conditions nested more than 100 deep' check paren1M.sla
{ head10; printf '  not eligible when '; rep 'not ' 1000000; printf 'plan is "Free"\n}\n'; } >not1M.sla
expect "a million nested 'not'" 1 'error: (the policy is nested too deeply|conditions nested more than 100 deep)' check not1M.sla
{ head10; printf '  not eligible when plan is "A"'; rep ' and plan is "A"' 1000000; printf '\n}\n'; } >and1M.sla
expect "a chain of a million 'and'" 1 'error: conditions nested more than 100 deep' check and1M.sla

# ---- names, numbers, tiers -------------------------------------------------
{ printf 'policy '; bytes 1048576 a; printf ' "x" version 1 {\n}\n'; } >ident.sla
expect "a 1 MiB identifier" 1 '^ident.sla:1:8: error: name longer than 255 characters' check ident.sla
{ printf 'policy lim "'; bytes 1048576 a; printf '" version 1 {\n}\n'; } >string.sla
expect "a 1 MiB string" 1 'error: string longer than 4096 bytes' check string.sla
{ sed -n 1,5p base.sla; printf '    commit '; rep 9 1000; printf '%%\n  }\n}\n'; } >bignum.sla
expect "a 1000-digit number" 1 'error: number too large' check bignum.sla
{ sed -n 1,5p base.sla; printf '    commit 99.'; rep 9 1000; printf '%%\n  }\n}\n'; } >bigfrac.sla
expect "1000 digits after the point" 1 'error: more than 12 digits after the point' check bigfrac.sla
{ sed -n 1,5p base.sla; printf '    commit 99.'; rep 9 12; printf '%%\n  }\n}\n'; } >frac12.sla
expect "12 digits after the point" 0 '' check frac12.sla
# A million tiers, each 10^-10 % wide, in order: checked (and warned about).
# tiers N: a credit schedule of N such tiers.
tiers() {
  sed -n 1,7p base.sla
  echo '  credit of monthly fee {'
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) { v = 999000000000 - i; w = v - 1
    printf "    below %d.%010.0f%% and at or above %d.%010.0f%% -> 10%%\n", int(v / 1e10), v % 1e10, int(w / 1e10), w % 1e10 } }'
  echo '  }'
  echo '}'
}
tiers 1000000 >tiers.sla
expect "a million tiers (check)" 0 'warning: no tier covers an uptime at or above 0% and below 99.8999%' check tiers.sla
# Compiling them needs more than the bytecode's 65,534 constants: a clean
# error.  70,000 tiers (70,001 distinct bounds) are enough to show it; the million
# takes about two minutes (the code generator looks constants up one by
# one and does not stop at the first failure), so it runs only with
# SLAC_LIMITS_FULL=1.
if [ "${SLAC_LIMITS_FULL:-0}" != 1 ]; then
  tiers 70000 >tiers.sla
fi
expect "too many tiers to compile (build)" 1 'error: the policy is too large to compile' build tiers.sla -o tiers.slbc
[ -e tiers.slbc ] && { case_failed; echo "FAIL a million tiers: tiers.slbc written"; }

# ---- long lines, NUL bytes, invalid UTF-8 ----------------------------------
{ printf '// '; bytes 100000000 a; printf '\n'; cat base.sla; } >longline.sla
expect "a 100 MB comment line in a policy" 0 EMPTY check longline.sla
printf 'policy lim "x\0" version 1 {\n}\n' >nul.sla
expect "a NUL byte in a policy" 1 '^nul.sla:1:14: error: NUL byte in the source' check nul.sla
printf 'policy lim "\303\050" version 1 {\n}\n' >utf8.sla
expect "invalid UTF-8 in a policy" 1 '^utf8.sla:1:13: error: invalid UTF-8 \(byte 0xc3\)' check utf8.sla
printf 'policy lim "\355\240\200" version 1 {\n}\n' >surrogate.sla
expect "a UTF-16 surrogate in a policy" 1 'error: invalid UTF-8 \(byte 0xed\)' check surrogate.sla

P=$repo/policies/saleor.sla
H='account,service,start,end,cause'
{ echo $H; printf 'acme,covered,2026-10-03T14:05:00Z,2026-10-03T14:28:00Z,"'; bytes 100000000 a; printf '"\n'; } >long.csv
expect "a 100 MB line in a data file" 1 '^long.csv:2: error: record longer than 1 MiB' eval "$P" long.csv
{ echo $H; printf 'acme,covered,2026-10-03T14:05:00Z,2026-10-03T14:28:00Z,out\0age\n'; } >nul.csv
expect "a NUL byte in a data file" 1 '^nul.csv:2: error: NUL byte' eval "$P" nul.csv
{ echo $H; printf 'acme,covered,2026-10-03T14:05:00Z,2026-10-03T14:28:00Z,\377\376\n'; } >utf8.csv
expect "invalid UTF-8 in a data file" 1 '^utf8.csv:2: error: invalid UTF-8' eval "$P" utf8.csv
{ bytes 3000000 x; echo; } >noheaderend.csv
expect "a 3 MB header" 1 '^noheaderend.csv:1: error: record longer than 1 MiB' eval "$P" noheaderend.csv

# ---- time --------------------------------------------------------------------
# 60 minutes down of December's 44,640: 99.86559...% truncated to 99.8655.
{ echo $H; echo 'acme,covered,9999-12-31T23:00:00Z,9999-12-31T23:59:59Z,'; } >y9999.csv
expect "year 9999" 0 '"period":"9999-12".*"unavailable_minutes":60,.*"uptime_percent":"99.8655"' eval "$P" y9999.csv
{ echo $H; echo 'acme,covered,9999-12-31T23:00:00Z,10000-01-01T00:00:00Z,'; } >y10000.csv
expect "year 10000" 1 "^y10000.csv:2: error: column 'end': expected an RFC 3339 timestamp" eval "$P" y10000.csv
{ echo $H; echo 'acme,covered,9999-12-31T23:30:00-01:00,9999-12-31T23:45:00-01:00,'; } >y9999utc.csv
expect "after 9999 once in UTC" 1 "^y9999utc.csv:2: error: column 'start'" eval "$P" y9999utc.csv
{ echo $H; echo 'acme,covered,1969-12-31T23:00:00Z,1970-01-01T00:30:00Z,'; } >y1969.csv
expect "before 1970, across the epoch" 0 '"period":"1969-12".*"uptime_percent":"99.8655".*"period":"1970-01".*"unavailable_minutes":30,' eval "$P" y1969.csv
# 43.2 minutes touch 44 clock minutes of January 0001: 99.90143...%.
{ echo $H; echo 'acme,covered,0001-01-01T00:00:00Z,0001-01-01T00:43:12Z,'; } >y0001.csv
expect "year 0001" 0 '"period":"0001-01".*"unavailable_minutes":44,.*"uptime_percent":"99.9014"' eval "$P" y0001.csv
{ echo $H; echo 'acme,covered,0001-01-01T00:00:00+01:00,0001-01-01T00:43:12Z,'; } >y0000.csv
expect "before 0001 once in UTC" 1 "falls before the year 0001" eval "$P" y0000.csv
expect "--period 9999-12" 0 '"period":"9999-12"' eval "$P" y9999.csv --period 9999-12
expect "--period 10000-01" 2 'period expects a month' eval "$P" y9999.csv --period 10000-01

# ---- amounts and counts past 64 bits ---------------------------------------
{ echo $H; echo 'acme,covered,2026-10-03T00:00:00Z,2026-10-03T12:00:00Z,'; } >inc.csv
printf 'account,fee,currency\nacme,99999999999999999999.00,USD\n' >fee_over.csv
expect "a fee past 2^64" 1 "^fee_over.csv:2: error: column 'fee': the fee \"99999999999999999999.00\" is too large" eval "$P" inc.csv --accounts fee_over.csv
printf 'account,fee,currency\nacme,%s.00,USD\n' "$(rep 9 1000)" >fee_1000.csv
expect "a 1000-digit fee" 1 "^fee_1000.csv:2: error: column 'fee'" eval "$P" inc.csv --accounts fee_1000.csv
printf 'account,fee,currency\nacme,1000000000000000.00,USD\n' >fee_1e15.csv
expect "a fee of 10^15" 1 "^fee_1e15.csv:2: error: column 'fee'.*too large" eval "$P" inc.csv --accounts fee_1e15.csv
# The largest fee: 25% of 999,999,999,999,999.99 is 249,999,999,999,999.9975,
# rounded half-up to 250,000,000,000,000.00.
printf 'account,fee,currency\nacme,999999999999999.99,USD\n' >fee_max.csv
expect "the largest fee" 0 '"credit_percent":"25","credit_amount":"250000000000000.00"' eval "$P" inc.csv --accounts fee_max.csv
W=$repo/policies/piwik-pro.sla
printf 'account,service,start,requests,errors\nn,hosting,2026-10-01T00:00:00Z,18446744073709551616,1\n' >req_over.csv
expect "requests past 2^64" 1 "^req_over.csv:2: error: column 'requests'" eval "$W" req_over.csv
printf 'account,service,start,requests,errors\nn,hosting,2026-10-01T00:00:00Z,%s,1\n' "$(rep 9 1000)" >req_1000.csv
expect "a 1000-digit request count" 1 "^req_1000.csv:2: error: column 'requests'" eval "$W" req_1000.csv
# Two windows of 2^63-1 requests (all failed, then one failed) among
# October's 8,928: (1 + 1/(2^63-1)) / 8928 = 0.0112007...%, uptime 99.98879...%.
printf 'account,service,start,requests,errors\nn,hosting,2026-10-01T00:00:00Z,9223372036854775807,9223372036854775807\nn,hosting,2026-10-01T00:05:00Z,9223372036854775807,1\n' >req_max.csv
expect "2^63-1 requests" 0 '"error_rate_percent":"0.0112",.*"uptime_percent":"99.9887"' eval "$W" req_max.csv

counts_line
