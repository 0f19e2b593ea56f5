-- sums: slac_window_sums folds request windows into mergeable sums (a
-- state of kilobytes), slac_evaluate turns them into outcomes: the same
-- outcomes as slac_outcomes over the rows, serially and in parallel.
-- The 40 accounts x January of parallel.sql, and the Piwik PRO example.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- partial sums in the workers, combined in the leader
EXPLAIN (COSTS OFF)
SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'),
                        account, service, start, requests, errors)
  FROM jan_windows;
SELECT workers_launched($q$SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), account, service, start, requests, errors) FROM jan_windows$q$);
CREATE TABLE sums_parallel AS
  SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'),
                          account, service, start, requests, errors) AS s
    FROM jan_windows;
CREATE TABLE sums_parallel_outcomes AS
  SELECT jsonb_array_elements(slac_evaluate(s, NULL,
           (SELECT array_agg(slac_account(account, fee, currency)) FROM jan_accounts))) AS o
    FROM sums_parallel;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE sums_serial AS
  SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'),
                          account, service, start, requests, errors) AS s
    FROM jan_windows;
-- the bytes of the sums do not depend on which worker read which rows
SELECT length(a.s) AS bytes, a.s = b.s AS same_bytes FROM sums_parallel a, sums_serial b;
-- the outcomes of the rows (parallel.sql's serial_outcomes), to the byte
SELECT (SELECT count(*) FROM sums_parallel_outcomes) AS outcomes,
       (SELECT count(*) FROM (TABLE sums_parallel_outcomes EXCEPT TABLE serial_outcomes) d) AS differ,
       (SELECT count(*) FROM (TABLE serial_outcomes EXCEPT TABLE sums_parallel_outcomes) d) AS missing;
-- by account, then merged: the same sums
SELECT slac_window_sums(s) = (SELECT s FROM sums_serial) AS merged_equal
  FROM (SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'),
                                account, service, start, requests, errors) AS s
          FROM jan_windows GROUP BY account) g;
-- the Piwik PRO example: its windows as sums and its accounts as rows
WITH p AS (SELECT bytecode FROM policies WHERE name = 'piwik-pro'),
sums AS (SELECT slac_evaluate(slac_window_sums((TABLE p), account, service, start, requests, errors),
                              '2026-01..2026-02',
                              (SELECT array_agg(slac_account(account, fee, currency)) FROM accounts
                                WHERE policy = 'piwik-pro')) AS a
           FROM windows),
rows AS (SELECT slac_outcomes((TABLE p), '2026-01..2026-02', data) AS a
           FROM (SELECT slac_account(account, fee, currency) AS data FROM accounts
                  WHERE policy = 'piwik-pro'
                 UNION ALL
                 SELECT slac_window(account, service, start, requests, errors) FROM windows) r)
SELECT (SELECT jsonb_array_length(a) FROM sums) AS outcomes,
       (SELECT count(*) FROM (SELECT jsonb_array_elements(a) FROM sums
                              EXCEPT SELECT jsonb_array_elements(a) FROM rows) d) AS differ;
SELECT o->>'account' AS account, o->>'period' AS period,
       o->'services'->0->>'error_rate_percent' AS error_rate, o->>'credit_amount' AS amount
  FROM (SELECT jsonb_array_elements(slac_evaluate(slac_window_sums(
          (SELECT bytecode FROM policies WHERE name = 'piwik-pro'), account, service, start, requests, errors),
          NULL, (SELECT array_agg(slac_account(account, fee, currency)) FROM accounts WHERE policy = 'piwik-pro')))
        AS o FROM windows) x ORDER BY 1, 2;
-- errors: a window twice (also across merged sums), off the grid, NULL,
-- negative, errors above requests, an unknown service, damaged bytes
SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), a, 'hosting',
                        '2026-01-01T00:05:00Z', 10, 1)
  FROM (VALUES ('acme'), ('acme')) v(a);
SELECT slac_window_sums(s) FROM (SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'),
                                  'acme', 'hosting', '2026-01-01T00:05:00Z', 10, 1) AS s
                                  FROM generate_series(1, 2) GROUP BY generate_series) g;
SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), 'acme', 'hosting',
                        '2026-01-01T00:04:00Z', 10, 1);
SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), 'acme', 'hosting',
                        '2026-01-01T00:05:00.5Z', 10, 1);
SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), 'acme', 'hosting',
                        NULL, 10, 1);
SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), 'acme', 'hosting',
                        '2026-01-01T00:05:00Z', -10, 1);
SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), 'acme', 'hosting',
                        '2026-01-01T00:05:00Z', 10, 11);
SELECT slac_window_sums((SELECT bytecode FROM policies WHERE name = 'piwik-pro'), 'acme', 'web',
                        '2026-01-01T00:05:00Z', 10, 1);
SELECT slac_window_sums(bytecode, 'acme', 'hosting', '2026-01-01T00:05:00Z', 10, 1)
  FROM policies WHERE name IN ('piwik-pro', 'tagoio');
SELECT slac_evaluate(substring(s FROM 1 FOR length(s) - 3)) FROM sums_serial;
SELECT slac_evaluate('\x00'::bytea);
SELECT slac_evaluate(NULL);
SELECT slac_evaluate(s, NULL, ARRAY[slac_account('acct1', 100.00, 'EUR')]) IS NOT NULL AS unlisted
  FROM sums_serial;
-- an incident that excludes time: the windows in it cannot be left out of sums
SELECT slac_evaluate(s, NULL, ARRAY[slac_incident('acct1', 'hosting', '2026-01-02T00:00:00Z',
                                                  '2026-01-02T01:00:00Z', 'customer')])
  FROM sums_serial;
RESET ALL;
