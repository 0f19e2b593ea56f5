-- windows.sql - the Piwik PRO window error rate in SQLite, exactly.
--   sqlite3 -cmd '.import --csv ACCOUNTS.csv accounts' \
--           -cmd '.import --csv WINDOWS.csv win' < windows.sql
-- Per account and month, with T = 10^12: F = sum of floor(errors * T /
-- requests) and N = how many of those had a remainder, so the sum S of the
-- window error rates satisfies F <= S*T < F + N (S*T = F when N = 0).  The
-- truncated percentages and the 99.0% threshold are decided from that
-- interval with integers only; a row whose interval straddles a boundary is
-- flagged "undecided" in a 7th column (never seen on generated data).
-- Prints account,period,error_rate%,uptime%,credit%,amount[,undecided].
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE g AS
SELECT account, strftime('%Y-%m', start) AS mon,
       sum(CASE WHEN r > 0 THEN e * 1000000000000 / r ELSE 0 END) AS f,
       sum(CASE WHEN r > 0 AND (e * 1000000000000) % r <> 0 THEN 1 ELSE 0 END) AS n
FROM (SELECT account, start, CAST(requests AS INTEGER) AS r, CAST(errors AS INTEGER) AS e FROM win)
GROUP BY account, mon;
CREATE TEMP TABLE mo AS
SELECT mon, CAST(round((julianday(mon || '-01', '+1 month') - julianday(mon || '-01')) * 288) AS INTEGER) AS w
FROM (SELECT DISTINCT mon FROM g);
.mode list
.separator ,
.headers off
WITH x AS (
  SELECT a.rowid AS ord, a.account, mo.mon, mo.w,
         CAST(replace(a.fee, '.', '') AS INTEGER) AS cents,
         coalesce(g.f, 0) AS f, coalesce(g.n, 0) AS n,
         mo.w * 1000000 AS d,                -- 10^6 S / w = S*T / d
         mo.w * 10000000000 AS b             -- below 99% <=> S*T > b
  FROM accounts a CROSS JOIN mo LEFT JOIN g ON g.account = a.account AND g.mon = mo.mon),
y AS (
  SELECT *, f / d AS q, f % d AS rem,
         CASE WHEN n = 0 THEN f > b WHEN f >= b THEN 1 WHEN f + n <= b THEN 0 ELSE NULL END AS below
  FROM x),
z AS (
  SELECT *, q AS lo,
         CASE WHEN n = 0 THEN q + (rem > 0) WHEN rem + n <= d THEN q + 1 ELSE NULL END AS hi,
         CASE WHEN below THEN 25 ELSE 0 END AS tier
  FROM y),
t AS (SELECT *, (cents * tier + 50) / 100 AS amt0 FROM z)
SELECT account, mon,
       printf('%d.%04d', lo / 10000, lo % 10000),
       printf('%d.%04d', (1000000 - hi) / 10000, (1000000 - hi) % 10000),
       tier,
       printf('%d.%02d', (CASE WHEN amt0 <= 500 THEN 0 ELSE amt0 END) / 100,
              (CASE WHEN amt0 <= 500 THEN 0 ELSE amt0 END) % 100)
       || CASE WHEN hi IS NULL OR below IS NULL THEN ',undecided' ELSE '' END
FROM t ORDER BY ord, mon;
