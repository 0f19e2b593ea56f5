#!/bin/sh
# adversarial.sh - the adversarial benchmark (issue 15; docs/performance.md,
# docs/reliability.md): `sh tests/bench/run.sh --adversarial` runs it.
#
# For every path that a hostile input made quadratic or unbounded, the
# input of `slac_gen hostile` (tests/bench/hostile.c) at a size N and at
# 2N, 4N and 8N: the CPU time of slac (user + system, the best of the
# runs) and its peak memory at each size, and the ratio of each time to
# the one before.  Linear work doubles the time; n log n a little more;
# quadratic work quadruples it.  Every ratio must be at most 2.3 (a
# FAIL line otherwise); the peak memory of the `wide` path must not grow
# with the months.
#
#   sh tests/bench/run.sh --adversarial [--smoke] [--repeat N]
#                         [--slac PATH --gen PATH] [--data DIR]
#
#   --smoke       tiny sizes, one run each (CI: ctest bench_adversarial):
#                 every input must be converted, checked or evaluated
#                 (exit 0, output of the expected length); the ratios are
#                 printed, not judged (at these sizes they measure start-up)
#   --repeat N    runs per size, the least CPU time kept (default 3)
#
# The last line is "N passed, N failed".
set -eu
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
smoke=0 slac='' gen='' data='' repeat=''
while [ $# -gt 0 ]; do
  case $1 in
    --adversarial) shift ;;
    --smoke) smoke=1; shift ;;
    --repeat) repeat=${2:?}; shift 2 ;;
    --slac) slac=${2:?}; shift 2 ;;
    --gen) gen=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "adversarial.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$smoke" = 1 ]; then : "${repeat:=1}"; else : "${repeat:=3}"; fi
scratch bench-adversarial
: "${data:=$tmp/data}"
mkdir -p "$data"
work=$tmp

if [ -z "$slac" ] || [ -z "$gen" ]; then
  build=$root/build-bench
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target slac_cli slac_gen >/dev/null
  slac=$build/slac gen=$build/tests/bench/slac_gen
fi
saleor=$root/policies/saleor.sla piwik=$root/policies/piwik-pro.sla

# ---- the paths ---------------------------------------------------------------
# name|first size|smoke size|what (the hostile input)|the command on $f ($p: its policy)
paths='names|25000|300|incidents of N accounts whose names collide in the old account hash|eval
spans|100000|400|N disjoint incidents of one account, in random order|eval
spans2|100000|400|N disjoint incidents, the even ones in time order, then the odd ones|eval
statuspage|5000|100|one Statuspage incident of N components, two updates naming all|convert-sp
months|14998|200|request windows of one account over N months|eval
accesslog|50000|300|N access-log lines in N windows whose starts collide in the old window map|convert-log
wide|1000|60|50 services, 100 causes, an outage of N months on each service|eval
check-causes|8000|100|a policy of N causes, each declared and excluded|check
check-services|8000|100|a policy of N services|check
check-schedules|4000|60|a policy of N services, each with its own credit schedule|check
check-plans|32000|200|a policy whose `plan in` lists N plans|check
check-terms|32000|200|a policy whose service has terms for N plans|check'

# input NAME N: generate the input (once) into $f, its policy into $p.
input() {
  p=$saleor
  case $1 in
    statuspage) f=$data/$1-$2.json ;;
    accesslog) f=$data/$1-$2.log ;;
    check-*) f=$data/$1-$2.sla ;;
    *) f=$data/$1-$2.csv ;;
  esac
  case $1 in
    months|accesslog) p=$piwik ;;
    wide) p=$data/wide.sla
          [ -s "$p" ] || "$gen" hostile wide 50 100 -o "$p" ;;
  esac
  [ -s "$f" ] && return 0
  case $1 in
    wide) "$gen" hostile long "$2" 50 -o "$f.tmp" ;;
    *) "$gen" hostile "$1" "$2" -o "$f.tmp" ;;
  esac
  mv "$f.tmp" "$f"
}

