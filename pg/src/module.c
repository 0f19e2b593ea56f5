/* module.c - the module's magic, its version, and how libslac's
 * diagnostics become PostgreSQL warnings and errors. */
#include "slac_pg.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

PG_MODULE_MAGIC;

const char *const slac_pg_kind_names[SLAC_PG_NTABLES] = {"account", "incident", "window",
                                                         "probe"};

PG_FUNCTION_INFO_V1(slac_pg_version);
Datum slac_pg_version(PG_FUNCTION_ARGS) {
  PG_RETURN_TEXT_P(cstring_to_text(slac_library_version()));
}

MemoryContext slac_pg_agg_context(FunctionCallInfo fcinfo, const char *fn) {
  MemoryContext cx;
  if (!AggCheckCallContext(fcinfo, &cx))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("%s is the step of an aggregate, not a function to call", fn)));
  return cx;
}

bool slac_pg_same_bytes(const bytea *a, const bytea *b) {
  return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
         memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

void slac_pg_outcomes_init(slac_pg_outcomes *c) {
  initStringInfo(&c->json);
  c->n = 0;
}

void slac_pg_collect_outcome(void *userdata, const slac_api_outcome *o) {
  slac_pg_outcomes *c = userdata;
  appendStringInfoChar(&c->json, c->n++ ? ',' : '[');
  appendStringInfoString(&c->json, o->jsonl);
}

Datum slac_pg_outcomes_jsonb(slac_pg_outcomes *c) {
  appendStringInfoString(&c->json, c->n ? "]" : "[]");
  return DirectFunctionCall1(jsonb_in, CStringGetDatum(c->json.data));
}

static char *copy_or_null(const char *s) { return s ? pstrdup(s) : NULL; }

/* Called by libslac: only copies (palloc), never raises. */
void slac_pg_collect(void *userdata, const slac_api_diag *dg) {
  slac_pg_diags *d = userdata;
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 8;
    d->v = d->v ? repalloc(d->v, sizeof *d->v * d->cap) : palloc(sizeof *d->v * d->cap);
  }
  slac_api_diag *c = &d->v[d->n++];
  *c = *dg;
  c->file = copy_or_null(dg->file);
  c->message = copy_or_null(dg->message);
  c->fix = copy_or_null(dg->fix);
  if (dg->severity == SLAC_API_ERROR) d->errors++;
}

char *slac_pg_diag_text(const slac_api_diag *dg) {
  StringInfoData s;
  initStringInfo(&s);
  if (dg->file) appendStringInfoString(&s, dg->file);
  if (dg->file && dg->line > 0) appendStringInfo(&s, ":%ld", dg->line);
  if (dg->file && dg->line > 0 && dg->column > 0) appendStringInfo(&s, ":%d", dg->column);
  if (dg->file) appendStringInfoString(&s, ": ");
  appendStringInfoString(&s, dg->message ? dg->message : "");
  return s.data;
}

#define SLAC_PG_MAX_WARNINGS 10

void slac_pg_raise(const slac_pg_diags *d, int sqlstate, const char *what,
                   char *(*row_of)(void *ctx, const slac_api_diag *dg), void *ctx) {
  int warnings = 0;
  for (int i = 0; i < d->n; i++) {
    const slac_api_diag *dg = &d->v[i];
    if (dg->severity == SLAC_API_ERROR) continue;
    if (++warnings > SLAC_PG_MAX_WARNINGS) continue;
    char *row = row_of ? row_of(ctx, dg) : NULL;
    ereport(dg->severity == SLAC_API_WARNING ? WARNING : NOTICE,
            (errmsg("%s", slac_pg_diag_text(dg)),
             row ? errdetail("%s", row) : 0,
             dg->fix ? errhint("write \"%s\" there", dg->fix) : 0));
  }
  if (warnings > SLAC_PG_MAX_WARNINGS)
    ereport(WARNING, (errmsg("%d more warnings of %s", warnings - SLAC_PG_MAX_WARNINGS, what)));
  if (d->errors == 0) return;
  const slac_api_diag *first = NULL;
  StringInfoData detail;
  initStringInfo(&detail);
  for (int i = 0; i < d->n; i++) {
    const slac_api_diag *dg = &d->v[i];
    if (dg->severity != SLAC_API_ERROR) continue;
    if (!first) {
      first = dg;
      char *row = row_of ? row_of(ctx, dg) : NULL;
      if (row) appendStringInfoString(&detail, row);
      continue;
    }
    if (detail.len) appendStringInfoChar(&detail, '\n');
    appendStringInfoString(&detail, slac_pg_diag_text(dg));
  }
  ereport(ERROR, (errcode(sqlstate),
                  errmsg("%s", slac_pg_diag_text(first)),
                  detail.len ? errdetail("%s", detail.data) : 0,
                  first->fix ? errhint("write \"%s\" there", first->fix) : 0,
                  errcontext("%s", what)));
}
