/* sums.c - the aggregate slac_window_sums: request windows folded, as
 * they come, into libslac's window sums (slac_windows_*: per account,
 * service and month, what the error-rate average needs), merged exactly by
 * the combine function, serialized for parallel workers and other
 * servers, and evaluated by slac_evaluate with the accounts and any other
 * rows.  A state weighs its accounts and months, not its rows, so a
 * worker's state crosses to the leader in kilobytes (docs/postgresql.md,
 * "Window sums"; docs/performance.md, "In PostgreSQL").
 *
 * The state holds libslac objects (malloc'd): a reset callback of the
 * aggregate's memory context frees them, whether the query ends or fails. */
#include "slac_pg.h"
#include "catalog/pg_type.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

typedef struct {
  MemoryContext cx;
  MemoryContextCallback freed;  /* frees P and W with CX */
  bytea *policy;                /* the bytecode, in CX */
  bool policy_stable;           /* the argument is a constant or a parameter:
                                   the same value for every row */
  slac_api_policy *p;
  slac_api_windows *w;
  slac_pg_diags diags;          /* what libslac reported during one call */
} sums_state;

static void free_state(void *arg) {
  sums_state *st = arg;
  slac_windows_free(st->w);
  slac_policy_free(st->p);
  st->w = NULL;
  st->p = NULL;
}

/* Raise what libslac reported (the state's collected diagnostics). */
static void raise_collected(sums_state *st, const char *what) {
  slac_pg_diags d = st->diags;
  memset(&st->diags, 0, sizeof st->diags);
  slac_pg_raise(&d, ERRCODE_DATA_EXCEPTION, what, NULL, NULL);
  if (d.errors == 0) /* a failure libslac did not report: only out of memory */
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory in %s", what)));
}

/* A state in CX for POLICY (bytecode of LEN bytes), its sums BYTES (NULL:
 * empty). */
static sums_state *state_new(MemoryContext cx, const char *policy, Size len, const void *bytes,
                             Size nbytes) {
  sums_state *st = MemoryContextAllocZero(cx, sizeof *st);
  st->cx = cx;
  st->policy = MemoryContextAlloc(cx, VARHDRSZ + len);
  SET_VARSIZE(st->policy, VARHDRSZ + len);
  memcpy(VARDATA(st->policy), policy, len);
  st->freed.func = free_state;
  st->freed.arg = st;
  MemoryContextRegisterResetCallback(cx, &st->freed);
  st->p = slac_policy_load(policy, len, "policy", slac_pg_collect, &st->diags);
  if (st->p)
    st->w = bytes ? slac_windows_load(st->p, bytes, nbytes, slac_pg_collect, &st->diags)
                  : slac_windows_new(st->p, slac_pg_collect, &st->diags);
  if (!st->w) raise_collected(st, "reading window sums");
  return st;
}

static void different_policies(void) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                  errmsg("the rows of one group are summed with different policies"),
                  errhint("group by the policy, or give every row of a group the same one")));
}

/* Whether the aggregate's first argument is a constant or a parameter
 * (a subquery's value): the same for every row of the group, so that it
 * is compared once, not for each of millions of rows. */
static bool first_argument_stable(FunctionCallInfo fcinfo) {
  Aggref *agg = AggGetAggref(fcinfo);
  if (!agg || list_length(agg->args) < 1) return false;
  Node *e = (Node *)((TargetEntry *)linitial(agg->args))->expr;
  return IsA(e, Const) || IsA(e, Param);
}

static void null_column(const char *column) {
  ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                  errmsg("a request window with a NULL %s", column),
                  errhint("every window needs its account, service, start, requests and errors; "
                          "filter the rows that lack one, or fill them in")));
}

/* PostgreSQL's epoch is 2000-01-01: so many seconds after 1970's. */
#define PG_EPOCH_SECONDS INT64CONST(946684800)

