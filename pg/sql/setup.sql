-- setup: the shipped examples as tables, and their policies compiled.
\getenv src SLAC_SOURCE
\set QUIET on
CREATE TABLE policies (name text PRIMARY KEY, bytecode bytea NOT NULL);
\set saleor :src/policies/saleor.sla
\set piwik :src/policies/piwik-pro.sla
\set tagoio :src/policies/tagoio.sla
SET client_min_messages = error;  -- saleor's policy has a warning, shown in compile.sql
INSERT INTO policies SELECT 'saleor', slac_compile(pg_read_file(:'saleor'), 'saleor.sla');
INSERT INTO policies SELECT 'piwik-pro', slac_compile(pg_read_file(:'piwik'), 'piwik-pro.sla');
INSERT INTO policies SELECT 'tagoio', slac_compile(pg_read_file(:'tagoio'), 'tagoio.sla');
RESET client_min_messages;
CREATE TABLE accounts (policy text, account text, service text, fee numeric NOT NULL,
                       currency text NOT NULL, plan text, standing text);
CREATE TABLE incidents (policy text, account text, service text, start timestamptz,
                        "end" timestamptz, cause text);
CREATE TABLE windows (policy text, account text, service text, start timestamptz,
                      requests bigint, errors bigint);
CREATE TEMP TABLE a1 (account text, fee numeric, currency text);
CREATE TEMP TABLE a2 (account text, service text, fee numeric, currency text, plan text, standing text);
CREATE TEMP TABLE i1 (id text, account text, service text, start timestamptz, "end" timestamptz, cause text, note text);
CREATE TEMP TABLE i2 (account text, service text, start timestamptz, "end" timestamptz, cause text, note text);
\set f :src/examples/saleor/accounts.csv
COPY a1 FROM :'f' CSV HEADER;
INSERT INTO accounts SELECT 'saleor', account, NULL, fee, currency FROM a1;
\set f :src/examples/saleor/incidents.csv
COPY i1 FROM :'f' CSV HEADER;
INSERT INTO incidents SELECT 'saleor', account, service, start, "end", cause FROM i1;
TRUNCATE a1;
\set f :src/examples/piwik-pro/accounts.csv
COPY a1 FROM :'f' CSV HEADER;
INSERT INTO accounts SELECT 'piwik-pro', account, NULL, fee, currency FROM a1;
\set f :src/examples/piwik-pro/incidents.csv
COPY i2 FROM :'f' CSV HEADER;
INSERT INTO incidents SELECT 'piwik-pro', account, service, start, "end", cause FROM i2;
\set f :src/examples/piwik-pro/windows.csv
COPY windows (account, service, start, requests, errors) FROM :'f' CSV HEADER;
UPDATE windows SET policy = 'piwik-pro';
TRUNCATE i2;
\set f :src/examples/tagoio/accounts.csv
COPY a2 FROM :'f' CSV HEADER;
INSERT INTO accounts SELECT 'tagoio', * FROM a2;
\set f :src/examples/tagoio/incidents.csv
COPY i2 FROM :'f' CSV HEADER;
INSERT INTO incidents SELECT 'tagoio', account, service, start, "end", cause FROM i2;
\set QUIET off
SELECT policy, count(*) FROM accounts GROUP BY policy ORDER BY policy;
SELECT policy, count(*) FROM incidents GROUP BY policy ORDER BY policy;
SELECT count(*), sum(requests), sum(errors) FROM windows;
-- every row of one policy, as slac_row values
CREATE VIEW slac_rows AS
  SELECT policy, account, slac_account(account, fee, currency, plan, standing, service) AS data
    FROM accounts
  UNION ALL
  SELECT policy, account, slac_incident(account, service, start, "end", cause) FROM incidents
  UNION ALL
  SELECT policy, account, slac_window(account, service, start, requests, errors) FROM windows;
