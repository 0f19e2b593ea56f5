#!/bin/sh
# run.sh - the slac benchmark (issues 7 and 21; docs/performance.md).
# Generated data (tests/bench/gen.c), and on the same files in the same run:
# slac, `wc -l` (the floor), an awk script, SQLite, Python, DuckDB (two
# threads, exact SQL: *-duckdb.sql) and PostgreSQL 15 (a throwaway
# cluster, exact SQL with numeric: *-pg.sql) computing the same results.
# Every peer that computes exactly must give slac's numbers (per account and
# month: error rate or unavailable minutes, uptime, tier, amount).
#
#   sh tests/bench/run.sh [--size small|full] [--smoke] [--repeat N]
#                         [--slac PATH --gen PATH] [--data DIR] [--npm DIR]
#   sh tests/bench/run.sh --adversarial [--smoke] [...]
#
#   --adversarial the hostile inputs of issue 15 instead, each at four sizes
#                 doubling (tests/bench/adversarial.sh says more)
#   --size full   (default) windows >= 200 MB, 10M and 5M incidents over
#                 100,000 accounts, memory at 10,000 accounts, 1,000,000
#                 accounts x 4 windows with 1, the default and 2 threads, a
#                 10,000-line policy, eval --exposure over 100,000 accounts
#                 (exposure.sh); about 20 to 30 minutes on 2 cores
#   --size small  the same shapes, about 10x smaller (a few minutes)
#   --smoke       tiny sizes for CI (ctest bench_smoke, seconds): checks that
#                 the peers agree with slac; targets are shown, not enforced
#   --repeat N    runs of slac and wc per file, the best is kept (default 3;
#                 1 for --smoke); the peers run once
#   --slac, --gen the binaries; without them, slac and slac_gen are built
#                 (Release) in build-bench/ of the repository
#   --data DIR    where the generated files go (default /tmp/slac-bench-SIZE);
#                 files already there are reused (the generator is
#                 deterministic)
#   --npm DIR     where DuckDB's npm package is installed (default
#                 build-bench/npm of the repository; reused when present)
#
# Installs what it needs with apt-get when it is missing and the script runs
# as root (sqlite3, mawk, python3, time); otherwise, and always with
# --smoke, a missing tool's peer is skipped with a visible note.  DuckDB
# (@duckdb/node-api from the npm registry) and PostgreSQL (scripts/deps.sh
# installs postgresql-15, node and npm) are not optional: when they cannot
# run, the run fails.  PostgreSQL is timed on the query alone, the COPY
# that loads the tables apart (in the result column); its CPU time and
# memory are the server's, not measured (shown as -).  Times are
# wall seconds and CPU seconds (user + system, of the command and its
# children).  The window targets compare wall time (slac reads a large
# windows file with one thread per core: the time a user waits); the
# linearity of incidents compares CPU time, which a shared machine
# disturbs less.
# The last line is "N passed, N failed" (the agreement checks).
set -eu
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
size=full slac='' gen='' data='' repeat='' npm_dir=''
case " $* " in
  *" --adversarial "*) exec sh "$here/adversarial.sh" "$@" ;;
esac
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=${2:?--size needs a value}; shift 2 ;;
    --smoke) size=smoke; shift ;;
    --repeat) repeat=${2:?}; shift 2 ;;
    --slac) slac=${2:?}; shift 2 ;;
    --gen) gen=${2:?}; shift 2 ;;
    --data) data=${2:?}; shift 2 ;;
    --npm) npm_dir=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# ---- sizes ---------------------------------------------------------------
