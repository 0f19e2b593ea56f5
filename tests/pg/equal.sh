#!/bin/sh
# equal.sh - slac_outcomes equals `slac eval --format jsonl` on the same
# files: the shipped examples and every corpus case, each loaded into
# tables and evaluated in one group; the outcomes compare as jsonb values
# (exact decimal strings stay strings), as sets of account-months.  Where
# there are request windows, slac_window_sums with slac_evaluate (the
# other rows as an array) must give the same outcomes too, or refuse with
# one of the messages of docs/postgresql.md, "Window sums".
#   sh tests/pg/equal.sh SLAC SOURCE_COPY CLUSTER_DIR   (run.sh calls it)
set -u
slac=$1 src=$2 cluster=$3
. "$(dirname "$0")/cluster.sh"
pass=0 fail=0 skipped=0 sums=0 refused=0
psql_c() { pg_cluster_psql "$cluster" -d postgres "$@"; }

# SQL that loads a CSV file FILE into table NAME (every column text) and
# prints the slac_row expression for it, by its header.
load() { # load FILE NAME
  header=$(head -1 "$1" | tr -d '\r')
  cols=$(echo "$header" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
  echo "CREATE TEMP TABLE $2 ($cols); COPY $2 FROM '$1' CSV HEADER;"
}
has() { echo ",$1," | grep -q ",$2,"; }
row_of() { # the slac_row expression for a table with header H
  h=$1 acct="'default'"
  has "$h" account && acct=account
  if has "$h" requests; then
    echo "slac_window($acct, service, start::timestamptz, requests::bigint, errors::bigint)"
  elif has "$h" ok; then
    echo "slac_probe($acct, service, \"time\"::timestamptz, ok::boolean)"
  else
    ann=NULL
    has "$h" announced && ann="NULLIF(announced, '')::timestamptz"
    echo "slac_incident($acct, service, start::timestamptz, \"end\"::timestamptz, cause, $ann)"
  fi
}

check() { # check NAME DIR POLICY ARGS...
  name=$1 dir=$2 policy=$3; shift 3
  sql="SET client_min_messages = error; CREATE EXTENSION IF NOT EXISTS slac; CREATE TEMP TABLE pol AS SELECT slac_compile(pg_read_file('$policy')) AS b;"
  union="" period="NULL" n=0 accounts="" wins="" others=""
  while [ $# -gt 0 ]; do
    case $1 in
      --accounts) accounts=$dir/$2; shift 2 ;;
      --period) period="'$2'"; shift 2 ;;
      --claims|--history|--jobs|--column|--timestamps|--component|--prom-*)
        echo "skip $name: $1 is not an input of the extension (docs/postgresql.md)"
        skipped=$((skipped + 1)); return ;;
      -*) echo "skip $name: option $1"; skipped=$((skipped + 1)); return ;;
      *) n=$((n + 1)); f=$dir/$1
         if head -1 "$f" | grep -q 'errors_'; then
           echo "skip $name: request windows with error kinds ($1) are not an input of the extension"
           skipped=$((skipped + 1)); return
         fi
         sql="$sql $(load "$f" "d$n")"
         h=$(head -1 "$f" | tr -d '\r')
         union="$union UNION ALL SELECT $(row_of "$h") FROM d$n"
         if has "$h" requests; then
           acct="'default'"; has "$h" account && acct=account
           wins="$wins UNION ALL SELECT $acct, service, start::timestamptz, requests::bigint, errors::bigint FROM d$n"
         else
           others="$others UNION ALL SELECT $(row_of "$h") FROM d$n"
         fi
         shift ;;
    esac
  done
  if [ -n "$accounts" ]; then
    h=$(head -1 "$accounts" | tr -d '\r')
    for c in $(echo "$h" | tr ',' ' '); do
      case $c in account|fee|currency|plan|standing|service) ;;
        *) echo "skip $name: the accounts column '$c' is not an input of the extension"
           skipped=$((skipped + 1)); return ;;
      esac
    done
    opt() { if has "$h" "$1"; then echo "NULLIF($1, '')"; else echo NULL; fi; }
    sql="$sql $(load "$accounts" acc)"
    union="$union UNION ALL SELECT slac_account(account, fee::numeric, currency, $(opt plan), $(opt standing), $(opt service)) FROM acc"
    others="$others UNION ALL SELECT slac_account(account, fee::numeric, currency, $(opt plan), $(opt standing), $(opt service)) FROM acc"
  fi
  expected=$(mktemp)
  # the command line on the same arguments (CLI_ARGS: the loop consumed "$@")
  (cd "$dir" && eval "\"$slac\" eval $cli_args --format jsonl") >"$expected" 2>/dev/null
  chmod a+r "$expected"
  sql="$sql CREATE TEMP TABLE cli (line text); COPY cli FROM '$expected' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02');
    CREATE TEMP TABLE got AS SELECT jsonb_array_elements(slac_outcomes(pol.b, $period, r.data)) AS o
      FROM pol, (${union# UNION ALL}) r(data) GROUP BY pol.b;
    SELECT (SELECT count(*) FROM cli) || ' ' || (SELECT count(*) FROM got) || ' ' ||
           (SELECT count(*) FROM ((SELECT line::jsonb FROM cli EXCEPT ALL SELECT o FROM got)
                                  UNION ALL (SELECT o FROM got EXCEPT ALL SELECT line::jsonb FROM cli)) d);"
  result=$(echo "$sql" | psql_c -t -A 2>&1 | grep -v "^HINT\|^CONTEXT" | tail -1)
  if [ -n "$wins" ]; then
    rest="NULL"
    [ -n "$others" ] && rest="(SELECT array_agg(x) FROM (${others# UNION ALL}) o(x))"
    sums_sql="$sql DROP TABLE got; CREATE TEMP TABLE got AS SELECT jsonb_array_elements(slac_evaluate(
        (SELECT slac_window_sums(pol.b, w.a, w.s, w.t, w.r, w.e) FROM (${wins# UNION ALL}) w(a, s, t, r, e)),
        $period, $rest)) AS o FROM pol;
      SELECT (SELECT count(*) FROM cli) || ' ' || (SELECT count(*) FROM got) || ' ' ||
           (SELECT count(*) FROM ((SELECT line::jsonb FROM cli EXCEPT ALL SELECT o FROM got)
                                  UNION ALL (SELECT o FROM got EXCEPT ALL SELECT line::jsonb FROM cli)) d);"
    sums_result=$(echo "$sums_sql" | psql_c -t -A 2>&1 | grep -v "^HINT\|^CONTEXT" | tail -1)
    case $sums_result in
      *"window sums hold error-rate services only"*|*"cannot be left out of window sums"*)
        echo "sums refused $name: ${sums_result#*ERROR:  }"; refused=$((refused + 1)) ;;
      "$result")
        [ "$(echo "$result" | cut -d' ' -f3)" = 0 ] && sums=$((sums + 1)) ;;
      *) echo "FAIL $name (window sums): cli, extension, differing outcomes: $sums_result"
         fail=$((fail + 1)) ;;
    esac
  fi
  rm -f "$expected"
  set -- $result
  if [ $# -eq 3 ] && [ "$1" = "$2" ] && [ "$3" = 0 ] && [ "$1" -gt 0 ]; then
    pass=$((pass + 1))
  else
    echo "FAIL $name: cli, extension, differing outcomes: $result"
    fail=$((fail + 1))
  fi
}

