/* slac_pg.h - what the files of the PostgreSQL extension share: the
 * aggregate state (the group's rows as slac's in-memory CSV tables), the
 * row kinds, and the raising of libslac's diagnostics as PostgreSQL
 * errors.  The extension uses libslac's public API only (slac/slac.h). */
#ifndef SLAC_PG_H
#define SLAC_PG_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include <slac/slac.h>

/* The kinds of rows, in the order of slac_api_table: the first byte of
 * a slac_row, then one CSV record ending in a line break. */
#define SLAC_PG_NTABLES 4
extern const char *const slac_pg_kind_names[SLAC_PG_NTABLES]; /* "account", ... */

/* A growing buffer of CSV records, past PostgreSQL's 1 GB palloc limit. */
typedef struct {
  char *data;
  Size len, cap;
} slac_pg_buf;

void slac_pg_buf_append(MemoryContext cx, slac_pg_buf *b, const char *s, Size n);

/* The state of every slac aggregate. */
typedef struct {
  MemoryContext cx;             /* where it lives: the aggregate's context */
  bytea *policy;                /* the policy's bytecode, detoasted */
  char *raw;                    /* the policy argument as last passed (maybe */
  Size rawlen;                  /*   compressed): a cheap same-policy check */
  bool has_period;
  char *period;                 /* "2026-10", "2026-07..2026-12" */
  slac_pg_buf table[SLAC_PG_NTABLES];
} slac_pg_state;

/* A new state in CX for POLICY and PERIOD (NULL: every month). */
slac_pg_state *slac_pg_state_new(MemoryContext cx, bytea *policy, const char *period);
/* Append FROM's rows to INTO (the same policy and period, or an error). */
void slac_pg_state_merge(slac_pg_state *into, const slac_pg_state *from);

/* The aggregate's memory context; an ERROR naming FN when the call is
 * not a step of an aggregate. */
MemoryContext slac_pg_agg_context(FunctionCallInfo fcinfo, const char *fn);
/* A and B hold the same bytes. */
bool slac_pg_same_bytes(const bytea *a, const bytea *b);

/* Outcomes gathered into a jsonb array: slac_pg_collect_outcome is the
 * slac_run_each callback, slac_pg_outcomes_jsonb the array ("[]" when
 * there was none). */
typedef struct {
  StringInfoData json;          /* "[" outcome "," outcome ... */
  long n;
} slac_pg_outcomes;

void slac_pg_outcomes_init(slac_pg_outcomes *c);
void slac_pg_collect_outcome(void *userdata, const slac_api_outcome *o);
Datum slac_pg_outcomes_jsonb(slac_pg_outcomes *c);

/* The diagnostics libslac reports during one call, kept to be raised
 * once libslac has returned (never a longjmp through the library). */
typedef struct {
  slac_api_diag *v;             /* palloc'd copies */
  int n, cap, errors;
} slac_pg_diags;

void slac_pg_collect(void *userdata, const slac_api_diag *dg);
/* "NAME:LINE:COLUMN: MESSAGE", the command line's form. */
char *slac_pg_diag_text(const slac_api_diag *dg);
/* Raise the warnings as WARNING (the first ten, then a count), and the
 * errors as one ERROR of SQLSTATE, WHAT its context:
 * the first in the message, every other one in the
 * detail, with ROW_OF (NULL: none) naming the data row of a message. */
void slac_pg_raise(const slac_pg_diags *d, int sqlstate, const char *what,
                   char *(*row_of)(void *ctx, const slac_api_diag *dg), void *ctx);

#endif
