-- incidents.sql - Saleor unavailable minutes in SQLite, exactly (integers).
--   sqlite3 -cmd '.import --csv ACCOUNTS.csv accounts' \
--           -cmd '.import --csv INCIDENTS.csv inc' < incidents.sql
-- 1. Split incidents at month edges (recursive CTE).
-- 2. Maintenance: union per account and month (gaps and islands with
--    window functions), the first 600 s excluded, the rest counted.
-- 3. A sweep over +1/-1 events: a stretch is downtime when some counting
--    interval covers it and no exclusion does.
-- 4. Clock minutes touched by the downtime stretches.
-- Prints account,period,unavailable_minutes,uptime%,credit%,amount.
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE kind(cause TEXT PRIMARY KEY, k INTEGER);
INSERT INTO kind VALUES ('', 0), ('outage', 0), ('maintenance', 1), ('suspension', 2),
  ('termination', 2), ('aup_violation', 2), ('customer', 2), ('third_party', 2),
  ('force_majeure', 2), ('beta', 2), ('over_quota', 2), ('unauthorized', 2);
SELECT 'unknown cause: ' || cause FROM inc WHERE service = 'covered' AND cause NOT IN (SELECT cause FROM kind) LIMIT 1;
CREATE TEMP TABLE piece AS
WITH RECURSIVE
raw(account, s, e, k) AS (
  SELECT i.account, unixepoch(i.start), unixepoch(i."end"), kind.k
  FROM inc i JOIN kind ON kind.cause = i.cause WHERE i.service = 'covered'),
sp(account, ms, me, s, e, k) AS (
  SELECT account, unixepoch(s, 'unixepoch', 'start of month'),
         unixepoch(s, 'unixepoch', 'start of month', '+1 month'), s, e, k FROM raw
  UNION ALL
  SELECT account, me, unixepoch(me, 'unixepoch', '+1 month'), me, e, k FROM sp WHERE e > me)
SELECT account, ms, me, s, min(e, me) AS e, k FROM sp;
CREATE TEMP TABLE mu AS
WITH m AS (
  SELECT account, ms, s, e,
         max(e) OVER (PARTITION BY account, ms ORDER BY s, e
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pm
  FROM piece WHERE k = 1 AND e > s),
g AS (
  SELECT account, ms, s, e,
         sum(pm IS NULL OR s > pm) OVER (PARTITION BY account, ms ORDER BY s, e
                                         ROWS UNBOUNDED PRECEDING) AS grp
  FROM m),
isl AS (SELECT account, ms, min(s) AS s, max(e) AS e FROM g GROUP BY account, ms, grp),
cum AS (
  SELECT account, ms, s, e,
         coalesce(sum(e - s) OVER (PARTITION BY account, ms ORDER BY s
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
  FROM isl)
SELECT account, ms, s, e, s + max(0, min(e - s, 600 - before)) AS cut FROM cum;
CREATE TEMP TABLE ev AS
SELECT account, ms, s AS t, 1 AS dd, 0 AS da FROM piece WHERE k = 0 AND e > s
UNION ALL SELECT account, ms, e, -1, 0 FROM piece WHERE k = 0 AND e > s
UNION ALL SELECT account, ms, s, 0, 1 FROM piece WHERE k = 2 AND e > s
UNION ALL SELECT account, ms, e, 0, -1 FROM piece WHERE k = 2 AND e > s
UNION ALL SELECT account, ms, s, 0, 1 FROM mu WHERE cut > s
UNION ALL SELECT account, ms, cut, 0, -1 FROM mu WHERE cut > s
UNION ALL SELECT account, ms, cut, 1, 0 FROM mu WHERE e > cut
UNION ALL SELECT account, ms, e, -1, 0 FROM mu WHERE e > cut;
CREATE TEMP TABLE um AS
WITH pt AS (SELECT account, ms, t, sum(dd) AS dd, sum(da) AS da FROM ev GROUP BY account, ms, t),
run AS (
  SELECT account, ms, t,
         sum(dd) OVER w AS cd, sum(da) OVER w AS ca, lead(t) OVER w AS nt
  FROM pt WINDOW w AS (PARTITION BY account, ms ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
seg AS (SELECT account, ms, t / 60 AS f, (nt - 1) / 60 AS l FROM run WHERE cd > 0 AND ca = 0 AND nt IS NOT NULL),
lg AS (SELECT account, ms, f, l, lag(l) OVER (PARTITION BY account, ms ORDER BY f) AS pl FROM seg)
SELECT account, ms, sum(l - f + 1 - (pl IS NOT NULL AND pl = f)) AS u FROM lg GROUP BY account, ms;
CREATE TEMP TABLE mo AS SELECT DISTINCT ms, me FROM piece;
.mode list
.separator ,
.headers off
WITH x AS (
  SELECT a.rowid AS ord, a.account, mo.ms, (mo.me - mo.ms) / 60 AS mm, coalesce(um.u, 0) AS u,
         CAST(replace(a.fee, '.', '') AS INTEGER) AS cents
  FROM accounts a CROSS JOIN mo LEFT JOIN um ON um.account = a.account AND um.ms = mo.ms),
y AS (
  SELECT *, (mm - u) * 1000000 / mm AS up,
         CASE WHEN 1000 * (mm - u) < 999 * mm THEN 25
              WHEN 10000 * (mm - u) < 9995 * mm THEN 15 ELSE 0 END AS tier
  FROM x)
SELECT account, strftime('%Y-%m', ms, 'unixepoch'), u, printf('%d.%04d', up / 10000, up % 10000), tier,
       printf('%d.%02d', (cents * tier + 50) / 100 / 100, (cents * tier + 50) / 100 % 100)
FROM y ORDER BY ord, ms;
