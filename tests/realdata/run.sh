#!/bin/sh
# run.sh - slac on the real public inputs of tests/realdata/data.
#
#   sh run.sh SLAC_BINARY REPO_DIR
#   UPDATE=1 sh run.sh SLAC_BINARY REPO_DIR   rewrite the expectations
#
# Each case runs `slac convert` / `slac eval` on the real files (from
# REPO_DIR/tests/realdata/data, by their relative names; data/README.md
# gives their sources) and compares what it printed with
# tests/realdata/expected/CASE.txt: stdout, "--- exit N", then stderr,
# where the warnings that name incidents are replaced by their count (the
# summary lines give them by reason).  README.md beside this script
# explains the numbers.  A case also fails when a sanitizer spoke.
# The last line printed is "N passed, N failed"; the exit status is 1 when
# any case failed, 2 on a usage error.

. "$(dirname "$0")/../lib.sh"
args_or_usage 2 $# "sh run.sh SLAC_BINARY REPO_DIR"
slac_binary "$1"
repo=$(cd "$2" && pwd)
here=$repo/tests/realdata
data=$here/data
if [ ! -d "$data" ]; then
  echo "run.sh: no $data: the real inputs are missing" >&2
  exit 2
fi
scratch realdata
saleor=$repo/policies/saleor.sla
piwik=$repo/policies/piwik-pro.sla
github=github_statuspage_incidents_combined.json
gcp=gcp_incidents.json
apache=elastic_apache_logs.log
sanitizer=0

# Show the stderr in FILE: warnings naming incidents become a count.
show_err() {
  n=$(grep -c ': warning: incident ' "$1")
  grep -v ': warning: incident ' "$1"
  if [ "$n" -gt 0 ]; then echo "($n warnings naming incidents not shown)"; fi
  if sanitizer_report "$1"; then sanitizer=1; fi
}

# Run slac in the data directory: stdout, the exit status, the stderr.
s() {
  (cd "$data" && "$slac" "$@") >"$tmp/out" 2>"$tmp/err"
  rc=$?
  cat "$tmp/out"
  echo "--- exit $rc"
  show_err "$tmp/err"
}

# Run slac, show only the stderr and the exit status (stdout to $tmp/out).
q() {
  (cd "$data" && "$slac" "$@") >"$tmp/out" 2>"$tmp/err"
  rc=$?
  echo "--- exit $rc"
  show_err "$tmp/err"
}

months="01 02 03 04 05 06 07 08 09 10 11 12"

# (a) GitHub's status page, component 'Git Operations' -> Saleor's
# `covered`: the rows slac derives over the whole history, and May 2023,
# the month with the most of them.
case_github_convert() {
  s convert "$saleor" $github --component 'Git Operations=covered'
  s eval "$saleor" $github --component 'Git Operations=covered' --period 2023-05 \
    --format jsonl --quiet
}

# (a) every month of 2022, evaluated directly from the JSON.
case_github_2022() {
  for m in $months; do
    quiet=--quiet
    [ "$m" = 01 ] && quiet=
    s eval "$saleor" $github --component 'Git Operations=covered' --period 2022-$m \
      --format jsonl $quiet
  done
}

# (a) the same with the other two readings of the statuses: converted once,
# then each month of 2022 evaluated from the CSV.
github_2022_with() {
  q convert "$saleor" $github --component 'Git Operations=covered' "$@" -o "$tmp/gh.csv"
  echo "--- the rows of 2022"
  grep ',2022-' "$tmp/gh.csv"
  for m in $months; do
    s eval "$saleor" "$tmp/gh.csv" --period 2022-$m --format jsonl
  done
}
case_github_2022_degraded() { github_2022_with --degraded-counts; }
case_github_2022_incident() { github_2022_with --intervals incident; }

# (b) the Apache log with Piwik PRO, May 2015: all requests valid, then
# without 4xx; and the windows themselves.
case_apache_2015_05() {
  s eval "$piwik" $apache --period 2015-05 --format jsonl
  s eval "$piwik" $apache --period 2015-05 --format jsonl --valid no-4xx --input-account acme
  s convert "$piwik" $apache
}

# (c) Google Cloud, product 'Google Compute Engine' -> Saleor's `covered`.
case_gcp_compute_engine() {
  s convert "$saleor" $gcp --component 'Google Compute Engine=covered'
  s eval "$saleor" $gcp --component 'Google Compute Engine=covered' --format jsonl
}

