-- incidents-pg.sql - Saleor unavailable minutes in PostgreSQL, exactly
-- (integer seconds): the method of incidents.sql (SQLite) in one query
-- over the tables inc (the incidents file, start and end timestamptz) and
-- accounts (fee numeric), which tests/bench/run.sh loads with COPY.
-- 1. Split incidents at month edges (generate_series over the months).
-- 2. Maintenance: union per account and month (gaps and islands with
--    window functions), the first 600 s excluded, the rest counted.
-- 3. A sweep over +1/-1 events: a stretch is downtime when some counting
--    interval covers it and no exclusion does.
-- 4. Clock minutes touched by the downtime stretches.  Every window is
--    ordered by a unique key (a tie in lag() once gave wrong minutes).
-- An unknown cause prints a line of its own, which no slac row matches.
-- Prints account,period,unavailable_minutes,uptime%,credit%,amount.
SET TimeZone = 'UTC';
SELECT 'unknown cause: ' || cause FROM inc
 WHERE service = 'covered' AND coalesce(cause, '') NOT IN ('', 'outage', 'maintenance', 'suspension',
   'termination', 'aup_violation', 'customer', 'third_party', 'force_majeure', 'beta', 'over_quota',
   'unauthorized') LIMIT 1;
WITH kind(cause, k) AS (VALUES ('outage', 0), ('maintenance', 1), ('suspension', 2),
  ('termination', 2), ('aup_violation', 2), ('customer', 2), ('third_party', 2),
  ('force_majeure', 2), ('beta', 2), ('over_quota', 2), ('unauthorized', 2)),
raw AS (
  SELECT i.account, i.start AS s, i."end" AS e, coalesce(kind.k, 0) AS k
    FROM inc i LEFT JOIN kind ON kind.cause = i.cause WHERE i.service = 'covered'),
sp AS (
  SELECT account, ms, s, e, k
    FROM raw, generate_series(date_trunc('month', s), greatest(s, e), interval '1 month') AS ms
   WHERE ms = date_trunc('month', s) OR e > ms),
piece AS (
  SELECT account, extract(epoch FROM ms)::bigint AS ms, extract(epoch FROM ms + interval '1 month')::bigint AS me,
         extract(epoch FROM greatest(s, ms))::bigint AS s,
         extract(epoch FROM least(e, ms + interval '1 month'))::bigint AS e, k
    FROM sp),
m AS (
  SELECT account, ms, s, e,
         max(e) OVER (PARTITION BY account, ms ORDER BY s, e
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pm
    FROM piece WHERE k = 1 AND e > s),
g AS (
  SELECT account, ms, s, e,
         sum((pm IS NULL OR s > pm)::int) OVER (PARTITION BY account, ms ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS grp
    FROM m),
isl AS (SELECT account, ms, min(s) AS s, max(e) AS e FROM g GROUP BY account, ms, grp),
cum AS (
  SELECT account, ms, s, e,
         coalesce(sum(e - s) OVER (PARTITION BY account, ms ORDER BY s
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::bigint AS before
    FROM isl),
mu AS (SELECT account, ms, s, e, s + greatest(0, least(e - s, 600 - before)) AS cut FROM cum),
ev AS (
  SELECT account, ms, s AS t, 1 AS dd, 0 AS da FROM piece WHERE k = 0 AND e > s
  UNION ALL SELECT account, ms, e, -1, 0 FROM piece WHERE k = 0 AND e > s
  UNION ALL SELECT account, ms, s, 0, 1 FROM piece WHERE k = 2 AND e > s
  UNION ALL SELECT account, ms, e, 0, -1 FROM piece WHERE k = 2 AND e > s
  UNION ALL SELECT account, ms, s, 0, 1 FROM mu WHERE cut > s
  UNION ALL SELECT account, ms, cut, 0, -1 FROM mu WHERE cut > s
  UNION ALL SELECT account, ms, cut, 1, 0 FROM mu WHERE e > cut
  UNION ALL SELECT account, ms, e, -1, 0 FROM mu WHERE e > cut),
pt AS (SELECT account, ms, t, sum(dd) AS dd, sum(da) AS da FROM ev GROUP BY account, ms, t),
run AS (
  SELECT account, ms, t, sum(dd) OVER w AS cd, sum(da) OVER w AS ca, lead(t) OVER w AS nt
    FROM pt WINDOW w AS (PARTITION BY account, ms ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
seg AS (SELECT account, ms, t, t / 60 AS f, (nt - 1) / 60 AS l FROM run WHERE cd > 0 AND ca = 0 AND nt IS NOT NULL),
lg AS (SELECT account, ms, f, l, lag(l) OVER (PARTITION BY account, ms ORDER BY t) AS pl FROM seg),
um AS (SELECT account, ms, sum(l - f + 1 - (pl IS NOT NULL AND pl = f)::int) AS u FROM lg GROUP BY account, ms),
mo AS (SELECT DISTINCT ms, me FROM piece),
x AS (
  SELECT a.account, mo.ms, (mo.me - mo.ms) / 60 AS mm, coalesce(um.u, 0)::bigint AS u,
         round(a.fee * 100)::bigint AS cents
    FROM accounts a CROSS JOIN mo LEFT JOIN um ON um.account = a.account AND um.ms = mo.ms),
y AS (
  SELECT *, (mm - u) * 1000000 / mm AS up,
         CASE WHEN 1000 * (mm - u) < 999 * mm THEN 25
              WHEN 10000 * (mm - u) < 9995 * mm THEN 15 ELSE 0 END AS tier
    FROM x)
SELECT account || ',' || to_char(to_timestamp(ms), 'YYYY-MM') || ',' || u || ',' ||
       (up / 10000) || '.' || lpad((up % 10000)::text, 4, '0') || ',' || tier || ',' ||
       ((cents * tier + 50) / 100 / 100) || '.' || lpad(((cents * tier + 50) / 100 % 100)::text, 2, '0')
  FROM y ORDER BY account, ms;
