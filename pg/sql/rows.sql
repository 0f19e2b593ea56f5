-- rows: the constructors write slac's CSV records, exactly; bad values are refused.
SELECT slac_account('acme', 1200.00, 'USD');
SELECT slac_account('farmsense', 450.00, 'USD', 'Business', 'good', 'middleware');
SELECT slac_incident('acme', 'covered', '2026-10-14 22:10:00+00', '2026-10-14 22:30:00+00', 'outage');
-- times in any zone are written in UTC; microseconds kept (slac drops them)
SELECT slac_incident('a,"b"', 'api', '2026-10-31 23:50:00.25-02', '2026-11-01 09:00:00+07', 'outage');
SELECT slac_window('northwind', 'hosting', '2026-10-01T00:05:00Z', 122, 3);
SELECT slac_probe('acme', 'api', '2026-10-01T00:00:00Z', false);
-- text form in and out
SELECT 'window:acme,api,2026-10-01T00:00:00Z,120,0'::slac_row;
SELECT 'incident:acme,api,2026-10-01T00:00:00Z,2026-10-01T00:10:00Z,"a, ""quoted""\ncause"'::slac_row;
SELECT 'windw:acme,api,2026-10-01T00:00:00Z,120,0'::slac_row;
SELECT E'window:acme,api,2026-10-01T00:00:00Z,120,0\nwindow:x'::slac_row;
SELECT 'incident:acme,"api'::slac_row;
-- a NULL is an empty field, which the evaluation refuses with the row (errors.sql)
SELECT slac_window(NULL, 'api', '2026-10-01T00:00:00Z', 1, 0);
SELECT slac_account('acme', NULL, 'USD');
-- refused at once
SELECT slac_window('acme', 'api', '2026-10-01T00:00:00Z', -1, 0);
SELECT slac_incident('acme', 'api', '-infinity', '2026-10-01T00:00:00Z', 'outage');
SELECT slac_incident('acme', 'api', '0044-03-15 BC', '2026-10-01T00:00:00Z', 'outage');