for ex in saleor piwik-pro tagoio; do
  cmd=$(cat "$src/examples/$ex/command" | sed 's/--claims [^ ]*//')
  set -- $cmd
  policy=$src/policies/$(basename "$1"); shift
  cli_args="\"$policy\" $*"
  check "example $ex" "$src/examples/$ex" "$policy" "$@"
done
# the Piwik PRO example without its incidents (one of which excludes
# windows' time, which window sums refuse): the windows as rows and as sums
policy=$src/policies/piwik-pro.sla
cli_args="\"$policy\" windows.csv --accounts accounts.csv"
check "example piwik-pro, windows only" "$src/examples/piwik-pro" "$policy" windows.csv --accounts accounts.csv
for case in "$src"/tests/corpus/*/; do
  name=$(basename "$case")
  grep -q '^exit [1-9]' "$case/cmd" && { echo "skip $name: an error case"; skipped=$((skipped + 1)); continue; }
  args=$(sed -n 's/^args //p' "$case/cmd")
  set -- $args
  policy=$(echo "$1" | sed "s|\\\$POLICIES|$src/policies|"); shift
  cli_args="\"$policy\" $*"
  check "corpus $name" "${case%/}" "$policy" "$@"
done
echo "equal: $pass passed, $fail failed, $skipped skipped; window sums: $sums equal, $refused refused"
[ $fail -eq 0 ]
