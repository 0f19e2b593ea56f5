/* state.c - the aggregate state: a group's rows as slac's in-memory CSV
 * tables.  Merging two states appends their tables, which is exact (the
 * reader unions overlapping incidents and adds windows whatever their
 * order, as the threaded file reader's parts are merged); serializing
 * writes them out for parallel workers and for other servers
 * (slac_partial), and deserializing checks every length it reads. */
#include "slac_pg.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

void slac_pg_buf_append(MemoryContext cx, slac_pg_buf *b, const char *s, Size n) {
  if (b->len + n > b->cap) {
    Size cap = Max(b->cap * 2, b->len + n + 8192);
    b->data = b->data ? repalloc_huge(b->data, cap) : MemoryContextAllocHuge(cx, cap);
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

slac_pg_state *slac_pg_state_new(MemoryContext cx, bytea *policy, const char *period) {
  slac_pg_state *st = MemoryContextAllocZero(cx, sizeof *st);
  st->cx = cx;
  Size n = VARSIZE_ANY(policy);
  st->policy = MemoryContextAlloc(cx, n);
  memcpy(st->policy, policy, n);
  st->has_period = period != NULL;
  st->period = period ? MemoryContextStrdup(cx, period) : NULL;
  return st;
}

/* PERIOD (LEN bytes, not NUL-terminated; NULL: none) is the state's. */
static void same_period(const slac_pg_state *st, const char *period, Size len) {
  if (st->has_period != (period != NULL) ||
      (period && (len != strlen(st->period) || memcmp(st->period, period, len) != 0)))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("the rows of one group are evaluated for different periods: %s and %.*s",
                           st->has_period ? st->period : "NULL", period ? (int)len : 4,
                           period ? period : "NULL"),
                    errhint("give every row of a group the same period")));
}

static void different_policies(void) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                  errmsg("the rows of one group are evaluated with different policies"),
                  errhint("group by the policy, or give every row of a group the same one")));
}

void slac_pg_state_merge(slac_pg_state *into, const slac_pg_state *from) {
  if (!slac_pg_same_bytes(into->policy, from->policy)) different_policies();
  same_period(into, from->period, from->period ? strlen(from->period) : 0);
  for (int k = 0; k < SLAC_PG_NTABLES; k++)
    if (from->table[k].len)
      slac_pg_buf_append(into->cx, &into->table[k], from->table[k].data, from->table[k].len);
}

/* The same policy as the state's: first the argument's raw bytes (a
 * compressed or out-of-line value compares without being expanded), then,
 * when they differ, the bytecode itself.  Never by the datum's address
 * alone: a buffer reused for another row would pass. */
static void same_policy(slac_pg_state *st, Datum arg) {
  struct varlena *raw = (struct varlena *)DatumGetPointer(arg);
  Size n = VARATT_IS_EXTERNAL(raw) ? VARSIZE_EXTERNAL(raw) : VARSIZE_ANY(raw);
  if (n == st->rawlen && memcmp(raw, st->raw, n) == 0) return;
  bytea *policy = DatumGetByteaPP(arg);
  if (!slac_pg_same_bytes(st->policy, policy)) different_policies();
  if (st->raw) pfree(st->raw);
  st->raw = MemoryContextAlloc(st->cx, n);
  memcpy(st->raw, raw, n);
  st->rawlen = n;
}

/* slac_outcomes(policy, period, row) and slac_partial: one row. */
PG_FUNCTION_INFO_V1(slac_pg_agg_add);
Datum slac_pg_agg_add(PG_FUNCTION_ARGS) {
  MemoryContext cx = slac_pg_agg_context(fcinfo, "slac_agg_add");
  slac_pg_state *st = PG_ARGISNULL(0) ? NULL : (slac_pg_state *)PG_GETARG_POINTER(0);
  if (PG_ARGISNULL(1))
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the policy is NULL"),
                    errhint("give the bytecode of slac_compile(source)")));
  if (!st) {
    char *period = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
    st = slac_pg_state_new(cx, PG_GETARG_BYTEA_PP(1), period);
  } else {
    same_policy(st, PG_GETARG_DATUM(1));
    text *period = PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2);
    same_period(st, period ? VARDATA_ANY(period) : NULL, period ? VARSIZE_ANY_EXHDR(period) : 0);
  }
  if (!PG_ARGISNULL(3)) { /* a NULL row (an outer join's) adds nothing */
    bytea *row = PG_GETARG_BYTEA_PP(3);
    const char *p = VARDATA_ANY(row);
    Size len = VARSIZE_ANY_EXHDR(row);
    if (len < 2 || (unsigned char)p[0] >= SLAC_PG_NTABLES)
      ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("a slac_row is damaged")));
    slac_pg_buf_append(cx, &st->table[(unsigned char)p[0]], p + 1, len - 1);
  }
  PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(slac_pg_agg_combine);
Datum slac_pg_agg_combine(PG_FUNCTION_ARGS) {
  MemoryContext cx = slac_pg_agg_context(fcinfo, "slac_agg_combine");
  slac_pg_state *a = PG_ARGISNULL(0) ? NULL : (slac_pg_state *)PG_GETARG_POINTER(0);
  slac_pg_state *b = PG_ARGISNULL(1) ? NULL : (slac_pg_state *)PG_GETARG_POINTER(1);
  if (!b) PG_RETURN_POINTER(a);
  if (!a) { /* a copy in the aggregate's own context */
    a = slac_pg_state_new(cx, b->policy, b->period);
  }
  slac_pg_state_merge(a, b);
  PG_RETURN_POINTER(a);
}