# W_*: request windows (Piwik PRO); I_*: incidents (Saleor), I_PEER rows for
# awk and Python, I_SQL for SQLite (at 10M rows it took 12 minutes and 4.5 GB
# on the reference machine, so the full size times it at 1M rows); M_*:
# memory (windows, same accounts, two lengths); P_LINES: the policy for
# `slac check`.
case $size in
  smoke) W_ACC=4 W_MONTHS=1 I_ACC=300 I_ROWS=4000 I_MONTHS=3 I_PEER=4000 I_SQL=4000
         M_ACC=50 M_DAYS1=1 M_DAYS2=2 P_LINES=2000 A_ACC=2000; : "${repeat:=1}" ;;
  small) W_ACC=60 W_MONTHS=1 I_ACC=10000 I_ROWS=1000000 I_MONTHS=12 I_PEER=1000000 I_SQL=1000000
         M_ACC=1000 M_DAYS1=1 M_DAYS2=4 P_LINES=10000 A_ACC=100000; : "${repeat:=3}" ;;
  full)  W_ACC=520 W_MONTHS=1 I_ACC=100000 I_ROWS=10000000 I_MONTHS=12 I_PEER=10000000 I_SQL=1000000
         M_ACC=10000 M_DAYS1=1 M_DAYS2=4 P_LINES=10000 A_ACC=1000000; : "${repeat:=3}" ;;
  *) echo "run.sh: --size is smoke, small or full" >&2; exit 2 ;;
esac
I_HALF=$((I_ROWS / 2))
SEED=1
: "${data:=/tmp/slac-bench-$size}"
mkdir -p "$data"
scratch bench-run
work=$tmp

have() { command -v "$1" >/dev/null 2>&1; }

# ---- tools -----------------------------------------------------------------
if [ -z "$slac" ] || [ -z "$gen" ]; then
  build=$root/build-bench
  if [ "$(id -u)" = 0 ] && have apt-get; then sh "$root/scripts/deps.sh"; fi
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target slac_cli slac_gen >/dev/null
  slac=$build/slac gen=$build/tests/bench/slac_gen
fi

missing=
have sqlite3 || missing="$missing sqlite3"
have mawk || have gawk || have awk || missing="$missing mawk"
have python3 || missing="$missing python3"
[ -x /usr/bin/time ] || missing="$missing time"
if [ -n "$missing" ] && [ "$size" != smoke ] && [ "$(id -u)" = 0 ] && have apt-get; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get update -qq && apt-get install -y -qq $missing >/dev/null
fi
if have mawk; then AWK='mawk'; elif have gawk; then AWK='gawk'; else AWK='awk'; fi
skip_note=
have sqlite3 || skip_note="$skip_note sqlite3"
have python3 || skip_note="$skip_note python3"

# DuckDB, pinned, from the npm registry (installed once into $npm_dir)
DUCKDB_PACKAGE=@duckdb/node-api@1.5.6-r.1
: "${npm_dir:=$root/build-bench/npm}"
mkdir -p "$npm_dir" && npm_dir=$(cd "$npm_dir" && pwd)
if [ ! -f "$npm_dir/node_modules/@duckdb/node-api/package.json" ]; then
  if ! npm install --silent --no-audit --no-fund --prefix "$npm_dir" "$DUCKDB_PACKAGE" > "$work/npm.log" 2>&1; then
    echo "run.sh: npm install $DUCKDB_PACKAGE failed:" >&2
    cat "$work/npm.log" >&2
    exit 1
  fi
fi
duckdb_version=$(printf 'SELECT version();\n' > "$work/v.sql" && node "$here/duckdb.mjs" "$npm_dir/node_modules" "$work/v.sql") ||
  { echo "run.sh: DuckDB does not run" >&2; exit 1; }

# PostgreSQL: a throwaway cluster for the run (tests/pg/cluster.sh), both
# cores for parallel query (the default max_parallel_workers_per_gather)
. "$root/tests/pg/cluster.sh"
chmod 755 "$work"
mkdir -p "$work/pg"
trap 'pg_cluster_stop "$work/pg"; [ -n "${SLAC_BENCH_KEEP:-}" ] || rm -rf "$work"' EXIT INT TERM
pg_cluster_start "$work/pg" -c shared_buffers=512MB -c work_mem=256MB -c jit=off ||
  { echo "run.sh: the PostgreSQL cluster did not start" >&2; exit 1; }
