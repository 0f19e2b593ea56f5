#!/bin/sh
# shard.sh - beyond one server (docs/scale.md): three PostgreSQL servers
# each hold a shard of the accounts (by a hash of the account), each
# aggregates its shard into a partial state (slac_partial), the states
# travel as bytes (COPY TO STDOUT / FROM STDIN), and a fourth server merges
# them with slac_outcomes(partial): the outcomes must be those of one
# server holding every row.  The same with window sums: each shard's
# slac_window_sums, merged on the fourth server by slac_window_sums(sums),
# must be the bytes of one server's sums, and slac_evaluate of them give
# the outcomes of the rows.
#   sh tests/pg/shard.sh SLAC SOURCE_COPY TMP   (run.sh calls it; TMP/c0 runs)
set -u
slac=$1 src=$2 tmp=$3
. "$(dirname "$0")/cluster.sh"
shards=3

# Every row on every server, then each keeps its shard (SHARD of SHARDS;
# -1 keeps all): the Saleor example's files and 24 accounts of Piwik PRO
# request windows for January 2026 (214,272 rows).
load() { # load SHARD
  cat <<SQL
SET client_min_messages = error;
CREATE EXTENSION IF NOT EXISTS slac;
DROP TABLE IF EXISTS pol, acc, inc, win;
CREATE TABLE pol AS SELECT 'saleor' AS name, slac_compile(pg_read_file('$src/policies/saleor.sla')) AS b
  UNION ALL SELECT 'piwik-pro', slac_compile(pg_read_file('$src/policies/piwik-pro.sla'));
CREATE TABLE acc (policy text, account text, fee numeric, currency text);
CREATE TEMP TABLE a (account text, fee numeric, currency text);
COPY a FROM '$src/examples/saleor/accounts.csv' CSV HEADER;
INSERT INTO acc SELECT 'saleor', * FROM a;
INSERT INTO acc SELECT 'piwik-pro', 'acct' || n, 100.00 + n, 'EUR' FROM generate_series(1, 24) n;
CREATE TABLE inc (id text, account text, service text, start timestamptz, "end" timestamptz, cause text, note text);
COPY inc FROM '$src/examples/saleor/incidents.csv' CSV HEADER;
CREATE TABLE win AS
  SELECT 'acct' || a AS account, '2026-01-01T00:00:00Z'::timestamptz + w * interval '5 minutes' AS start,
         (100 + (w * 7 + a) % 50)::bigint AS requests, ((w * 13 + a * 5) % 97 / 90)::bigint AS errors
    FROM generate_series(1, 24) a, generate_series(0, 8927) w;
DELETE FROM acc WHERE $1 >= 0 AND abs(hashtext(account)) % $shards <> $1;
DELETE FROM inc WHERE $1 >= 0 AND abs(hashtext(account)) % $shards <> $1;
DELETE FROM win WHERE $1 >= 0 AND abs(hashtext(account)) % $shards <> $1;
CREATE VIEW r AS
  SELECT policy, slac_account(account, fee, currency) AS data FROM acc
  UNION ALL SELECT 'saleor', slac_incident(account, service, start, "end", cause) FROM inc
  UNION ALL SELECT 'piwik-pro', slac_window(account, 'hosting', start, requests, errors) FROM win;
SQL
}
partials="SELECT pol.name, slac_partial(pol.b, NULL, r.data) FROM r JOIN pol ON pol.name = r.policy GROUP BY pol.name, pol.b"
sums="SELECT slac_window_sums(pol.b, account, 'hosting', start, requests, errors) FROM win, pol
      WHERE pol.name = 'piwik-pro' GROUP BY pol.b"

: >"$tmp/partials"
: >"$tmp/sums"
i=0
while [ $i -lt $shards ]; do
  c=$tmp/c$((i + 1))
  mkdir -p "$c"
  pg_cluster_start "$c" -c extension_destdir="$tmp/dest" || { echo "FAIL: shard server $i does not start"; exit 1; }
  load $i | pg_cluster_psql "$c" -d postgres >/dev/null || { echo "FAIL: shard $i does not load"; exit 1; }
  pg_cluster_psql "$c" -d postgres -c "COPY ($partials) TO STDOUT" >>"$tmp/partials" ||
    { echo "FAIL: shard $i gives no partial state"; exit 1; }
  pg_cluster_psql "$c" -d postgres -c "COPY ($sums) TO STDOUT" >>"$tmp/sums" ||
    { echo "FAIL: shard $i gives no window sums"; exit 1; }
  rows=$(pg_cluster_psql "$c" -d postgres -t -A -c "SELECT (SELECT count(*) FROM acc) || ' accounts, ' || (SELECT count(*) FROM win) || ' windows'")
  echo "shard $i: $rows"
  pg_cluster_stop "$c"
  i=$((i + 1))
done
chmod a+r "$tmp/partials" "$tmp/sums"
out=$( (load -1; cat <<SQL
CREATE TEMP TABLE parts (policy text, partial bytea);
COPY parts FROM '$tmp/partials';
CREATE TEMP TABLE one AS
  SELECT jsonb_array_elements(slac_outcomes(pol.b, NULL, r.data)) AS o FROM r JOIN pol ON pol.name = r.policy GROUP BY pol.b;
CREATE TEMP TABLE merged AS
  SELECT jsonb_array_elements(slac_outcomes(partial)) AS o FROM parts GROUP BY policy;
CREATE TEMP TABLE shard_sums (s bytea);
COPY shard_sums FROM '$tmp/sums';
CREATE TEMP TABLE summed AS
  SELECT jsonb_array_elements(slac_evaluate((SELECT slac_window_sums(s) FROM shard_sums), NULL,
           (SELECT array_agg(slac_account(account, fee, currency)) FROM acc WHERE policy = 'piwik-pro'))) AS o;
SELECT 'sums: ' || (SELECT count(*) FROM shard_sums) || ' shards, the same bytes as one server''s: ' ||
       ((SELECT slac_window_sums(s) FROM shard_sums) = ($sums)) || ', ' ||
       (SELECT count(*) FROM summed) || ' outcomes, ' ||
       (SELECT count(*) FROM ((SELECT o FROM one WHERE o->>'policy' = 'piwik_pro' EXCEPT ALL TABLE summed)
                              UNION ALL (TABLE summed EXCEPT ALL SELECT o FROM one WHERE o->>'policy' = 'piwik_pro')) d) ||
       ' differ';
SELECT (SELECT count(*) FROM parts) || ' partials, ' || (SELECT count(*) FROM one) || ' outcomes on one server, ' ||
       (SELECT count(*) FROM merged) || ' merged, ' ||
       (SELECT count(*) FROM ((TABLE one EXCEPT ALL TABLE merged) UNION ALL (TABLE merged EXCEPT ALL TABLE one)) d) || ' differ';
SQL
) | pg_cluster_psql "$tmp/c0" -d postgres -t -A 2>&1 | grep -v "^HINT\|^CONTEXT\|^DETAIL")
summed=$(echo "$out" | tail -2 | head -1) result=$(echo "$out" | tail -1)
echo "shard: $result"
echo "shard $summed"
case $summed in
  "sums: 3 shards, the same bytes as one server's: true, 24 outcomes, 0 differ") ;;
  *) echo "FAIL: shard: expected sums: 3 shards, the same bytes as one server's: true, 24 outcomes, 0 differ"; exit 1 ;;
esac
case $result in
  "6 partials, 33 outcomes on one server, 33 merged, 0 differ") exit 0 ;;
  *) echo "FAIL: shard: expected 6 partials, 33 outcomes on one server, 33 merged, 0 differ"; exit 1 ;;
esac