/* ---- serialized form ----------------------------------------------------
 *   "SLACPG1\0"  u64 policy length, policy bytes
 *   u8 has_period, u64 period length, period bytes
 *   4 x (u64 table length, table bytes)
 * integers little-endian, whatever the machine. */
static const char magic[8] = "SLACPG1";

static void put_u64(StringInfo s, uint64 v) {
  unsigned char b[8];
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
  appendBinaryStringInfo(s, (char *)b, 8);
}

PG_FUNCTION_INFO_V1(slac_pg_agg_serialize);
Datum slac_pg_agg_serialize(PG_FUNCTION_ARGS) {
  slac_pg_state *st = (slac_pg_state *)PG_GETARG_POINTER(0);
  Size total = VARHDRSZ + sizeof magic + 8 + VARSIZE_ANY_EXHDR(st->policy) + 1 + 8 +
               (st->period ? strlen(st->period) : 0) + SLAC_PG_NTABLES * 8;
  for (int k = 0; k < SLAC_PG_NTABLES; k++) total += st->table[k].len;
  if (total > MaxAllocSize)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("the state of one group holds %zu bytes, more than the 1 GB of a "
                           "PostgreSQL value", total),
                    errhint("group the rows (by account) so that each group is smaller")));
  StringInfoData s;
  initStringInfo(&s);
  enlargeStringInfo(&s, (int)total);
  appendStringInfoSpaces(&s, VARHDRSZ);
  appendBinaryStringInfo(&s, magic, sizeof magic);
  put_u64(&s, VARSIZE_ANY_EXHDR(st->policy));
  appendBinaryStringInfo(&s, VARDATA_ANY(st->policy), (int)VARSIZE_ANY_EXHDR(st->policy));
  appendStringInfoChar(&s, st->has_period ? 1 : 0);
  put_u64(&s, st->period ? strlen(st->period) : 0);
  if (st->period) appendStringInfoString(&s, st->period);
  for (int k = 0; k < SLAC_PG_NTABLES; k++) {
    put_u64(&s, st->table[k].len);
    if (st->table[k].len) appendBinaryStringInfo(&s, st->table[k].data, (int)st->table[k].len);
  }
  SET_VARSIZE(s.data, s.len);
  PG_RETURN_BYTEA_P((bytea *)s.data);
}

typedef struct {
  const unsigned char *p;
  Size left;
} reader;

static void damaged(const char *what) {
  ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                  errmsg("not a partial state of slac: %s", what),
                  errhint("give the bytes that slac_partial returned, unchanged")));
}

static const unsigned char *take(reader *r, Size n, const char *what) {
  if (n > r->left) damaged(what);
  const unsigned char *p = r->p;
  r->p += n;
  r->left -= n;
  return p;
}

static uint64 take_u64(reader *r, const char *what) {
  const unsigned char *b = take(r, 8, what);
  uint64 v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64)b[i] << (8 * i);
  return v;
}

/* A state in CX from serialized bytes B, every length checked. */
static slac_pg_state *deserialize(MemoryContext cx, bytea *b) {
  reader r = {(const unsigned char *)VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)};
  if (memcmp(take(&r, sizeof magic, "it is shorter than its header"), magic, sizeof magic) != 0)
    damaged("its first bytes are not SLACPG1");
  uint64 n = take_u64(&r, "the policy's length is cut");
  const unsigned char *policy = take(&r, n, "the policy is cut");
  bytea *pb = palloc(VARHDRSZ + n);
  SET_VARSIZE(pb, VARHDRSZ + n);
  memcpy(VARDATA(pb), policy, n);
  unsigned char has = *take(&r, 1, "the period is cut");
  if (has > 1) damaged("the period's flag is neither 0 nor 1");
  n = take_u64(&r, "the period's length is cut");
  if (n > 64 || (!has && n)) damaged("the period is too long");
  char period[65];
  memcpy(period, take(&r, n, "the period is cut"), n);
  period[n] = 0;
  if (strlen(period) != n) damaged("the period holds a NUL byte");
  slac_pg_state *st = slac_pg_state_new(cx, pb, has ? period : NULL);
  for (int k = 0; k < SLAC_PG_NTABLES; k++) {
    n = take_u64(&r, "a table's length is cut");
    const unsigned char *t = take(&r, n, "a table is cut");
    if (n && t[n - 1] != '\n') damaged("a table does not end with a line break");
    if (n) slac_pg_buf_append(cx, &st->table[k], (const char *)t, n);
  }
  if (r.left) damaged("bytes follow its last table");
  return st;
}

PG_FUNCTION_INFO_V1(slac_pg_agg_deserialize);
Datum slac_pg_agg_deserialize(PG_FUNCTION_ARGS) {
  MemoryContext cx = slac_pg_agg_context(fcinfo, "slac_agg_deserialize");
  PG_RETURN_POINTER(deserialize(cx, PG_GETARG_BYTEA_PP(0)));
}

/* slac_outcomes(partial): one serialized state merged in. */
PG_FUNCTION_INFO_V1(slac_pg_agg_add_partial);
Datum slac_pg_agg_add_partial(PG_FUNCTION_ARGS) {
  MemoryContext cx = slac_pg_agg_context(fcinfo, "slac_agg_add_partial");
  slac_pg_state *st = PG_ARGISNULL(0) ? NULL : (slac_pg_state *)PG_GETARG_POINTER(0);
  if (PG_ARGISNULL(1)) PG_RETURN_POINTER(st);
  slac_pg_state *part = deserialize(CurrentMemoryContext, PG_GETARG_BYTEA_PP(1));
  if (!st) st = slac_pg_state_new(cx, part->policy, part->period);
  slac_pg_state_merge(st, part);
  PG_RETURN_POINTER(st);
}