/* slac_window_sums(policy, account, service, start, requests, errors): one row. */
PG_FUNCTION_INFO_V1(slac_pg_sums_add);
Datum slac_pg_sums_add(PG_FUNCTION_ARGS) {
  sums_state *st = PG_ARGISNULL(0) ? NULL : (sums_state *)PG_GETARG_POINTER(0);
  if (PG_ARGISNULL(1))
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the policy is NULL"),
                    errhint("give the bytecode of slac_compile(source)")));
  if (!st) { /* the first row: a state only an aggregate can hold (later rows bring it) */
    MemoryContext cx = slac_pg_agg_context(fcinfo, "slac_sums_add");
    bytea *policy = PG_GETARG_BYTEA_PP(1);
    st = state_new(cx, VARDATA_ANY(policy), VARSIZE_ANY_EXHDR(policy), NULL, 0);
    st->policy_stable = first_argument_stable(fcinfo);
  } else if (!st->policy_stable && !slac_pg_same_bytes(st->policy, PG_GETARG_BYTEA_PP(1))) {
    different_policies();
  }
  static const char *const columns[] = {"account", "service", "start", "requests", "errors"};
  for (int i = 2; i <= 6; i++)
    if (PG_ARGISNULL(i)) null_column(columns[i - 2]);
  text *account = PG_GETARG_TEXT_PP(2), *service = PG_GETARG_TEXT_PP(3);
  TimestampTz start = PG_GETARG_TIMESTAMPTZ(4);
  int64 requests = PG_GETARG_INT64(5), errors = PG_GETARG_INT64(6);
  if (TIMESTAMP_NOT_FINITE(start))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("a request window starting at infinity"),
                    errhint("give each window its start")));
  if (start % USECS_PER_SEC != 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("a request window starting at %s, within a second",
                           timestamptz_to_str(start)),
                    errhint("windows start on whole seconds, on a multiple of their length")));
  if (requests < 0 || errors < 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("a request window with %s requests and %s errors: counts are never "
                           "negative", psprintf(INT64_FORMAT, requests),
                           psprintf(INT64_FORMAT, errors))));
  /* seconds since 1970, rounded down (whole seconds here) */
  int64 seconds = start / USECS_PER_SEC + PG_EPOCH_SECONDS;
  if (slac_windows_add(st->w, VARDATA_ANY(account), VARSIZE_ANY_EXHDR(account),
                       VARDATA_ANY(service), VARSIZE_ANY_EXHDR(service), seconds,
                       (uint64)requests, (uint64)errors) != 0)
    raise_collected(st, "summing request windows");
  PG_RETURN_POINTER(st);
}

/* ---- serialized form -------------------------------------------------
 *   "SLACPS1\0", u64 policy length, policy bytes, the sums' own bytes
 *   (slac_windows_save, which names the policy by its SHA-256). */
static const char magic[8] = "SLACPS1";

static bytea *serialize(const sums_state *st) {
  Size plen = VARSIZE_ANY_EXHDR(st->policy);
  size_t n = slac_windows_save(st->w, NULL, 0);
  if (n == 0) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory saving window sums")));
  Size total = VARHDRSZ + sizeof magic + 8 + plen + n;
  if (total > MaxAllocSize)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("the window sums of one group hold %zu bytes, more than the 1 GB of a "
                           "PostgreSQL value", total),
                    errhint("group the rows (by account) so that each group is smaller")));
  bytea *b = palloc(total);
  SET_VARSIZE(b, total);
  char *p = VARDATA(b);
  memcpy(p, magic, sizeof magic);
  p += sizeof magic;
  for (int i = 0; i < 8; i++) *p++ = (char)((uint64)plen >> (8 * i));
  memcpy(p, VARDATA_ANY(st->policy), plen);
  p += plen;
  slac_windows_save(st->w, p, n);
  return b;
}

static void damaged(const char *what) {
  ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                  errmsg("not window sums of slac: %s", what),
                  errhint("give the bytes that slac_window_sums returned, unchanged")));
}

/* A state in CX from serialized bytes B. */
static sums_state *deserialize(MemoryContext cx, bytea *b) {
  const unsigned char *p = (const unsigned char *)VARDATA_ANY(b);
  Size n = VARSIZE_ANY_EXHDR(b);
  if (n < sizeof magic + 8 || memcmp(p, magic, sizeof magic) != 0)
    damaged("its first bytes are not SLACPS1");
  uint64 plen = 0;
  for (int i = 0; i < 8; i++) plen |= (uint64)p[sizeof magic + i] << (8 * i);
  if (plen > n - sizeof magic - 8) damaged("the policy is cut");
  const unsigned char *policy = p + sizeof magic + 8;
  return state_new(cx, (const char *)policy, plen, policy + plen, n - sizeof magic - 8 - plen);
}

/* INTO += FROM; INTO is made in CX when NULL. */
static sums_state *merge(MemoryContext cx, sums_state *into, sums_state *from) {
  if (!from) return into;
  if (!into)
    into = state_new(cx, VARDATA_ANY(from->policy), VARSIZE_ANY_EXHDR(from->policy), NULL, 0);
  else if (!slac_pg_same_bytes(into->policy, from->policy))
    different_policies();
  if (slac_windows_merge(into->w, from->w) != 0) raise_collected(into, "merging window sums");
  return into;
}