pgsql() { PGOPTIONS='-c client_min_messages=warning' "$PG_BIN/psql" -X -q -h "$work/pg" -U slac -d postgres \
  -v ON_ERROR_STOP=1 -t -A "$@"; }
pg_version=$(pgsql -c 'SHOW server_version')
# pg_load TABLE FILE COLUMNS: (re)load a table with \copy; sets PG_LOAD (s)
pg_load() {
  t0=$(date +%s.%N)
  pgsql -c "DROP TABLE IF EXISTS $1" -c "CREATE TABLE $1 ($3)" -c "\\copy $1 FROM '$2' CSV HEADER" \
    -c "VACUUM ANALYZE $1" >/dev/null
  PG_LOAD=$(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.2f", $2 - $1 }')
}
PG_ACCOUNTS='account text, fee numeric, currency text, plan text'
PG_WINDOWS='account text, service text, start timestamptz, requests bigint, errors bigint'
PG_INCIDENTS='id text, account text, service text, start timestamptz, "end" timestamptz, cause text, note text'

# ---- the machine -------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
echo "slac benchmark, size $size, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc 2>/dev/null || echo '?') cores, ${cpu:-unknown CPU}, ${mem:-? memory}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "peers: $AWK ($($AWK -W version 2>/dev/null | head -1 || true))${skip_note:+; skipped (not installed):$skip_note}"
if have sqlite3; then echo "       sqlite3 $(sqlite3 --version | cut -d' ' -f1)"; fi
if have python3; then echo "       $(python3 --version 2>&1)"; fi
echo "       DuckDB $duckdb_version ($DUCKDB_PACKAGE, 2 threads), PostgreSQL $pg_version"

# ---- data ------------------------------------------------------------------
# gen FILE KIND ARGS...: generate once (into a temporary name, then renamed).
generate() {
  f=$data/$1; shift
  if [ ! -s "$f" ]; then
    "$gen" "$@" --seed "$SEED" -o "$f.tmp"
    mv "$f.tmp" "$f"
  fi
}
W=windows-a$W_ACC-m$W_MONTHS.csv WA=accounts-a$W_ACC-usd-eur.csv
IB=incidents-a$I_ACC-r$I_ROWS-m$I_MONTHS.csv IH=incidents-a$I_ACC-r$I_HALF-m$I_MONTHS.csv
IP=incidents-a$I_ACC-r$I_PEER-m$I_MONTHS.csv IA=accounts-a$I_ACC-usd.csv
IS=incidents-a$I_ACC-r$I_SQL-m$I_MONTHS.csv
MANY=windows-a$A_ACC-s4.csv
M1=windows-a$M_ACC-d$M_DAYS1.csv M2=windows-a$M_ACC-d$M_DAYS2.csv MA=accounts-a$M_ACC-usd-eur.csv
P=policy-l$P_LINES.sla
echo "generating data in $data (reused when present) ..."
generate "$W" windows --accounts "$W_ACC" --months "$W_MONTHS"
generate "$WA" accounts --accounts "$W_ACC" --currencies USD,EUR
generate "$IB" incidents --accounts "$I_ACC" --rows "$I_ROWS" --months "$I_MONTHS"
generate "$IH" incidents --accounts "$I_ACC" --rows "$I_HALF" --months "$I_MONTHS"
generate "$IP" incidents --accounts "$I_ACC" --rows "$I_PEER" --months "$I_MONTHS"
generate "$IS" incidents --accounts "$I_ACC" --rows "$I_SQL" --months "$I_MONTHS"
generate "$IA" accounts --accounts "$I_ACC"
generate "$M1" windows --accounts "$M_ACC" --days "$M_DAYS1"
generate "$M2" windows --accounts "$M_ACC" --days "$M_DAYS2"
generate "$MA" accounts --accounts "$M_ACC" --currencies USD,EUR
generate "$P" policy --lines "$P_LINES"
generate "$MANY" windows --accounts "$A_ACC" --steps 4
mib() { awk -v b="$(wc -c < "$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
rows() { awk -v n="$(wc -l < "$1")" 'BEGIN { printf "%d", n - 1 }'; }
echo "  windows    $W: $(mib "$data/$W"), $(rows "$data/$W") rows, $W_ACC accounts"
echo "  incidents  $IB: $(mib "$data/$IB"), $I_ACC accounts; $IH: $(mib "$data/$IH")"
[ "$IP" = "$IB" ] || echo "  incidents  $IP (awk, Python): $(mib "$data/$IP")"
[ "$IS" = "$IB" ] || echo "  incidents  $IS (SQLite): $(mib "$data/$IS")"
echo "  memory     $M1: $(mib "$data/$M1"); $M2: $(mib "$data/$M2"); $M_ACC accounts"
echo "  policy     $P: $(wc -l < "$data/$P") lines"
echo "  accounts   $MANY: $(mib "$data/$MANY"), $A_ACC accounts x 4 windows"

# ---- measuring ------------------------------------------------------------------
# measure OUT CMD...: run once; sets T_WALL, T_CPU (seconds), T_RSS (KiB).
measure() {
  out=$1; shift
  if ! "$gen" time "$work/rep" "$@" > "$out" 2> "$work/err"; then
    echo "FAILED: $*" >&2
    head -5 "$work/err" >&2
    return 1
  fi
  read -r _ T_WALL T_CPU T_RSS < "$work/rep"
}
# best N OUT CMD...: N runs, keeping the least CPU time and the least wall
# time (each the best of the runs) and the largest RSS.
best() {
  n=$1; shift
  b_cpu='' b_wall='' b_rss=''
  k=0
  while [ "$k" -lt "$n" ]; do
    measure "$@" || return 1
    if [ -z "$b_cpu" ] || awk -v a="$T_CPU" -v b="$b_cpu" 'BEGIN { exit !(a + 0 < b + 0) }'; then
      b_cpu=$T_CPU
    fi
    if [ -z "$b_wall" ] || awk -v a="$T_WALL" -v b="$b_wall" 'BEGIN { exit !(a + 0 < b + 0) }'; then
      b_wall=$T_WALL
    fi
    if [ -z "$b_rss" ] || [ "$T_RSS" -gt "$b_rss" ]; then b_rss=$T_RSS; fi
    k=$((k + 1))
  done
  T_CPU=$b_cpu T_WALL=$b_wall T_RSS=$b_rss
}

results=$work/results   # workload|tool|wall|cpu|rss_kib|note
record() { echo "$1|$2|$T_WALL|$T_CPU|$T_RSS|$3" >> "$results"; }
# canon SLAC_CSV: slac's --format csv as account,period,metric,uptime,credit%,amount
# (the policies have one service: its row gives the metric and the uptime,
# the account's row after it the credit percent and the amount)
canon() {
  awk -F, 'NR > 1 && $4 == "service" { m = ($6 != "" ? $6 : $7); u = $9 }
           NR > 1 && $4 == "account" { print $2 "," $3 "," m "," u "," $13 "," $14 }' "$1" |
    LC_ALL=C sort
}
# check NAME PEER_OUT SLAC_CANON EXACT: compare; EXACT=no only reports.
check() {
  LC_ALL=C sort "$2" > "$2.sorted"
  total=$(wc -l < "$3")
  if cmp -s "$2.sorted" "$3"; then
    CHECK="same numbers as slac ($total rows)"
    [ "$4" = yes ] && case_passed
  else
    differ=$(LC_ALL=C comm -23 "$3" "$2.sorted" | wc -l)
    CHECK="DIFFERS from slac: $differ of $total rows"
    if [ "$4" = yes ]; then
      case_failed
      echo "FAIL: $1 differs from slac ($differ of $total rows), first differences:" >&2
      LC_ALL=C diff "$3" "$2.sorted" | head -6 >&2
    fi
  fi
  [ "$4" = yes ] || CHECK="not exact (doubles): ${CHECK#DIFFERS from slac: }"
  case $CHECK in "not exact (doubles): same numbers"*) CHECK="not exact (doubles), but same numbers as slac here" ;; esac
  if grep -q undecided "$2"; then CHECK="$CHECK; undecided rows: $(grep -c undecided "$2")"; fi
}
bad_run() { case_failed; echo "FAIL: $1" >&2; }

piwik=$root/policies/piwik-pro.sla saleor=$root/policies/saleor.sla

# ---- (a) request windows, Piwik PRO ---------------------------------------------------
echo "(a) request windows ..."
f=$data/$W acc=$data/$WA
best "$repeat" "$work/w.slac" "$slac" eval "$piwik" "$f" --accounts "$acc" --format csv
canon "$work/w.slac" > "$work/w.canon"
record windows slac "$(rows "$f") rows"
best "$repeat" "$work/w.wc" wc -l "$f"
record windows "wc -l" "the floor: reads the file once"
best "$repeat" "$work/w.awk" "$AWK" -f "$here/windows.awk" "$acc" "$f"
check "windows awk" "$work/w.awk" "$work/w.canon" no
record windows "$AWK" "$CHECK"
if have python3; then
  measure "$work/w.py" python3 "$here/peer.py" windows "$acc" "$f"
  check "windows python" "$work/w.py" "$work/w.canon" yes
  record windows python3 "$CHECK"
else echo "windows|python3|-|-|-|skipped: python3 not installed" >> "$results"; fi
if have sqlite3; then
  measure "$work/w.sql" sqlite3 -cmd ".import --csv \"$acc\" accounts" \
    -cmd ".import --csv \"$f\" win" < "$here/windows.sql"
  check "windows sqlite" "$work/w.sql" "$work/w.canon" yes
  record windows sqlite3 "$CHECK"
else echo "windows|sqlite3|-|-|-|skipped: sqlite3 not installed" >> "$results"; fi
measure "$work/w.duck" node "$here/duckdb.mjs" "$npm_dir/node_modules" "$here/windows-duckdb.sql" \
  ACCOUNTS="$acc" WINDOWS="$f" THREADS=2
check "windows duckdb" "$work/w.duck" "$work/w.canon" yes
record windows duckdb "$CHECK"
pg_load accounts "$acc" "$PG_ACCOUNTS"
pg_load windows "$f" "$PG_WINDOWS"
measure "$work/w.pg" "$PG_BIN/psql" -X -q -h "$work/pg" -U slac -d postgres -v ON_ERROR_STOP=1 -t -A \
  -f "$here/windows-pg.sql"
T_CPU=- T_RSS=-
check "windows postgresql" "$work/w.pg" "$work/w.canon" yes
record windows postgresql "$CHECK; load (COPY) $PG_LOAD s apart"

# ---- (b) incidents, Saleor ---------------------------------------------------------------
echo "(b) incidents ..."
acc=$data/$IA
k=0 c_big='' c_half='' w_big='' w_half=''
while [ "$k" -lt "$repeat" ]; do   # alternate the two sizes, so drift hits both
  measure "$work/ih.slac" "$slac" eval "$saleor" "$data/$IH" --accounts "$acc" --format csv
  if [ -z "$c_half" ] || awk -v a="$T_CPU" -v b="$c_half" 'BEGIN { exit !(a + 0 < b + 0) }'; then
    c_half=$T_CPU w_half=$T_WALL r_half=$T_RSS
  fi
  measure "$work/ib.slac" "$slac" eval "$saleor" "$data/$IB" --accounts "$acc" --format csv
  if [ -z "$c_big" ] || awk -v a="$T_CPU" -v b="$c_big" 'BEGIN { exit !(a + 0 < b + 0) }'; then
    c_big=$T_CPU w_big=$T_WALL r_big=$T_RSS
  fi
  k=$((k + 1))
done
T_CPU=$c_big T_WALL=$w_big T_RSS=$r_big
record "incidents $I_ROWS" slac "$I_ACC accounts, $I_MONTHS months"
T_CPU=$c_half T_WALL=$w_half T_RSS=$r_half
record "incidents $I_HALF" slac "linearity: $I_ROWS rows / $I_HALF rows"
# threads never change the report: one thread's must be byte-identical
measure "$work/ib1.slac" "$slac" eval "$saleor" "$data/$IB" --accounts "$acc" --format csv --jobs 1
record "incidents $I_ROWS" "slac --jobs 1" "the same report as the default (threads on files of 16 MiB and more), byte for byte"
if cmp -s "$work/ib1.slac" "$work/ib.slac"; then case_passed
else bad_run "incidents: --jobs 1 and the default give different reports"; fi
best "$repeat" "$work/ib.wc" wc -l "$data/$IB"
record "incidents $I_ROWS" "wc -l" "the floor"
# peer_slac ROWS FILE: slac's canonical output at the size a peer is timed
# at (measured and recorded when that is not the 10M/5M file); sets PCANON.
peer_slac() {
  if [ "$2" = "$IB" ]; then
    PCANON=$work/ib.canon PLABEL="incidents $I_ROWS"
    [ -s "$PCANON" ] || canon "$work/ib.slac" > "$PCANON"
  else
    PCANON=$work/i$1.canon PLABEL="incidents $1"
    if [ ! -s "$PCANON" ]; then
      best "$repeat" "$work/i$1.slac" "$slac" eval "$saleor" "$data/$2" --accounts "$acc" --format csv
      canon "$work/i$1.slac" > "$PCANON"
      record "$PLABEL" slac "the same accounts and months, for the peers below"
    fi
  fi
}
peer_slac "$I_PEER" "$IP"
measure "$work/ip.awk" "$AWK" -f "$here/incidents.awk" "$acc" "$data/$IP"
check "incidents awk" "$work/ip.awk" "$PCANON" yes
record "$PLABEL" "$AWK" "$CHECK"
if have python3; then
  measure "$work/ip.py" python3 "$here/peer.py" incidents "$acc" "$data/$IP"
  check "incidents python" "$work/ip.py" "$PCANON" yes
  record "$PLABEL" python3 "$CHECK"
else echo "$PLABEL|python3|-|-|-|skipped: python3 not installed" >> "$results"; fi
if have sqlite3; then
  peer_slac "$I_SQL" "$IS"
  measure "$work/is.sql" sqlite3 -cmd ".import --csv \"$acc\" accounts" \
    -cmd ".import --csv \"$data/$IS\" inc" < "$here/incidents.sql"
  check "incidents sqlite" "$work/is.sql" "$PCANON" yes
  record "$PLABEL" sqlite3 "$CHECK"
else echo "incidents $I_SQL|sqlite3|-|-|-|skipped: sqlite3 not installed" >> "$results"; fi
# DuckDB at the full size, and at the SQL peers' size when that differs
measure "$work/ib.duck" node "$here/duckdb.mjs" "$npm_dir/node_modules" "$here/incidents-duckdb.sql" \
  ACCOUNTS="$acc" INCIDENTS="$data/$IB" THREADS=2
peer_slac "$I_ROWS" "$IB"
check "incidents duckdb" "$work/ib.duck" "$PCANON" yes
record "$PLABEL" duckdb "$CHECK"
peer_slac "$I_SQL" "$IS"
if [ "$IS" != "$IB" ]; then
  measure "$work/is.duck" node "$here/duckdb.mjs" "$npm_dir/node_modules" "$here/incidents-duckdb.sql" \
    ACCOUNTS="$acc" INCIDENTS="$data/$IS" THREADS=2
  check "incidents duckdb" "$work/is.duck" "$PCANON" yes
  record "$PLABEL" duckdb "$CHECK"
fi
pg_load accounts "$acc" "$PG_ACCOUNTS"
pg_load inc "$data/$IS" "$PG_INCIDENTS"
measure "$work/is.pg" "$PG_BIN/psql" -X -q -h "$work/pg" -U slac -d postgres -v ON_ERROR_STOP=1 -t -A \
  -f "$here/incidents-pg.sql"
T_CPU=- T_RSS=-
check "incidents postgresql" "$work/is.pg" "$PCANON" yes
record "$PLABEL" postgresql "$CHECK; load (COPY) $PG_LOAD s apart"
pgsql -c 'DROP TABLE inc' -c 'DROP TABLE windows' >/dev/null

# ---- (c) memory ----------------------------------------------------------------------------
echo "(c) memory ..."
rss_of() { # FILE -> T_RSS from /usr/bin/time -v when present
  if [ -x /usr/bin/time ]; then
    measure "$work/m.out" /usr/bin/time -v -o "$work/tv" "$slac" eval "$piwik" "$1" \
      --accounts "$data/$MA" --format csv
    T_RSS=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/tv")
  else
    measure "$work/m.out" "$slac" eval "$piwik" "$1" --accounts "$data/$MA" --format csv
  fi
}
rss_of "$data/$M1"; rss1=$T_RSS
record "memory $M_DAYS1 day" slac "$M_ACC accounts, $(mib "$data/$M1")"
rss_of "$data/$M2"; rss2=$T_RSS
record "memory $M_DAYS2 days" slac "$M_ACC accounts, $(mib "$data/$M2")"

# ---- (e) many accounts: threads never slower, memory the same -----------------------------
echo "(e) many accounts ..."
for jobs in 1 default 2; do
  opt=; [ "$jobs" = default ] || opt="--jobs $jobs"
  # shellcheck disable=SC2086
  best "$repeat" "$work/e.out" "$slac" eval "$piwik" "$data/$MANY" $opt --format csv
  record "accounts $A_ACC" "slac --jobs $jobs" "$A_ACC accounts x 4 windows, $(mib "$data/$MANY")"
done

# ---- (d) slac check ------------------------------------------------------------------------
echo "(d) check ..."
if best 10 "$work/p.out" "$slac" check "$data/$P"; then
  case_passed
else
  bad_run "slac check $P"
fi
record "check $P_LINES lines" slac "best of 10 runs"

# ---- (f) exposure: eval --exposure against the plain eval (tests/bench/exposure.sh) ----------
echo "(f) exposure ..."
if x_line=$(sh "$here/exposure.sh" --slac "$slac" --gen "$gen" --size "$size" --data "$data" --repeat "$repeat"); then
  case_passed
else
  bad_run "the exposure's totals differ from eval's and --what-if's"
fi

# ---- the table ---------------------------------------------------------------------------------
echo
echo "| workload | tool | wall s | wall / slac wall | CPU s | CPU / slac CPU | max RSS MiB | result |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
awk -F'|' '
  function ratio(x, b) { return (x == "-" || b == "" || b <= 0) ? "" : sprintf("%.2f", x / b) }
  { w[NR] = $1; t[NR] = $2; wall[NR] = $3; cpu[NR] = $4; rss[NR] = $5; note[NR] = $6
    if ($2 == "slac" && !($1 in bcpu)) { bcpu[$1] = $4; bwall[$1] = $3 } }
  END {
    for (i = 1; i <= NR; i++) {
      rw = ratio(wall[i], bwall[w[i]]); rc = ratio(cpu[i], bcpu[w[i]])
      if (t[i] == "slac") rw = rc = "1"
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", w[i], t[i],
        (wall[i] == "-" ? "-" : sprintf("%.3f", wall[i])), rw, (cpu[i] == "-" ? "-" : sprintf("%.3f", cpu[i])),
        rc, (rss[i] == "-" ? "-" : sprintf("%.1f", rss[i] / 1024)), note[i]
    }
  }' "$results"

# ---- targets --------------------------------------------------------------------------------------
get() { awk -F'|' -v w="$1" -v t="$2" -v c="$3" '$1 == w && $2 == t { print $c; exit }' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 <= 0) print "n/a"; else printf "%.2f", a / b }'; }
verdict() { awk -v x="$1" -v op="$2" -v y="$3" 'BEGIN {
  if (x == "n/a") { print "n/a"; exit }
  ok = (op == ">=") ? x + 0 >= y + 0 : (op == "<=") ? x + 0 <= y + 0 : x + 0 < y + 0
  print ok ? "met" : "NOT met" }'; }