# run NAME KIND: slac on $f once; sets T_CPU (seconds) and T_RSS (KiB).
run() {
  case $2 in
    eval) set -- "$slac" eval "$p" "$f" --format csv ;;
    convert-sp) set -- "$slac" convert "$p" "$f" --component '*=covered' --quiet ;;
    convert-log) set -- "$slac" convert "$p" "$f" --quiet ;;
    check) set -- "$slac" check "$f" ;;
  esac
  rc=0
  "$gen" time "$work/rep" "$@" > "$work/out" 2> "$work/err" || rc=$?
  # past 255 causes or services, or 65,534 plans in a list, a policy is
  # refused (exit 1, an error at each one too many): refusing must be as
  # fast as checking
  if [ "$2" = check ] && [ "$rc" = 1 ] &&
     grep -q -e 'is one too many$' -e 'a list of plans holds at most' "$work/err"; then rc=0; fi
  if [ "$rc" != 0 ]; then
    echo "FAILED: $*" >&2
    head -5 "$work/err" >&2
    return 1
  fi
  read -r _ _ T_CPU T_RSS < "$work/rep"
}

# expect NAME N: the output has the length the input implies (eval's csv:
# per account and month a row per service, then the account's row).
expect() {
  lines=$(wc -l < "$work/out")
  case $1 in
    names) want=$(($2 * 2 + 1)) ;;              # two rows per account, and the header
    spans|spans2) want=3 ;;                     # one account, one month (January)
    statuspage) want=2 ;;                       # one interval, naming every component
    months) want=$(($2 * 2 + 1)) ;;
    accesslog) want=$(($2 + 1)) ;;              # a window per line
    wide) want=$(($2 * 51 + 1)) ;;              # per month, 50 service rows and the account's
    check-*) want=$lines ;;                     # warnings vary; the exit status is the check
  esac
  [ "$lines" -eq "$want" ]
}

echo "slac adversarial benchmark$([ "$smoke" = 1 ] && echo ' (smoke sizes)'), $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $(nproc 2>/dev/null || echo '?') cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "best of $repeat runs; CPU seconds (user + system); ratio: time at N / time at N/2"
echo
echo "| path | input | N | CPU s | ratio | max RSS MiB |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
while IFS='|' read -r name first small what kind; do
  n=$first
  [ "$smoke" = 1 ] && n=$small
  prev='' worst=0 rss_first='' rss_last=''
  for step in 1 2 3 4; do
    input "$name" "$n"
    best='' rss=0 k=0
    while [ "$k" -lt "$repeat" ]; do
      if ! run "$name" "$kind"; then case_failed; best=x; break; fi
      if [ -z "$best" ] || awk -v a="$T_CPU" -v b="$best" 'BEGIN { exit !(a + 0 < b + 0) }'; then best=$T_CPU; fi
      [ "$T_RSS" -gt "$rss" ] && rss=$T_RSS
      k=$((k + 1))
    done
    [ "$best" = x ] && break
    if expect "$name" "$n"; then case_passed; else
      case_failed; echo "FAIL: $name at $n: $(wc -l < "$work/out") lines of output" >&2
    fi
    ratio=$(awk -v a="$best" -v b="$prev" 'BEGIN { if (b == "" || b <= 0) print "-"; else printf "%.2f", a / b }')
    [ "$ratio" != - ] && worst=$(awk -v a="$ratio" -v w="$worst" 'BEGIN { print (a > w ? a : w) }')
    [ -z "$rss_first" ] && rss_first=$rss
    rss_last=$rss
    printf '| %s | %s | %s | %.3f | %s | %.1f |\n' "$name" "$what" "$n" "$best" "$ratio" \
      "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')"
    prev=$best
    n=$((n * 2))
  done
  if [ "$smoke" = 0 ]; then
    if awk -v w="$worst" 'BEGIN { exit !(w > 2.3) }'; then
      echo "FAIL: $name: a doubling took $worst times as long (at most 2.3)" >&2
      case_failed
    fi
    # the months of `wide` must not show in its memory (1.5x for the
    # report's stdio buffers and the months list itself)
    if [ "$name" = wide ] && awk -v a="$rss_last" -v b="$rss_first" 'BEGIN { exit !(a > 1.5 * b + 8192) }'; then
      echo "FAIL: wide: peak memory grew from $rss_first KiB to $rss_last KiB with the months" >&2
      case_failed
    fi
  fi
  echo "$name $worst" >> "$work/worst"
done <<EOF
$paths
EOF
echo
echo "worst ratio per path: $(tr '\n' ' ' < "$work/worst")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
counts_line