PG_FUNCTION_INFO_V1(slac_pg_sums_combine);
Datum slac_pg_sums_combine(PG_FUNCTION_ARGS) {
  MemoryContext cx = slac_pg_agg_context(fcinfo, "slac_sums_combine");
  sums_state *a = PG_ARGISNULL(0) ? NULL : (sums_state *)PG_GETARG_POINTER(0);
  sums_state *b = PG_ARGISNULL(1) ? NULL : (sums_state *)PG_GETARG_POINTER(1);
  a = merge(cx, a, b);
  if (!a) PG_RETURN_NULL();
  PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(slac_pg_sums_serialize);
Datum slac_pg_sums_serialize(PG_FUNCTION_ARGS) {
  PG_RETURN_BYTEA_P(serialize((sums_state *)PG_GETARG_POINTER(0)));
}

/* The final step: the state as bytes; NULL for no row at all. */
PG_FUNCTION_INFO_V1(slac_pg_sums_final);
Datum slac_pg_sums_final(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  PG_RETURN_BYTEA_P(serialize((sums_state *)PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(slac_pg_sums_deserialize);
Datum slac_pg_sums_deserialize(PG_FUNCTION_ARGS) {
  MemoryContext cx = slac_pg_agg_context(fcinfo, "slac_sums_deserialize");
  PG_RETURN_POINTER(deserialize(cx, PG_GETARG_BYTEA_PP(0)));
}

/* slac_window_sums(sums): the sums of shards or earlier queries, merged. */
PG_FUNCTION_INFO_V1(slac_pg_sums_add_partial);
Datum slac_pg_sums_add_partial(PG_FUNCTION_ARGS) {
  MemoryContext cx = slac_pg_agg_context(fcinfo, "slac_sums_add_partial");
  sums_state *st = PG_ARGISNULL(0) ? NULL : (sums_state *)PG_GETARG_POINTER(0);
  if (!PG_ARGISNULL(1)) {
    MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext, "slac sums", ALLOCSET_DEFAULT_SIZES);
    st = merge(cx, st, deserialize(tmp, PG_GETARG_BYTEA_PP(1)));
    MemoryContextDelete(tmp); /* frees the merged-in part's libslac objects */
  }
  if (!st) PG_RETURN_NULL();
  PG_RETURN_POINTER(st);
}

/* ---- slac_evaluate -------------------------------------------------------- */

/* slac_evaluate(sums, period, rows): the outcomes of the policy the sums
 * were made with, over the sums and ROWS (accounts, incidents, probes),
 * as slac_outcomes returns them. */
PG_FUNCTION_INFO_V1(slac_pg_evaluate);
Datum slac_pg_evaluate(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0))
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the window sums are NULL"),
                    errhint("slac_window_sums over no row is NULL: give it rows, or evaluate with "
                            "slac_outcomes")));
  MemoryContext cx = AllocSetContextCreate(CurrentMemoryContext, "slac evaluate", ALLOCSET_DEFAULT_SIZES);
  sums_state *st = deserialize(cx, PG_GETARG_BYTEA_PP(0));
  slac_api_run *r = slac_run_new(st->p, slac_pg_collect, &st->diags);
  int rc = r ? 0 : -1;
  if (rc == 0 && !PG_ARGISNULL(1)) rc = slac_run_set_period(r, text_to_cstring(PG_GETARG_TEXT_PP(1)));
  if (rc == 0 && !PG_ARGISNULL(2)) {
    ArrayType *rows = PG_GETARG_ARRAYTYPE_P(2);
    Datum *v;
    bool *nulls;
    int n;
    int16 typlen;
    bool byval;
    char align;
    get_typlenbyvalalign(ARR_ELEMTYPE(rows), &typlen, &byval, &align);
    deconstruct_array(rows, ARR_ELEMTYPE(rows), typlen, byval, align, &v, &nulls, &n);
    for (int i = 0; i < n && rc == 0; i++) {
      if (nulls[i]) continue; /* an outer join's NULL row adds nothing */
      bytea *row = DatumGetByteaPP(v[i]);
      const char *p = VARDATA_ANY(row);
      Size len = VARSIZE_ANY_EXHDR(row);
      if (len < 2 || (unsigned char)p[0] >= SLAC_PG_NTABLES) {
        slac_run_free(r);
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("a slac_row is damaged")));
      }
      rc = slac_run_push_records(r, (slac_api_table)p[0], p + 1, len - 1);
    }
  }
  if (rc == 0) rc = slac_run_push_windows(r, st->w);
  slac_pg_outcomes c;
  slac_pg_outcomes_init(&c);
  if (rc == 0) rc = slac_run_each(r, slac_pg_collect_outcome, &c);
  slac_run_free(r);
  slac_pg_diags d = st->diags;
  slac_pg_raise(&d, ERRCODE_DATA_EXCEPTION, "evaluating a slac policy over window sums", NULL, NULL);
  if (rc != 0)
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory evaluating a policy")));
  Datum out = slac_pg_outcomes_jsonb(&c);
  MemoryContextDelete(cx);
  return out;
}
