#!/bin/sh
# exposure.sh - the exposure benchmark (issue 19 item 3; docs/performance.md):
# `slac eval --exposure covered` against the plain evaluation (`--format
# csv`) of the same data, Saleor's policy over one month of generated
# incidents (tests/bench/gen.c), best of N runs each, alternated so that
# drift hits both.  Target: the exposure in at most twice the time of the
# plain evaluation.  Checks that the exposure's total now is the sum of the
# plain report's amounts, and that its total at its third step is the sum of
# `--what-if covered=+D` (awk, in integer cents).  run.sh calls it; alone:
#
#   sh tests/bench/exposure.sh --slac PATH --gen PATH [--size smoke|small|full]
#                              [--data DIR] [--repeat N]
#
#   --size full   (default) 100,000 accounts, 1,000,000 incidents
#   --size small  10,000 accounts, 100,000 incidents
#   --size smoke  2,000 accounts, 20,000 incidents (a second or two)
#
# Prints one line of figures and the verdict; exits 1 when a check fails.
set -eu
. "$(dirname "$0")/../lib.sh"

size=full slac='' gen='' data='' repeat=3
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=${2:?}; shift 2 ;;
    --slac) slac=${2:?}; shift 2 ;;
    --gen) gen=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    --repeat) repeat=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "exposure.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$slac" ] || [ -z "$gen" ]; then echo "exposure.sh: --slac and --gen are required" >&2; exit 2; fi
case $size in
  smoke) ACC=2000 ROWS=20000 ;;
  small) ACC=10000 ROWS=100000 ;;
  full) ACC=100000 ROWS=1000000 ;;
  *) echo "exposure.sh: --size is smoke, small or full" >&2; exit 2 ;;
esac
: "${data:=/tmp/slac-bench-$size}"
mkdir -p "$data"
scratch bench-exposure
here=$(cd "$(dirname "$0")" && pwd)
saleor=$here/../../policies/saleor.sla
inc=$data/incidents-a$ACC-r$ROWS-m1.csv acc=$data/accounts-a$ACC-usd.csv
for pair in "$inc:incidents --accounts $ACC --rows $ROWS --months 1" "$acc:accounts --accounts $ACC"; do
  f=${pair%%:*}
  # shellcheck disable=SC2086
  [ -s "$f" ] || { "$gen" ${pair#*:} --seed 1 -o "$f.tmp" && mv "$f.tmp" "$f"; }
done

# run NAME ARGS...: slac eval on the data, timed; keeps the least wall and
# CPU seconds of the runs in NAME_wall, NAME_cpu
run() {
  name=$1; shift
  "$gen" time "$tmp/rep" "$slac" eval "$saleor" "$inc" --accounts "$acc" --period 2026-01 \
    --format csv "$@" > "$tmp/$name.csv"
  read -r _ wall cpu _ < "$tmp/rep"
  eval "old_wall=\${${name}_wall:-} old_cpu=\${${name}_cpu:-}"
  if [ -z "$old_wall" ] || awk -v a="$wall" -v b="$old_wall" 'BEGIN { exit !(a + 0 < b + 0) }'; then
    eval "${name}_wall=$wall"
  fi
  if [ -z "$old_cpu" ] || awk -v a="$cpu" -v b="$old_cpu" 'BEGIN { exit !(a + 0 < b + 0) }'; then
    eval "${name}_cpu=$cpu"
  fi
}
k=0
while [ "$k" -lt "$repeat" ]; do
  run plain
  run exposure --exposure covered
  k=$((k + 1))
done

# cents FILE: the sum of the account rows' credit_amount, in cents
cents() { awk -F, 'NR > 1 && $4 == "account" { split($14, a, "."); c += a[1] * 100 + a[2] } END { printf "%d\n", c }' "$1"; }
# the exposure's row N (policy,period,currency,accounts,further_minutes,change,accounts_changed,total,...)
row() { sed -n "$(($1 + 1))p" "$tmp/exposure.csv" | cut -d, -f"$2"; }
to_cents() { awk -v v="$1" 'BEGIN { split(v, a, "."); printf "%d\n", a[1] * 100 + a[2] }'; }
ok=yes
[ "$(to_cents "$(row 1 8)")" = "$(cents "$tmp/plain.csv")" ] || { ok=no; echo "exposure.sh: the total now differs from the plain evaluation's" >&2; }
d=$(row 3 5)
"$slac" eval "$saleor" "$inc" --accounts "$acc" --period 2026-01 --format csv --what-if "covered=+${d}m" > "$tmp/whatif.csv"
[ "$(to_cents "$(row 3 8)")" = "$(cents "$tmp/whatif.csv")" ] || { ok=no; echo "exposure.sh: the total at +$d min differs from --what-if's" >&2; }
steps=$(($(wc -l < "$tmp/exposure.csv") - 2))
r_wall=$(awk -v a="$exposure_wall" -v b="$plain_wall" 'BEGIN { printf "%.2f", a / b }')
r_cpu=$(awk -v a="$exposure_cpu" -v b="$plain_cpu" 'BEGIN { printf "%.2f", a / b }')
verdict=$(awk -v r="$r_wall" 'BEGIN { print (r + 0 <= 2 ? "met" : "NOT met") }')
printf 'exposure, %s accounts, %s incidents in one month: eval %.2f s wall (%.2f s CPU), eval --exposure %.2f s wall (%.2f s CPU), best of %s; exposure / eval = %s wall, %s CPU (target <= 2): %s; %s steps; totals now and at +%s min %s\n' \
  "$ACC" "$ROWS" "$plain_wall" "$plain_cpu" "$exposure_wall" "$exposure_cpu" "$repeat" "$r_wall" "$r_cpu" \
  "$verdict" "$steps" "$d" "$([ $ok = yes ] && echo "agree with eval and --what-if" || echo DIFFER)"
[ $ok = yes ]
