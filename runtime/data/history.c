/* history.c - reads the history file of earlier credits (history.h). */
#include "runtime/data/history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/data/csv.h"
#include "runtime/data/header.h"

enum { H_ACCOUNT, H_PERIOD, H_AMOUNT, H_CURRENCY, H_COLUMNS };
static const char *const columns[H_COLUMNS] = {"account", "period", "credit_amount", "currency"};

static int row_order(const void *pa, const void *pb) {
  const slac_history_row *a = pa, *b = pb;
  int r = strcmp(a->account, b->account);
  return r ? r : (a->month > b->month) - (a->month < b->month);
}

/* "12.50": at least 0, at most 3 decimals (BHD has 3), below 10^15. */
static int parse_amount(slac_field f, slac_num *out) {
  size_t dot = f.len;
  for (size_t i = 0; i < f.len; i++)
    if (f.ptr[i] == '.') dot = i;
  int c = 0;
  if (f.len == 0 || f.ptr[0] == '-' || (dot < f.len && f.len - dot - 1 > 3) ||
      slac_num_parse(f.ptr, f.len, out) != SLAC_NUM_OK ||
      slac_num_cmp(*out, slac_num_int(1000000000000000), &c) != SLAC_NUM_OK || c >= 0)
    return -1;
  return 0;
}

static int read_header(slac_csv *csv, const char *path, slac_diags *d, int *col) {
  static const slac_header_spec spec = {columns, H_COLUMNS, NULL, 0, NULL, NULL};
  if (slac_header_read(csv, path, &spec, col, true, d) != 0) return -1;
  for (int k = 0; k < H_COLUMNS; k++)
    if (col[k] < 0) {
      slac_diag_data(d, path, 1, NULL, "a history file needs the columns account,period,"
                     "credit_amount,currency: '%s' is missing", columns[k]);
      return -1;
    }
  return 0;
}

/* One row into H->v[H->n]; -1 after reporting. */
static int read_row(slac_history *h, slac_csv *csv, const int *col, slac_diags *d) {
  const char *path = h->path;
  long line = slac_csv_line(csv);
  if (h->n == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 16;
    slac_history_row *v = realloc(h->v, cap * sizeof *v);
    if (!v) { slac_diag_oom(d); return -1; }
    h->v = v;
    h->cap = cap;
  }
  slac_history_row *r = &h->v[h->n];
  memset(r, 0, sizeof *r);
  r->line = line;
  slac_field acc = slac_csv_field(csv, (size_t)col[H_ACCOUNT]);
  slac_field per = slac_csv_field(csv, (size_t)col[H_PERIOD]);
  slac_field amt = slac_csv_field(csv, (size_t)col[H_AMOUNT]);
  slac_field cur = slac_csv_field(csv, (size_t)col[H_CURRENCY]);
  int shown = 200;
  if (acc.len == 0) {
    slac_diag_data(d, path, line, "account", "an account name is expected, the field is empty");
    return -1;
  }
  if (slac_month_parse(per.ptr, per.len, &r->month) != 0) {
    slac_diag_data(d, path, line, "period", "expected a month as YYYY-MM, got \"%.*s\"",
                   (int)(per.len > 200 ? 200 : per.len), per.ptr);
    return -1;
  }
  if (parse_amount(amt, &r->amount) != 0) {
    slac_diag_data(d, path, line, "credit_amount", "expected an amount like 12.50 (at least 0, "
                   "below 10^15), got \"%.*s\"", (int)(amt.len > 200 ? 200 : amt.len), amt.ptr);
    return -1;
  }
  if (cur.len != 3) {
    slac_diag_data(d, path, line, "currency", "expected an ISO 4217 code like USD, got \"%.*s\"",
                   (int)(cur.len > (size_t)shown ? (size_t)shown : cur.len), cur.ptr);
    return -1;
  }
  memcpy(r->currency, cur.ptr, 3);
  r->account = malloc(acc.len + 1);
  if (!r->account) { slac_diag_oom(d); return -1; }
  memcpy(r->account, acc.ptr, acc.len);
  r->account[acc.len] = 0;
  h->n++;
  return 0;
}

int slac_history_read(slac_history *h, const char *path, slac_diags *d) {
  memset(h, 0, sizeof *h);
  h->path = path;
  FILE *f = fopen(path, "rb");
  if (!f) {
    slac_diag_plain(d, SLAC_ERROR, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  slac_csv *csv = slac_csv_open(f, path);
  int col[H_COLUMNS];
  int rc = csv ? slac_csv_next(csv) : -1;
  if (!csv) slac_diag_oom(d);
  else if (rc < 0) slac_csv_report(csv, path, d);
  else if (rc == 0) {
    slac_diag_data(d, path, 0, NULL, "the file is empty: a header row naming the columns is expected");
    rc = -1;
  }
  if (rc == 1 && read_header(csv, path, d, col) != 0) rc = -1;
  while (rc == 1) {
    rc = slac_csv_next(csv);
    if (rc < 0) slac_csv_report(csv, path, d);
    if (rc != 1) break;
    if (read_row(h, csv, col, d) != 0) rc = -1;
  }
  if (csv) slac_csv_close(csv);
  fclose(f);
  if (rc < 0) {
    slac_history_free(h);
    return -1;
  }
  qsort(h->v, h->n, sizeof *h->v, row_order);
  for (size_t i = 1; i < h->n; i++)
    if (row_order(&h->v[i - 1], &h->v[i]) == 0) {
      char m[8];
      const slac_history_row *a = &h->v[i - 1], *b = &h->v[i];
      slac_month_format(b->month, m);
      slac_diag_data(d, path, a->line > b->line ? a->line : b->line, "period",
                     "account \"%s\" has %s twice (lines %ld and %ld): one row per account and month",
                     b->account, m, a->line < b->line ? a->line : b->line,
                     a->line > b->line ? a->line : b->line);
      slac_history_free(h);
      return -1;
    }
  return 0;
}

const slac_history_row *slac_history_of(const slac_history *h, const char *account, size_t *n) {
  size_t lo = 0, hi = h->n;
  while (lo < hi) { /* the first row of ACCOUNT or after it */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(h->v[mid].account, account) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < h->n && strcmp(h->v[end].account, account) == 0) end++;
  *n = end - lo;
  return h->v + lo;
}

void slac_history_free(slac_history *h) {
  for (size_t i = 0; i < h->n; i++) free(h->v[i].account);
  free(h->v);
  h->v = NULL;
  h->n = h->cap = 0;
}
