/* outcomes.c - the final step of slac_outcomes: the group's tables pushed
 * into one libslac run, evaluated, and the outcomes returned as a jsonb
 * array of the objects `slac eval --format jsonl` writes.  A bad row is
 * raised as an error naming it ("<incidents>:3: column 'end': ..."), the
 * record itself in the detail.
 *
 * Rows reach an aggregate in any order (parallel workers interleave them,
 * partial states are appended), but slac reads the request windows and
 * probes of one account and service in time order, as a file holds them:
 * those two tables are sorted first, by (a hash of account and service,
 * time).  Two pairs with the same hash stay each in time order, so a
 * collision costs nothing.  The constructors write times as
 * 2026-10-01T00:05:00Z, whose digits order like the times themselves. */
#include "slac_pg.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "common/hashfn.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

static const char *const table_files[SLAC_PG_NTABLES] = {"<accounts>", "<incidents>",
                                                         "<windows>", "<probes>"};

/* The record a diagnostic's "<table>:LINE" names: line 1 is the header,
 * so record LINE - 1 of the table. */
static char *row_of(void *ctx, const slac_api_diag *dg) {
  const slac_pg_state *st = ctx;
  if (!dg->file || dg->line < 2) return NULL;
  for (int k = 0; k < SLAC_PG_NTABLES; k++) {
    if (strcmp(dg->file, table_files[k]) != 0) continue;
    const slac_pg_buf *b = &st->table[k];
    long line = 2;
    bool quoted = false;
    Size from = 0;
    for (Size i = 0; i < b->len; i++) {
      if (b->data[i] == '"') quoted = !quoted;
      if (b->data[i] != '\n' || quoted) continue;
      if (line == dg->line)
        return psprintf("the %s row: %s:%.*s", slac_pg_kind_names[k], slac_pg_kind_names[k],
                        (int)(i - from), b->data + from);
      line++;
      from = i + 1;
    }
  }
  return NULL;
}

typedef struct {
  uint64 group;   /* hash of the account and service fields */
  int64 time;     /* YYYYMMDDhhmmss of the time field */
  Size at, len;   /* the record in its table */
} sort_key;

static int compare_keys(const void *a, const void *b) {
  const sort_key *x = a, *y = b;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  if (x->time != y->time) return x->time < y->time ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at; /* stable: the order they came in */
}

/* The digits of an RFC 3339 time in UTC as one integer; 0 for another form
 * (slac then says which row is out of order, if one is). */
static int64 time_digits(const char *f, Size n) {
  if (n < 20 || f[4] != '-' || f[10] != 'T' || f[n - 1] != 'Z') return 0;
  int64 v = 0;
  for (Size i = 0; i < 19; i++)
    if (f[i] >= '0' && f[i] <= '9') v = v * 10 + (f[i] - '0');
  return v;
}

typedef struct {
  uint64 group;   /* the key */
  int64 time;     /* the group's latest time so far */
} group_last;

/* Whether KEYS are already in time order within each group (as a table
 * scanned in the order its rows were written usually is): then no sort. */
static bool in_order(const sort_key *keys, Size n) {
  HASHCTL ctl = {.keysize = sizeof(uint64), .entrysize = sizeof(group_last),
                 .hcxt = CurrentMemoryContext};
  HTAB *last = hash_create("slac groups", 1024, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
  bool ordered = true;
  for (Size j = 0; j < n && ordered; j++) {
    bool found;
    group_last *g = hash_search(last, &keys[j].group, HASH_ENTER, &found);
    ordered = !found || g->time <= keys[j].time;
    g->time = keys[j].time;
  }
  hash_destroy(last);
  return ordered;
}

/* B's records sorted by account and service, then time, into OUT; B
 * itself when they are in order already. */
static void sort_table(const slac_pg_buf *b, slac_pg_buf *out) {
  Size n = 0, cap = 1024;
  sort_key *keys = MemoryContextAllocHuge(CurrentMemoryContext, cap * sizeof *keys);
  for (Size at = 0; at < b->len;) {
    /* the fields: 0 account, 1 service, 2 time */
    Size start[3] = {at, at, at}, end[3] = {at, at, at}, i = at;
    int field = 0;
    bool quoted = false;
    for (; i < b->len; i++) {
      char c = b->data[i];
      if (c == '"') quoted = !quoted;
      else if (!quoted && (c == ',' || c == '\n')) {
        if (field < 3) { end[field] = i; if (field < 2) start[field + 1] = i + 1; }
        field++;
        if (c == '\n') break;
      }
    }
    if (n == cap) { cap *= 2; keys = repalloc_huge(keys, cap * sizeof *keys); }
    sort_key *k = &keys[n++];
    k->group = hash_bytes_extended((const unsigned char *)b->data + start[0], (int)(end[1] - start[0]), 0);
    k->time = field >= 3 ? time_digits(b->data + start[2], end[2] - start[2]) : 0;
    k->at = at;
    k->len = i + 1 - at;
    at = i + 1;
  }
  if (in_order(keys, n)) {
    pfree(keys);
    *out = *b;
    return;
  }
  qsort(keys, n, sizeof *keys, compare_keys);
  out->data = MemoryContextAllocHuge(CurrentMemoryContext, b->len);
  out->cap = b->len;
  out->len = 0;
  for (Size j = 0; j < n; j++) {
    memcpy(out->data + out->len, b->data + keys[j].at, keys[j].len);
    out->len += keys[j].len;
  }
  pfree(keys);
}

PG_FUNCTION_INFO_V1(slac_pg_agg_outcomes);
Datum slac_pg_agg_outcomes(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  const slac_pg_state *st = (const slac_pg_state *)PG_GETARG_POINTER(0);
  slac_pg_state sorted = *st; /* windows and probes in time order */
  for (int k = SLAC_API_WINDOWS; k <= SLAC_API_PROBES; k++)
    if (st->table[k].len) sort_table(&st->table[k], &sorted.table[k]);
  st = &sorted;
  slac_pg_diags diags;
  memset(&diags, 0, sizeof diags);
  slac_pg_outcomes c;
  slac_pg_outcomes_init(&c);
  /* libslac's objects are malloc'd: nothing raises until they are freed */
  slac_api_policy *p = slac_policy_load(VARDATA_ANY(st->policy), VARSIZE_ANY_EXHDR(st->policy),
                                        "policy", slac_pg_collect, &diags);
  slac_api_run *r = p ? slac_run_new(p, slac_pg_collect, &diags) : NULL;
  int rc = r ? 0 : -1;
  if (rc == 0 && st->has_period) rc = slac_run_set_period(r, st->period);
  for (int k = 0; k < SLAC_PG_NTABLES && rc == 0; k++)
    if (st->table[k].len)
      rc = slac_run_push_records(r, (slac_api_table)k, st->table[k].data, st->table[k].len);
  if (rc == 0) rc = slac_run_each(r, slac_pg_collect_outcome, &c);
  slac_run_free(r);
  slac_policy_free(p);
  slac_pg_raise(&diags, ERRCODE_DATA_EXCEPTION, "evaluating a slac policy", row_of, (void *)st);
  if (rc != 0) /* a failure libslac did not report: only out of memory */
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory evaluating a policy")));
  return slac_pg_outcomes_jsonb(&c);
}
