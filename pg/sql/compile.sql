-- compile: slac_compile and slac_check, policy errors with line and column.
\getenv src SLAC_SOURCE
\set saleor :src/policies/saleor.sla
\set piwik :src/policies/piwik-pro.sla
-- a clean policy: its bytecode (tests/pg/equal.sh compares it with `slac build`)
SELECT octet_length(slac_compile(pg_read_file(:'piwik'), 'piwik-pro.sla')) > 0 AS compiled;
-- a warning is a WARNING, and the policy compiles
SELECT octet_length(slac_compile(pg_read_file(:'saleor'), 'saleor.sla')) > 0 AS compiled;
SELECT line, "column", end_column, severity, message FROM slac_check(pg_read_file(:'saleor'), 'saleor.sla');
-- two errors: the first in the message (with its fix as the hint), both in the detail
CREATE TABLE broken AS SELECT replace(replace(pg_read_file(:'saleor'),
  'measure unavailable minutes', 'measure unavailabel minutes'),
  'commit 99.99%', 'commit 199.99%') AS source;
SELECT slac_compile(source, 'broken.sla') FROM broken;
SELECT line, "column", end_column, severity, message, fix FROM broken, slac_check(source, 'broken.sla');
-- cut short
SELECT slac_compile('policy x {', 'cut.sla');
SELECT * FROM slac_check('policy x {', 'cut.sla');
-- NULL in, NULL out
SELECT slac_compile(NULL) IS NULL AS null_source;
SELECT slac_version() ~ '^[0-9]+\.[0-9]+\.[0-9]+$' AS version;
