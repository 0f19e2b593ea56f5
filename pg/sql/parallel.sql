-- parallel: partial aggregation in parallel workers, merged exactly.
-- 40 accounts x January 2026 of five-minute windows (8,928 each), every
-- 100th window with 7 errors of 700 requests, the others 0 of 100.
CREATE TABLE jan_windows AS
  SELECT 'acct' || a AS account, 'hosting' AS service,
         '2026-01-01T00:00:00Z'::timestamptz + w * interval '5 minutes' AS start,
         CASE WHEN (w + a) % 100 = 0 THEN 700 ELSE 100 END::bigint AS requests,
         CASE WHEN (w + a) % 100 = 0 THEN 7 ELSE 0 END::bigint AS errors
    FROM generate_series(1, 40) a, generate_series(0, 8927) w;
CREATE TABLE jan_accounts AS SELECT 'acct' || a AS account, 100.00::numeric AS fee, 'EUR' AS currency
  FROM generate_series(1, 40) a;
ANALYZE jan_windows;
ANALYZE jan_accounts;
CREATE VIEW jan_rows AS
  SELECT account, slac_window(account, service, start, requests, errors) AS data FROM jan_windows
  UNION ALL
  SELECT account, slac_account(account, fee, currency) FROM jan_accounts;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- partial aggregation in the workers, finalize in the leader: the policy
-- as a scalar subquery (an InitPlan, evaluated once and passed to the workers)
EXPLAIN (COSTS OFF)
SELECT slac_outcomes((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), NULL, data)
  FROM jan_rows;
EXPLAIN (COSTS OFF)
SELECT account, slac_outcomes((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), '2026-01', data)
  FROM jan_rows GROUP BY account;
-- two workers launched, each with its partial state
CREATE FUNCTION workers_launched(query text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
    IF line ~ 'Workers Launched' THEN RETURN substring(line from '[0-9]+')::int; END IF;
  END LOOP;
  RETURN 0;
END $$;
SELECT workers_launched($q$SELECT slac_outcomes((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), NULL, data) FROM jan_rows$q$);
CREATE TABLE parallel_outcomes AS
  SELECT jsonb_array_elements(slac_outcomes((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), NULL, data)) AS o
    FROM jan_rows;
CREATE TABLE parallel_by_account AS
  SELECT jsonb_array_elements(slac_outcomes((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), '2026-01', data)) AS o
    FROM jan_rows GROUP BY account;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_outcomes AS
  SELECT jsonb_array_elements(slac_outcomes((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), NULL, data)) AS o
    FROM jan_rows;
-- the same 40 outcomes, whichever worker read which rows
SELECT (SELECT count(*) FROM parallel_outcomes) AS parallel,
       (SELECT count(*) FROM parallel_by_account) AS by_account,
       (SELECT count(*) FROM serial_outcomes) AS serial,
       (SELECT count(*) FROM (TABLE parallel_outcomes EXCEPT TABLE serial_outcomes) d) AS differ,
       (SELECT count(*) FROM (TABLE parallel_by_account EXCEPT TABLE serial_outcomes) d) AS differ_by_account;
-- 89 windows at exactly 1% errors and 8,839 at 0%: 89 / 8,928 % = 0.0099686..%, truncated
SELECT o->>'account' AS account, o->'services'->0->>'error_rate_percent' AS error_rate,
       o->'services'->0->>'uptime_percent' AS uptime, o->>'credit_amount' AS amount
  FROM serial_outcomes ORDER BY 1 LIMIT 3;
RESET ALL;
