/* claims.c - reads the claims file (docs/claims.md) into a sorted table. */
#include "runtime/data/claims.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/data/csv.h"
#include "runtime/data/header.h"

enum { C_ACCOUNT, C_PERIOD, C_TICKET_OPENED, C_CLAIMED, C_SUBJECT, C_FIXED };
static const char *const fixed_columns[C_FIXED] = {"account", "period", "ticket_opened", "claimed",
                                                   "subject"};

static char *dup_field(slac_field f) {
  char *s = malloc(f.len + 1);
  if (s) {
    memcpy(s, f.ptr, f.len);
    s[f.len] = 0;
  }
  return s;
}

static int claim_order(const void *pa, const void *pb) {
  const slac_claim *a = pa, *b = pb;
  int r = strcmp(a->account, b->account);
  return r ? r : (a->month > b->month) - (a->month < b->month);
}

static int parse_time_field(slac_diags *d, const char *path, long line, const char *col, slac_field f,
                            slac_time *out) {
  const char *why = NULL;
  if (slac_time_parse(f.ptr, f.len, out, &why) == 0) return 0;
  slac_diag_data(d, path, line, col, "expected an RFC 3339 timestamp with an offset, got \"%.*s\" (%s)",
                 (int)(f.len > 200 ? 200 : f.len), f.ptr, why);
  return -1;
}

int slac_claims_read(slac_claims *c, const char *path, slac_diags *d) {
  memset(c, 0, sizeof *c);
  FILE *f = fopen(path, "rb");
  if (!f) {
    slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  slac_csv *csv = slac_csv_open(f, path);
  int col[C_FIXED], content[SLAC_CLAIM_NCONTENTS];
  int rc = csv ? slac_csv_next(csv) : -1;
  if (!csv) slac_diag_oom(d);
  else if (rc < 0) {
    slac_csv_report(csv, path, d);
  } else if (rc == 0) {
    slac_diag_data(d, path, 0, NULL, "the file is empty: a header row naming the columns is expected");
    rc = -1;
  }
  if (rc == 1) {
    /* the fixed columns, then one per content, found by one rule */
    const char *names[C_FIXED + SLAC_CLAIM_NCONTENTS];
    int cols[C_FIXED + SLAC_CLAIM_NCONTENTS];
    for (int k = 0; k < C_FIXED; k++) names[k] = fixed_columns[k];
    for (int k = 0; k < SLAC_CLAIM_NCONTENTS; k++) names[C_FIXED + k] = slac_claim_columns[k];
    slac_header_spec spec = {names, C_FIXED + SLAC_CLAIM_NCONTENTS, NULL, 0, NULL, NULL};
    if (slac_header_read(csv, path, &spec, cols, true, d) != 0) rc = -1;
    for (int k = 0; k < C_FIXED; k++) col[k] = cols[k];
    for (int k = 0; k < SLAC_CLAIM_NCONTENTS; k++) content[k] = cols[C_FIXED + k];
    for (int k = 0; k < C_CLAIMED + 1 && rc == 1; k++)
      if (col[k] < 0) {
        slac_diag_data(d, path, 1, NULL, "a claims file needs a column '%s' (see docs/claims.md)",
                       fixed_columns[k]);
        rc = -1;
      }
  }
  while (rc == 1) {
    rc = slac_csv_next(csv);
    if (rc < 0) slac_csv_report(csv, path, d);
    if (rc != 1) break;
    long line = slac_csv_line(csv);
    if (c->n == c->cap) {
      size_t cap = c->cap ? c->cap * 2 : 16;
      slac_claim *v = realloc(c->v, cap * sizeof *v);
      if (!v) { slac_diag_oom(d); rc = -1; break; }
      c->v = v;
      c->cap = cap;
    }
    slac_claim *cl = &c->v[c->n];
    memset(cl, 0, sizeof *cl);
    slac_field acc = slac_csv_field(csv, (size_t)col[C_ACCOUNT]);
    slac_field per = slac_csv_field(csv, (size_t)col[C_PERIOD]);
    if (acc.len == 0) {
      slac_diag_data(d, path, line, "account", "an account name is expected, the field is empty");
      rc = -1;
      break;
    }
    if (slac_month_parse(per.ptr, per.len, &cl->month) != 0) {
      slac_diag_data(d, path, line, "period", "expected a month as YYYY-MM, got \"%.*s\"",
                     (int)(per.len > 200 ? 200 : per.len), per.ptr);
      rc = -1;
      break;
    }
    if (parse_time_field(d, path, line, "ticket_opened", slac_csv_field(csv, (size_t)col[C_TICKET_OPENED]),
                         &cl->ticket_at) ||
        parse_time_field(d, path, line, "claimed", slac_csv_field(csv, (size_t)col[C_CLAIMED]),
                         &cl->claimed_at)) {
      rc = -1;
      break;
    }
    cl->account = dup_field(acc);
    cl->subject = dup_field(col[C_SUBJECT] >= 0 ? slac_csv_field(csv, (size_t)col[C_SUBJECT])
                                                : (slac_field){"", 0});
    c->n++;
    if (!cl->account || !cl->subject) { slac_diag_oom(d); rc = -1; break; }
    for (int k = 0; k < SLAC_CLAIM_NCONTENTS; k++)
      cl->has[k] = content[k] >= 0 && slac_csv_field(csv, (size_t)content[k]).len > 0;
  }
  if (csv) slac_csv_close(csv);
  fclose(f);
  if (rc < 0) {
    slac_claims_free(c);
    return -1;
  }
  qsort(c->v, c->n, sizeof *c->v, claim_order);
  for (size_t i = 1; i < c->n; i++)
    if (claim_order(&c->v[i - 1], &c->v[i]) == 0) {
      char m[8];
      slac_month_format(c->v[i].month, m);
      slac_diag_data(d, path, 0, NULL, "account \"%s\" has two claims for %s: one row per account and month",
                     c->v[i].account, m);
      slac_claims_free(c);
      return -1;
    }
  return 0;
}

const slac_claim *slac_claims_find(const slac_claims *c, const char *account, slac_month month) {
  slac_claim key;
  key.account = (char *)account;
  key.month = month;
  return bsearch(&key, c->v, c->n, sizeof *c->v, claim_order);
}

void slac_claims_free(slac_claims *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].account);
    free(c->v[i].subject);
  }
  free(c->v);
  memset(c, 0, sizeof *c);
}
