-- windows-pg.sql - the Piwik PRO window error rate in PostgreSQL, exactly,
-- the best plain-SQL formulation we know (tests/bench/pg.sh; the SQLite
-- twin, windows.sql, explains the method): integers and numeric only.
-- Per account and month, with T = 10^12: F = sum of floor(errors * T /
-- requests) and N = how many of those had a remainder, so the sum S of the
-- window error rates satisfies F <= S*T < F + N.  Empty windows count 0%.
-- Prints account,period,error_rate%,uptime%,credit%,amount (undecided rows,
-- whose interval straddles a boundary, are flagged; never seen on generated
-- data).  tests/bench/run.sh and pg.sh time it.
WITH g AS (
  SELECT account, to_char(start AT TIME ZONE 'UTC', 'YYYY-MM') AS mon,
         sum(CASE WHEN requests > 0 THEN (errors * 1000000000000) / requests ELSE 0 END::numeric) AS f,
         count(*) FILTER (WHERE requests > 0 AND (errors * 1000000000000) % requests <> 0) AS n
    FROM windows GROUP BY 1, 2),
mo AS (
  SELECT mon, (extract(day FROM (mon || '-01')::date + interval '1 month' - interval '1 day')::int * 288) AS w
    FROM (SELECT DISTINCT mon FROM g) m),
x AS (
  SELECT a.account, mo.mon, round(a.fee * 100)::numeric AS cents, coalesce(g.f, 0) AS f,
         coalesce(g.n, 0) AS n, mo.w * 1000000::numeric AS d, mo.w * 10000000000::numeric AS b
    FROM accounts a CROSS JOIN mo LEFT JOIN g ON g.account = a.account AND g.mon = mo.mon),
y AS (
  SELECT *, div(f, d) AS q, mod(f, d) AS rem,
         CASE WHEN n = 0 THEN f > b WHEN f >= b THEN true WHEN f + n <= b THEN false END AS below
    FROM x),
z AS (
  SELECT *, CASE WHEN n = 0 THEN q + (rem > 0)::int WHEN rem + n <= d THEN q + 1 END AS hi FROM y),
t AS (SELECT *, CASE WHEN below THEN 25 ELSE 0 END AS tier FROM z),
u AS (SELECT *, div(cents * tier + 50, 100) AS amt0 FROM t)
SELECT account || ',' || mon || ',' ||
       to_char(div(q, 10000), 'FM999999990') || '.' || to_char(mod(q, 10000), 'FM0000') || ',' ||
       to_char(div(1000000 - hi, 10000), 'FM999999990') || '.' || to_char(mod(1000000 - hi, 10000), 'FM0000') || ',' ||
       tier || ',' ||
       to_char(div(CASE WHEN amt0 <= 500 THEN 0 ELSE amt0 END, 100), 'FM999999999990') || '.' ||
       to_char(mod(CASE WHEN amt0 <= 500 THEN 0 ELSE amt0 END, 100), 'FM00') ||
       CASE WHEN hi IS NULL OR below IS NULL THEN ',undecided' ELSE '' END
  FROM u ORDER BY 1;