# windows: wall-clock ratios (slac may use every core: the time a user
# waits), with the CPU-time ratios beside them
s_w=$(get windows slac 3) a_w=$(get windows "$AWK" 3) wc_w=$(get windows "wc -l" 3)
r_awk=$(ratio "$a_w" "$s_w") r_wc=$(ratio "$s_w" "$wc_w")
rc_awk=$(ratio "$(get windows "$AWK" 4)" "$(get windows slac 4)")
rc_wc=$(ratio "$(get windows slac 4)" "$(get windows "wc -l" 4)")
r_lin=$(ratio "$(get "incidents $I_ROWS" slac 4)" "$(get "incidents $I_HALF" slac 4)")
mem_max=$(awk -v a="$rss1" -v b="$rss2" 'BEGIN { printf "%.1f", (a > b ? a : b) / 1024 }')
chk_ms=$(awk -v s="$(get "check $P_LINES lines" slac 3)" 'BEGIN { printf "%.1f", s * 1000 }')
echo
if [ "$size" = smoke ]; then
  echo "targets (this run; not meaningful at --smoke sizes):"
else
  echo "targets (this run):"
fi
echo "  windows: awk / slac wall time = $r_awk (target >= 10): $(verdict "$r_awk" ">=" 10) (CPU time: $rc_awk)"
echo "  windows: slac / wc -l wall time = $r_wc (target <= 3): $(verdict "$r_wc" "<=" 3) (CPU time: $rc_wc)"
r_dw=$(ratio "$(get windows duckdb 3)" "$s_w")
echo "  windows: DuckDB / slac wall time = $r_dw (target >= 10): $(verdict "$r_dw" ">=" 10)"
r_di=$(ratio "$(get "incidents $I_ROWS" duckdb 3)" "$(get "incidents $I_ROWS" slac 3)")
echo "  incidents $I_ROWS: DuckDB / slac wall time = $r_di (target >= 3): $(verdict "$r_di" ">=" 3)"
if [ "$IS" != "$IB" ]; then
  r_ds=$(ratio "$(get "incidents $I_SQL" duckdb 3)" "$(get "incidents $I_SQL" slac 3)")
  echo "  incidents $I_SQL: DuckDB / slac wall time = $r_ds (target >= 3): $(verdict "$r_ds" ">=" 3)"
