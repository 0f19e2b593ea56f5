-- slac--0.1.0.sql - the SQL objects of the extension slac (docs/postgresql.md).
\echo Use "CREATE EXTENSION slac" to load this file. \quit

-- ---- policies --------------------------------------------------------

-- The policy SOURCE compiled to bytecode (the bytes of `slac build`);
-- a policy error is raised with NAME:LINE:COLUMN, its message and its fix.
CREATE FUNCTION slac_compile(source text, name text DEFAULT 'policy') RETURNS bytea
  AS 'MODULE_PATHNAME', 'slac_pg_compile' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- One row per diagnostic of SOURCE (`slac check --format json`); no row
-- when it is clean.  Never raises a policy error.
CREATE FUNCTION slac_check(source text, name text DEFAULT 'policy',
    OUT line bigint, OUT "column" integer, OUT end_column integer,
    OUT severity text, OUT message text, OUT fix text) RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'slac_pg_check' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- The version of libslac inside the module.
CREATE FUNCTION slac_version() RETURNS text
  AS 'MODULE_PATHNAME', 'slac_pg_version' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- ---- rows ------------------------------------------------------------

-- One data row (an account, an incident, a request window or a probe) as
-- slac's CSV record of its kind; written "window:acme,api,2026-10-01T00:00:00Z,120,0".
CREATE TYPE slac_row;
CREATE FUNCTION slac_row_in(cstring) RETURNS slac_row
  AS 'MODULE_PATHNAME', 'slac_pg_row_in' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_row_out(slac_row) RETURNS cstring
  AS 'MODULE_PATHNAME', 'slac_pg_row_out' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE TYPE slac_row (INPUT = slac_row_in, OUTPUT = slac_row_out,
  INTERNALLENGTH = VARIABLE, STORAGE = extended);

-- Constructors: exact types only (numeric fees, bigint counts, timestamptz).
CREATE FUNCTION slac_account(account text, fee numeric, currency text,
    plan text DEFAULT NULL, standing text DEFAULT NULL, service text DEFAULT NULL)
  RETURNS slac_row AS 'MODULE_PATHNAME', 'slac_pg_account'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_incident(account text, service text, start timestamptz,
    "end" timestamptz, cause text, announced timestamptz DEFAULT NULL)
  RETURNS slac_row AS 'MODULE_PATHNAME', 'slac_pg_incident'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_window(account text, service text, start timestamptz,
    requests bigint, errors bigint)
  RETURNS slac_row AS 'MODULE_PATHNAME', 'slac_pg_window'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_probe(account text, service text, "time" timestamptz, ok boolean)
  RETURNS slac_row AS 'MODULE_PATHNAME', 'slac_pg_probe'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- ---- aggregates ------------------------------------------------------

-- The state: the group's rows as in-memory CSV tables (what the files
-- would hold), merged exactly by appending; evaluated once, at the end.
CREATE FUNCTION slac_agg_add(internal, bytea, text, slac_row) RETURNS internal
  AS 'MODULE_PATHNAME', 'slac_pg_agg_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_agg_add_partial(internal, bytea) RETURNS internal
  AS 'MODULE_PATHNAME', 'slac_pg_agg_add_partial' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_agg_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'slac_pg_agg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_agg_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME', 'slac_pg_agg_serialize' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_agg_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'slac_pg_agg_deserialize' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_agg_outcomes(internal) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'slac_pg_agg_outcomes' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The outcomes of POLICY (bytecode) over the rows, one jsonb object per
-- account and month in a jsonb array, each with the fields of
-- `slac eval --format jsonl`.  PERIOD is a month ('2026-10'), a range
-- ('2026-07..2026-12') or NULL (every month the rows touch).
CREATE AGGREGATE slac_outcomes(policy bytea, period text, data slac_row) (
  SFUNC = slac_agg_add, STYPE = internal, FINALFUNC = slac_agg_outcomes,
  COMBINEFUNC = slac_agg_combine, SERIALFUNC = slac_agg_serialize,
  DESERIALFUNC = slac_agg_deserialize, PARALLEL = SAFE);

-- The same state, serialized: a partial result to move between servers
-- (docs/scale.md) and finish with slac_outcomes(partial).
CREATE AGGREGATE slac_partial(policy bytea, period text, data slac_row) (
  SFUNC = slac_agg_add, STYPE = internal, FINALFUNC = slac_agg_serialize,
  COMBINEFUNC = slac_agg_combine, SERIALFUNC = slac_agg_serialize,
  DESERIALFUNC = slac_agg_deserialize, PARALLEL = SAFE);

-- Partial states merged exactly and evaluated: the outcomes of all the
-- rows they hold, as if one server had aggregated them.
CREATE AGGREGATE slac_outcomes(partial bytea) (
  SFUNC = slac_agg_add_partial, STYPE = internal, FINALFUNC = slac_agg_outcomes,
  COMBINEFUNC = slac_agg_combine, SERIALFUNC = slac_agg_serialize,
  DESERIALFUNC = slac_agg_deserialize, PARALLEL = SAFE);

-- ---- window sums -----------------------------------------------------

-- Request windows folded as they come into what the error-rate average
-- needs (per account, service and month): a state of kilobytes, merged
-- exactly, a window twice an error (docs/postgresql.md, "Window sums").
-- The result names its policy; slac_evaluate turns it into outcomes.
CREATE FUNCTION slac_sums_add(internal, bytea, text, text, timestamptz, bigint, bigint)
  RETURNS internal AS 'MODULE_PATHNAME', 'slac_pg_sums_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_sums_add_partial(internal, bytea) RETURNS internal
  AS 'MODULE_PATHNAME', 'slac_pg_sums_add_partial' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_sums_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'slac_pg_sums_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_sums_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME', 'slac_pg_sums_serialize' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_sums_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME', 'slac_pg_sums_deserialize' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION slac_sums_final(internal) RETURNS bytea
  AS 'MODULE_PATHNAME', 'slac_pg_sums_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE slac_window_sums(policy bytea, account text, service text,
    start timestamptz, requests bigint, errors bigint) (
  SFUNC = slac_sums_add, STYPE = internal, FINALFUNC = slac_sums_final,
  COMBINEFUNC = slac_sums_combine, SERIALFUNC = slac_sums_serialize,
  DESERIALFUNC = slac_sums_deserialize, PARALLEL = SAFE);

-- Window sums of shards or of earlier queries, merged exactly.
CREATE AGGREGATE slac_window_sums(sums bytea) (
  SFUNC = slac_sums_add_partial, STYPE = internal, FINALFUNC = slac_sums_final,
  COMBINEFUNC = slac_sums_combine, SERIALFUNC = slac_sums_serialize,
  DESERIALFUNC = slac_sums_deserialize, PARALLEL = SAFE);

-- The outcomes of the policy the sums were made with over the sums and
-- ROWS (accounts, incidents, probes: slac_row constructors), as
-- slac_outcomes returns them.  PERIOD as for slac_outcomes.
CREATE FUNCTION slac_evaluate(sums bytea, period text DEFAULT NULL, rows slac_row[] DEFAULT NULL)
  RETURNS jsonb AS 'MODULE_PATHNAME', 'slac_pg_evaluate' LANGUAGE C IMMUTABLE PARALLEL SAFE;
