-- incidents-duckdb.sql - Saleor unavailable minutes in DuckDB, exactly
-- (integer seconds), as a data engineer would write it: the method of
-- incidents.sql (SQLite), with DuckDB reading the CSV files itself.
-- 1. Split incidents at month edges (generate_series, only for the few
--    that cross one).
-- 2. Maintenance: union per account and month (gaps and islands with
--    window functions), the first 600 s excluded, the rest counted.
-- 3. A sweep over +1/-1 events: a stretch is downtime when some counting
--    interval covers it and no exclusion does.  The partitions are keyed
--    by one integer (account number, day of the month's start).
-- 4. Clock minutes touched by the downtime stretches.  Every window is
--    ordered by a unique key (a tie in lag() once gave wrong minutes).
--   node duckdb.mjs MODULES incidents-duckdb.sql ACCOUNTS=a.csv INCIDENTS=i.csv THREADS=2
-- Prints account,period,unavailable_minutes,uptime%,credit%,amount.
SET threads = @THREADS@;
SET TimeZone = 'UTC';
CREATE TEMP TABLE inc AS
SELECT account, "start"::TIMESTAMP AS s, "end"::TIMESTAMP AS e, coalesce(cause, '') AS cause
FROM read_csv('@INCIDENTS@', header = true,
              columns = {'id': 'VARCHAR', 'account': 'VARCHAR', 'service': 'VARCHAR', 'start': 'TIMESTAMPTZ',
                         'end': 'TIMESTAMPTZ', 'cause': 'VARCHAR', 'note': 'VARCHAR'})
WHERE service = 'covered';
-- an unknown cause must not pass silently
SELECT error('unknown cause: ' || cause) FROM inc
WHERE cause NOT IN ('', 'outage', 'maintenance', 'suspension', 'termination', 'aup_violation', 'customer',
                    'third_party', 'force_majeure', 'beta', 'over_quota', 'unauthorized') LIMIT 1;
CREATE TEMP TABLE accounts AS
SELECT row_number() OVER () AS id, account, round(fee * 100)::BIGINT AS cents
FROM read_csv('@ACCOUNTS@', header = true, columns = {'account': 'VARCHAR', 'fee': 'DECIMAL(18,2)',
                                                     'currency': 'VARCHAR', 'plan': 'VARCHAR'});
WITH raw AS (
  -- the accounts file lists every account reported
  SELECT a.id, s, e, CASE WHEN cause IN ('', 'outage') THEN 0 WHEN cause = 'maintenance' THEN 1 ELSE 2 END AS k
  FROM inc i JOIN accounts a USING (account)),
sp AS (
  SELECT id, date_trunc('month', s) AS ms, s, e, k FROM raw
  UNION ALL
  SELECT id, unnest(generate_series(date_trunc('month', s) + INTERVAL 1 MONTH, e, INTERVAL 1 MONTH)), s, e, k
  FROM raw WHERE e > date_trunc('month', s) + INTERVAL 1 MONTH),
piece AS (
  SELECT id, epoch_ms(ms) // 1000 AS ms, epoch_ms(ms + INTERVAL 1 MONTH) // 1000 AS me,
         epoch_ms(greatest(s, ms)) // 1000 AS s, epoch_ms(least(e, ms + INTERVAL 1 MONTH)) // 1000 AS e, k
  FROM sp WHERE ms = date_trunc('month', s) OR e > ms),
m AS (
  SELECT id, ms, s, e,
         max(e) OVER (PARTITION BY id, ms ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pm
  FROM piece WHERE k = 1 AND e > s),
g AS (
  SELECT id, ms, s, e,
         sum(CASE WHEN pm IS NULL OR s > pm THEN 1 ELSE 0 END)
           OVER (PARTITION BY id, ms ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS grp
  FROM m),
isl AS (SELECT id, ms, min(s) AS s, max(e) AS e FROM g GROUP BY id, ms, grp),
cum AS (
  SELECT id, ms, s, e,
         coalesce(sum(e - s) OVER (PARTITION BY id, ms ORDER BY s
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM isl),
mu AS (SELECT id, ms, s, e, s + greatest(0, least(e - s, 600 - before)) AS cut FROM cum),
iv AS (
  -- every interval that counts (c = 1) or excludes (c = 2)
  SELECT id, ms, s, e, CASE k WHEN 0 THEN 1 ELSE 2 END AS c FROM piece WHERE k <> 1 AND e > s
  UNION ALL SELECT id, ms, s, cut, 2 FROM mu WHERE cut > s
  UNION ALL SELECT id, ms, cut, e, 1 FROM mu WHERE e > cut),
ev AS (
  -- its two ends as +1/-1 events, in one pass; one integer key per account and month
  SELECT id * 100000 + ms // 86400 AS p, unnest([s, e]) AS t, unnest([(c = 1)::INT, -(c = 1)::INT]) AS dd,
         unnest([(c = 2)::INT, -(c = 2)::INT]) AS da
  FROM iv),
pt AS (SELECT p, t, sum(dd) AS dd, sum(da) AS da FROM ev GROUP BY p, t),
run AS (
  SELECT p, t, sum(dd) OVER w AS cd, sum(da) OVER w AS ca, lead(t) OVER w AS nt
  FROM pt WINDOW w AS (PARTITION BY p ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
seg AS (SELECT p, t, t // 60 AS f, (nt - 1) // 60 AS l FROM run WHERE cd > 0 AND ca = 0 AND nt IS NOT NULL),
lg AS (SELECT p, f, l, lag(l) OVER (PARTITION BY p ORDER BY t) AS pl FROM seg),
um AS (SELECT p, sum(l - f + 1 - CASE WHEN pl IS NOT NULL AND pl = f THEN 1 ELSE 0 END) AS u FROM lg GROUP BY p),
mo AS (SELECT DISTINCT ms, me FROM piece),
x AS (
  SELECT a.account, mo.ms, (mo.me - mo.ms) // 60 AS mm, coalesce(um.u, 0)::BIGINT AS u, a.cents
  FROM accounts a CROSS JOIN mo LEFT JOIN um ON um.p = a.id * 100000 + mo.ms // 86400),
y AS (
  SELECT *, (mm - u) * 1000000 // mm AS up,
         CASE WHEN 1000 * (mm - u) < 999 * mm THEN 25
              WHEN 10000 * (mm - u) < 9995 * mm THEN 15 ELSE 0 END AS tier
  FROM x)
SELECT account, strftime(make_timestamp(ms * 1000000), '%Y-%m'), u, printf('%d.%04d', up // 10000, up % 10000), tier,
       printf('%d.%02d', (cents * tier + 50) // 100 // 100, (cents * tier + 50) // 100 % 100)
FROM y ORDER BY account, ms;