fi
echo "  incidents: slac CPU time $I_ROWS / $I_HALF rows = $r_lin (target <= 2.1): $(verdict "$r_lin" "<=" 2.1)"
echo "  memory: max RSS $(awk -v a="$rss1" 'BEGIN { printf "%.1f", a / 1024 }') MiB ($M_DAYS1 day)," \
  "$(awk -v a="$rss2" 'BEGIN { printf "%.1f", a / 1024 }') MiB ($M_DAYS2 days) (target <= 64, independent of size): $(verdict "$mem_max" "<=" 64)"
echo "  check: $chk_ms ms wall, best of 10 (target < 50): $(verdict "$chk_ms" "<" 50)"
e1=$(get "accounts $A_ACC" "slac --jobs 1" 3) ed=$(get "accounts $A_ACC" "slac --jobs default" 3)
r_e=$(ratio "$ed" "$e1")
echo "  $A_ACC accounts: default / --jobs 1 wall time = $r_e (target <= 1, within 5% of noise: 1.05): $(verdict "$r_e" "<=" 1.05)"
e_rss=$(awk -F'|' -v w="accounts $A_ACC" '$1 == w && $5 + 0 > m { m = $5 + 0 } END { printf "%.1f", m / 1024 }' "$results")
echo "  $A_ACC accounts: max RSS with --jobs 1, default, 2 = $e_rss MiB (target <= 300 at 1000000): $(verdict "$e_rss" "<=" 300)"
echo "  ${x_line:-exposure: no figure (the run failed)}"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
counts_line
