-- partial: states serialized by slac_partial and merged by
-- slac_outcomes(partial) give the outcomes of one aggregate over all rows
-- (tests/pg/shard.sh does the same across servers).
CREATE TABLE shards AS
  SELECT hashtext(r.account) & 3 AS shard, slac_partial(p.bytecode, NULL, r.data) AS partial
    FROM slac_rows r JOIN policies p ON p.name = r.policy
   WHERE r.policy = 'saleor' GROUP BY 1, p.bytecode;
SELECT count(*) > 1 AS several_shards, bool_and(substr(partial, 1, 7) = 'SLACPG1'::bytea) AS magic FROM shards;
SELECT count(*) AS outcomes,
       count(*) FILTER (WHERE o NOT IN (SELECT jsonb_array_elements(slac_outcomes(p.bytecode, NULL, r.data))
                                          FROM slac_rows r JOIN policies p ON p.name = r.policy
                                         WHERE r.policy = 'saleor' GROUP BY p.bytecode)) AS differ
  FROM (SELECT jsonb_array_elements(slac_outcomes(partial)) o FROM shards) s;
-- damaged partial states are refused, never read past their end
SELECT slac_outcomes('\x00'::bytea);
SELECT slac_outcomes(substr(partial, 1, octet_length(partial) - 1)) FROM shards LIMIT 1;
SELECT slac_outcomes(partial || '\x00'::bytea) FROM shards LIMIT 1;
SELECT slac_outcomes(overlay(partial placing '\xffffffffffffff7f'::bytea from 9 for 8)) FROM shards LIMIT 1;
-- partial states of two policies do not merge
SELECT slac_outcomes(partial) FROM (
  SELECT slac_partial(p.bytecode, NULL, slac_account('a', 1.00, 'USD')) AS partial FROM policies p GROUP BY p.bytecode) s;
