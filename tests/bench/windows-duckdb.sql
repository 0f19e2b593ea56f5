-- windows-duckdb.sql - the Piwik PRO window error rate in DuckDB, exactly:
-- the method of windows.sql (SQLite), with DuckDB reading the CSV files
-- itself, typed, in parallel.  Per account and month, with T = 10^12:
-- F = sum of floor(errors * T / requests) and N = how many of those had a
-- remainder, so the sum S of the window error rates satisfies
-- F <= S*T < F + N.  HUGEINT and DECIMAL(38,0) keep every product exact.
--   node duckdb.mjs MODULES windows-duckdb.sql ACCOUNTS=a.csv WINDOWS=w.csv THREADS=2
-- Prints account,period,error_rate%,uptime%,credit%,amount[,undecided].
SET threads = @THREADS@;
SET TimeZone = 'UTC';
CREATE TEMP TABLE g AS
SELECT account, strftime(date_trunc('month', start), '%Y-%m') AS mon,
       sum(CASE WHEN requests > 0 THEN (errors::HUGEINT * 1000000000000) // requests ELSE 0 END::DECIMAL(38,0)) AS f,
       count(*) FILTER (WHERE requests > 0 AND (errors::HUGEINT * 1000000000000) % requests <> 0) AS n
FROM read_csv('@WINDOWS@', header = true,
              columns = {'account': 'VARCHAR', 'service': 'VARCHAR', 'start': 'TIMESTAMPTZ',
                         'requests': 'BIGINT', 'errors': 'BIGINT'})
GROUP BY ALL;
CREATE TEMP TABLE mo AS
SELECT mon, day(last_day(strptime(mon || '-01', '%Y-%m-%d'))) * 288 AS w FROM (SELECT DISTINCT mon FROM g);
WITH x AS (
  SELECT a.account, mo.mon, round(a.fee * 100)::HUGEINT AS cents,
         coalesce(g.f, 0)::HUGEINT AS f, coalesce(g.n, 0) AS n,
         mo.w * 1000000 AS d,                -- 10^6 S / w = S*T / d
         mo.w * 10000000000 AS b             -- below 99% <=> S*T > b
  FROM read_csv('@ACCOUNTS@', header = true, columns = {'account': 'VARCHAR', 'fee': 'DECIMAL(18,2)',
                                                       'currency': 'VARCHAR', 'plan': 'VARCHAR'}) a
  CROSS JOIN mo LEFT JOIN g ON g.account = a.account AND g.mon = mo.mon),
y AS (
  SELECT *, f // d AS q, f % d AS rem,
         CASE WHEN n = 0 THEN f > b WHEN f >= b THEN true WHEN f + n <= b THEN false END AS below
  FROM x),
z AS (
  SELECT *, q AS lo,
         CASE WHEN n = 0 THEN q + (rem > 0)::INT WHEN rem + n <= d THEN q + 1 END AS hi,
         CASE WHEN below THEN 25 ELSE 0 END AS tier
  FROM y),
t AS (SELECT *, (cents * tier + 50) // 100 AS amt0 FROM z),
u AS (SELECT *, CASE WHEN amt0 <= 500 THEN 0 ELSE amt0 END AS amt FROM t)
SELECT account, mon,
       printf('%d.%04d', lo // 10000, lo % 10000),
       printf('%d.%04d', (1000000 - hi) // 10000, (1000000 - hi) % 10000),
       tier,
       printf('%d.%02d', amt // 100, amt % 100)
       || CASE WHEN hi IS NULL OR below IS NULL THEN ',undecided' ELSE '' END
FROM u ORDER BY account, mon;