# Not in CONTRACT format: a clear error, from eval and from convert.
case_downtime_windows_csv() {
  s eval "$saleor" github_downtime_windows.csv --format jsonl
  s convert "$saleor" github_downtime_windows.csv
}

# Every JSON file here, with every component counting: read without a
# crash; rows, report lines and warnings counted.
case_every_json_file() {
  for f in $(cd "$data" && ls *.json timeparse/*.json); do
    echo "=== $f"
    q convert "$saleor" "$f" --component '*=covered'
    [ "$rc" = 0 ] && echo "rows: $(($(wc -l <"$tmp/out") - 1))"
    q eval "$saleor" "$f" --component '*=covered' --format jsonl --quiet
    [ "$rc" = 0 ] && echo "report lines: $(wc -l <"$tmp/out")"
  done
}

# A JSON syntax error is reported as FILE:LINE:COL.
case_truncated_json() {
  head -c 2000 "$data/$github" >"$tmp/truncated.json"
  (cd "$tmp" && "$slac" convert "$saleor" truncated.json --component '*=covered') \
    >/dev/null 2>"$tmp/err"
  echo "--- exit $?"
  show_err "$tmp/err"
}

# An input paired with the wrong policy or without its mapping: a log for
# a policy that measures no request errors, a log for a policy with two
# such services and no --log-service (then naming one), a status page
# with no --component (a warning: nothing maps, so no rows).
case_wrong_pairing() {
  s convert "$saleor" $apache
  sed 's/^  service hosting "Hosting" {/  service api "API" {\
    measure average error rate over 5 min windows, empty windows count as 0% errors\
    commit 99.0%\
  }\
&/' "$piwik" >"$tmp/two.sla"
  q convert "$tmp/two.sla" $apache
  q convert "$tmp/two.sla" $apache --log-service api
  echo "rows: $(($(wc -l <"$tmp/out") - 1))"
  q convert "$saleor" $github
  echo "rows: $(($(wc -l <"$tmp/out") - 1))"
}

# eval removes its temporary files, also when the evaluation fails.
case_temporary_files() {
  mkdir "$tmp/t"
  (cd "$data" && TMPDIR=$tmp/t "$slac" eval "$saleor" $github $gcp --quiet \
    --component 'Git Operations=covered' --period 2023-05) >/dev/null 2>&1
  echo "exit $?, files left: $(ls "$tmp/t" | wc -l)"
  (cd "$data" && TMPDIR=$tmp/t "$slac" eval "$saleor" $github github_downtime_windows.csv \
    --quiet --component 'Git Operations=covered') >/dev/null 2>&1
  echo "exit $?, files left: $(ls "$tmp/t" | wc -l)"
  (cd "$data" && TMPDIR=$tmp/t "$slac" eval "$piwik" $apache $apache --period 2015-05 \
    --quiet --format jsonl) >"$tmp/out" 2>"$tmp/err"
  echo "exit $?, files left: $(ls "$tmp/t" | wc -l)"
  cat "$tmp/out"
  show_err "$tmp/err"
}

# (h) --werror: the access log's malformed line is an error, and the
# evaluation and the conversion stop with exit 1.
case_werror() {
  s eval "$piwik" $apache --period 2015-05 --format jsonl --werror
  s convert "$piwik" $apache --werror -o "$tmp/w.csv"
  echo "output written: $(test -e "$tmp/w.csv" && echo yes || echo no)"
}

mkdir -p "$here/expected"
for c in github_convert github_2022 github_2022_degraded github_2022_incident apache_2015_05 \
  gcp_compute_engine downtime_windows_csv every_json_file truncated_json temporary_files \
  wrong_pairing werror; do
  sanitizer=0
  "case_$c" >"$tmp/actual" 2>&1
  expected=$here/expected/$c.txt
  if [ "${UPDATE:-0}" = 1 ]; then cp "$tmp/actual" "$expected"; fi
  if [ $sanitizer = 0 ] && [ -f "$expected" ] && cmp -s "$tmp/actual" "$expected"; then
    case_passed
  else
    case_failed
    echo "FAIL realdata/$c"
    [ $sanitizer = 1 ] && echo "  (a sanitizer reported an error)"
    if [ -f "$expected" ]; then diff -u "$expected" "$tmp/actual" | head -40; fi
  fi
done
counts_line
