-- aggregate: slac_outcomes over the shipped examples; the outcomes are
-- those of `slac eval --format jsonl` (examples/*/expected.jsonl, compared
-- field by field by tests/pg/equal.sh).
-- Saleor: every account and month, one group
SELECT o->>'account' AS account, o->>'period' AS period, o->>'credit_percent' AS pct,
       o->>'credit_amount' AS amount, o->'services'->0->>'uptime_percent' AS uptime,
       o->'services'->0->>'unavailable_minutes' AS minutes
  FROM (SELECT slac_outcomes(p.bytecode, NULL, r.data) AS outs
          FROM slac_rows r JOIN policies p ON p.name = r.policy
         WHERE r.policy = 'saleor' GROUP BY p.bytecode) s,
       jsonb_array_elements(s.outs) o
 ORDER BY 1, 2;
-- grouped by account: one array per account.  Without a PERIOD each group
-- evaluates the months its own rows touch (two here); with it, the months of
-- the command line, which evaluates every month any row touches
SELECT r.account, jsonb_array_length(slac_outcomes(p.bytecode, NULL, r.data)) AS months_touched,
       jsonb_array_length(slac_outcomes(p.bytecode, '2026-09..2026-11', r.data)) AS months
  FROM slac_rows r JOIN policies p ON p.name = r.policy
 WHERE r.policy = 'saleor' GROUP BY r.account, p.bytecode ORDER BY 1;
-- grouped by account and month: each month's rows are those that overlap it
-- (initech's storage outage crosses the edge of October), PERIOD the month
WITH months(m) AS (VALUES ('2026-09'), ('2026-10'), ('2026-11'))
SELECT a.account, m.m AS period,
       slac_outcomes(p.bytecode, m.m, d.data)->0->'services'->0->>'unavailable_minutes' AS minutes
  FROM months m CROSS JOIN policies p
  JOIN accounts a ON a.policy = p.name
  CROSS JOIN LATERAL (
    SELECT slac_account(a.account, a.fee, a.currency) AS data
    UNION ALL
    SELECT slac_incident(i.account, i.service, i.start, i."end", i.cause) FROM incidents i
     WHERE i.policy = p.name AND i.account = a.account
       AND i.start < (m.m || '-01')::date + interval '1 month' AND i."end" > (m.m || '-01')::date) d
 WHERE p.name = 'saleor'
 GROUP BY a.account, m.m, p.bytecode ORDER BY 1, 2;
-- a range of months, December without data included
SELECT o->>'account' AS account, o->>'period' AS period, o->>'credit_amount' AS amount
  FROM (SELECT slac_outcomes(p.bytecode, '2026-11..2026-12', r.data) AS outs
          FROM slac_rows r JOIN policies p ON p.name = r.policy
         WHERE r.policy = 'saleor' GROUP BY p.bytecode) s,
       jsonb_array_elements(s.outs) o
 ORDER BY 1, 2;
-- Piwik PRO: request windows and incidents together
SELECT o->>'account' AS account, o->>'period' AS period, o->>'credit_percent' AS pct,
       o->>'credit_amount' AS amount, o->'services'->0->>'error_rate_percent' AS error_rate
  FROM (SELECT slac_outcomes(p.bytecode, NULL, r.data) AS outs
          FROM slac_rows r JOIN policies p ON p.name = r.policy
         WHERE r.policy = 'piwik-pro' GROUP BY p.bytecode) s,
       jsonb_array_elements(s.outs) o
 ORDER BY 1, 2;
-- TagoIO: a fee per service (without claims: as if validly claimed)
SELECT o->>'account' AS account, o->>'period' AS period, o->>'credit_amount' AS amount,
       o->'reasons' AS reasons
  FROM (SELECT slac_outcomes(p.bytecode, NULL, r.data) AS outs
          FROM slac_rows r JOIN policies p ON p.name = r.policy
         WHERE r.policy = 'tagoio' GROUP BY p.bytecode) s,
       jsonb_array_elements(s.outs) o
 ORDER BY 1, 2;
-- no row, no outcome; NULL rows (an outer join's) add nothing
SELECT slac_outcomes(p.bytecode, NULL, NULL::slac_row) AS outs FROM policies p WHERE p.name = 'saleor';
SELECT slac_outcomes(p.bytecode, NULL, r.data) AS outs FROM policies p, slac_rows r WHERE false GROUP BY p.bytecode;
