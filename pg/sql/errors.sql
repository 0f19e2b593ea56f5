-- errors: a bad row is named, with the row itself; nothing is skipped.
SELECT slac_outcomes(p.bytecode, NULL, d.data)
  FROM policies p, (VALUES (slac_account('acme', 1200.00, 'USD')),
                           (slac_incident('acme', 'covered', '2026-10-03T14:05:00Z', '2026-10-03T14:28:00Z', 'outage')),
                           (slac_incident('acme', 'covered', '2026-10-03T14:28:00Z', '2026-10-03T14:05:00Z', 'outage'))) d(data)
 WHERE p.name = 'saleor' GROUP BY p.bytecode;
-- an unknown service, with the policy's services named
SELECT slac_outcomes(p.bytecode, NULL, slac_incident('acme', 'coverd', '2026-10-03T14:05:00Z', '2026-10-03T14:28:00Z', 'outage'))
  FROM policies p WHERE p.name = 'saleor';
-- a fee with three decimals
SELECT slac_outcomes(p.bytecode, NULL, slac_account('acme', 12.345, 'USD')) FROM policies p WHERE p.name = 'saleor';
-- a data row whose account is not among the account rows
SELECT slac_outcomes(p.bytecode, NULL, d.data)
  FROM policies p, (VALUES (slac_account('acme', 1200.00, 'USD')),
                           (slac_incident('acme-corp', 'covered', '2026-10-03T14:05:00Z', '2026-10-03T14:28:00Z', 'outage'))) d(data)
 WHERE p.name = 'saleor' GROUP BY p.bytecode;
-- an empty account (a NULL)
SELECT slac_outcomes(p.bytecode, NULL, slac_window(NULL, 'hosting', '2026-10-01T00:00:00Z', 1, 0))
  FROM policies p WHERE p.name = 'piwik-pro';
-- one group, two policies
SELECT slac_outcomes(p.bytecode, NULL, slac_account('acme', 1.00, 'USD')) FROM policies p;
-- one group, two periods
SELECT slac_outcomes(p.bytecode, d.period, slac_account('acme', 1.00, 'USD'))
  FROM policies p, (VALUES ('2026-10'), ('2026-11')) d(period) WHERE p.name = 'saleor';
-- not a period
SELECT slac_outcomes(p.bytecode, '2026-13', slac_account('acme', 1.00, 'USD')) FROM policies p WHERE p.name = 'saleor';
-- not bytecode
SELECT slac_outcomes('\x00010203'::bytea, NULL, slac_account('acme', 1.00, 'USD'));
SELECT slac_outcomes(NULL, NULL, slac_account('acme', 1.00, 'USD'));
