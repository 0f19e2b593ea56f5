/* run.c - one evaluation: data files or pushed rows in, outcomes out,
 * through slac_eval (runtime/eval) exactly as `slac eval` runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "runtime/eval/eval.h"

slac_api_run *slac_run_new(const slac_api_policy *p, slac_api_diag_fn cb, void *userdata) {
  slac_api_target t = {cb, userdata};
  slac_diags d;
  slac_api_diags(&d, &t);
  slac_api_run *r = p ? calloc(1, sizeof *r) : NULL;
  if (!p) slac_diag_plain(&d, SLAC_ERROR, "slac_run_new: a policy is expected, got NULL");
  else if (!r) slac_diag_oom(&d);
  if (!r) return NULL;
  r->policy = p;
  r->target = t;
  return r;
}

void slac_run_free(slac_api_run *r) {
  if (!r) return;
  for (int i = 0; i < r->ndata; i++) free(r->data_paths[i]);
  free(r->data_paths);
  free(r->accounts);
  free(r->claims);
  free(r->history);
  if (r->rows_ready) slac_rows_free(&r->rows);
  slac_windows_free(r->sums);
  for (size_t i = 0; i < r->layout.n; i++) free(r->column_specs[i]);
  free(r);
}

/* An error of the caller (a wrong argument, a wrong order of calls). */
static int misuse(slac_api_run *r, const char *message) {
  slac_diags d;
  slac_api_diags(&d, &r->target);
  slac_diag_plain(&d, SLAC_ERROR, "%s", message);
  return -1;
}

static int oom(slac_api_run *r) {
  slac_diags d;
  slac_api_diags(&d, &r->target);
  slac_diag_oom(&d);
  return -1;
}

int slac_run_set_period(slac_api_run *r, const char *months) {
  if (!months) { r->has_period = false; return 0; }
  const char *dots = strstr(months, "..");
  size_t n = dots ? (size_t)(dots - months) : strlen(months);
  slac_month from = 0, to = 0;
  const char *wrong = NULL;
  if (slac_month_parse(months, n, &from) != 0 ||
      (dots && slac_month_parse(dots + 2, strlen(dots + 2), &to) != 0))
    wrong = "the period must be a month as YYYY-MM or a range of months as FROM..TO "
            "(2024-01..2024-06)";
  else if (!dots) to = from;
  if (!wrong && to < from) wrong = "the range of months ends before it starts";
  if (!wrong && to - from >= SLAC_EVAL_MAX_PERIOD_MONTHS)
    wrong = "the range of months is longer than a century";
  if (wrong) {
    slac_diags d;
    slac_api_diags(&d, &r->target);
    slac_diag_plain(&d, SLAC_ERROR, "%s, got '%s'", wrong, months);
    return -1;
  }
  r->period = from;
  r->period_to = to;
  r->has_period = true;
  return 0;
}

int slac_run_set_column(slac_api_run *r, const char *spec) {
  if (!spec) return misuse(r, "slac_run_set_column: COLUMN=NAME is expected, got NULL");
  char *copy = strdup(spec);
  if (!copy) return oom(r);
  char err[512];
  size_t n = r->layout.n;
  if (slac_layout_add(&r->layout, copy, err, sizeof err) != 0) {
    free(copy);
    return misuse(r, err);
  }
  r->column_specs[n] = copy; /* the layout borrows its name */
  r->layout_set = true;
  return 0;
}

int slac_run_set_timestamps(slac_api_run *r, const char *style) {
  if (!style || slac_time_style_parse(style, &r->layout.times) != 0) {
    char err[160];
    snprintf(err, sizeof err, "the timestamps are one of %s, not '%.40s'", slac_time_style_names,
             style ? style : "(null)");
    return misuse(r, err);
  }
  r->layout_set = true;
  return 0;
}

static int no_rows(slac_api_run *r) {
  if (!r->rows_ready) return 0;
  return misuse(r, "rows were pushed into this run: data files and pushed rows do not mix");
}

/* A copy of S into *DST (NULL stays NULL). */
static int set_copy(slac_api_run *r, char **dst, const char *s) {
  char *c = s ? strdup(s) : NULL;
  if (s && !c) return oom(r);
  free(*dst);
  *dst = c;
  return 0;
}

int slac_run_add_file(slac_api_run *r, const char *path) {
  if (no_rows(r)) return -1;
  if (!path) return misuse(r, "slac_run_add_file: a path is expected, got NULL");
  char **v = realloc(r->data_paths, ((size_t)r->ndata + 1) * sizeof *v);
  if (!v) return oom(r);
  r->data_paths = v;
  if (!(v[r->ndata] = strdup(path))) return oom(r);
  r->ndata++;
  return 0;
}

int slac_run_set_files(slac_api_run *r, const char *accounts, const char *claims,
                       const char *history) {
  if (no_rows(r)) return -1;
  if (set_copy(r, &r->accounts, accounts) || set_copy(r, &r->claims, claims) ||
      set_copy(r, &r->history, history))
    return -1;
  return 0;
}

/* The row tables, made at the first push. */
static int rows(slac_api_run *r) {
  if (r->ndata || r->accounts || r->claims || r->history)
    return misuse(r, "this run has data files: pushed rows and data files do not mix");
  if (!r->rows_ready) {
    if (slac_rows_init(&r->rows) != 0) return oom(r);
    r->rows_ready = true;
  }
  return 0;
}

int slac_run_push_account(slac_api_run *r, const char *account, const char *service,
                          const char *fee, const char *currency, const char *plan,
                          const char *standing) {
  if (rows(r)) return -1;
  if (slac_rows_account(&r->rows, account, service, fee, currency, plan, standing)) return oom(r);
  return 0;
}

int slac_run_push_incident(slac_api_run *r, const char *account, const char *service,
                           const char *start, const char *end, const char *cause) {
  if (rows(r)) return -1;
  if (slac_rows_incident(&r->rows, account, service, start, end, cause)) return oom(r);
  return 0;
}

int slac_run_push_window(slac_api_run *r, const char *account, const char *service,
                         const char *start, uint64_t requests, uint64_t errors) {
  if (rows(r)) return -1;
  if (slac_rows_window(&r->rows, account, service, start, requests, errors)) return oom(r);
  return 0;
}

int slac_run_push_probe(slac_api_run *r, const char *account, const char *service,
                        const char *time, bool ok) {
  if (rows(r)) return -1;
  if (slac_rows_probe(&r->rows, account, service, time, ok)) return oom(r);
  return 0;
}

int slac_run_push_records(slac_api_run *r, slac_api_table table, const char *records,
                          size_t len) {
  static const slac_rows_kind kinds[] = {SLAC_ROWS_ACCOUNTS, SLAC_ROWS_INCIDENTS,
                                         SLAC_ROWS_WINDOWS, SLAC_ROWS_PROBES};
  if (table < SLAC_API_ACCOUNTS || table > SLAC_API_PROBES)
    return misuse(r, "slac_run_push_records: the table must be SLAC_API_ACCOUNTS, "
                     "SLAC_API_INCIDENTS, SLAC_API_WINDOWS or SLAC_API_PROBES");
  if (len && !records) return misuse(r, "slac_run_push_records: records are expected, got NULL");
  if (len && records[len - 1] != '\n')
    return misuse(r, "slac_run_push_records: the records must end with a line break");
  if (rows(r)) return -1;
  if (slac_rows_records(&r->rows, kinds[table], records, len)) return oom(r);
  return 0;
}

int slac_run_push_windows(slac_api_run *r, const slac_api_windows *w) {
  if (!w) return misuse(r, "slac_run_push_windows: window sums are expected, got NULL");
  const slac_api_policy *a = r->policy, *b = w->policy;
  if (a != b && (a->size != b->size || memcmp(a->bytes, b->bytes, a->size) != 0))
    return misuse(r, "slac_run_push_windows: the window sums were made with another policy than "
                     "the run's");
  if (rows(r)) return -1;
  if (!r->sums && !(r->sums = slac_windows_new(a, r->target.cb, r->target.userdata))) return -1;
  return slac_windows_merge(r->sums, w);
}

typedef struct {
  slac_api_outcome_fn fn;
  void *userdata;
  slac_diags *d;
  int rc;
} each_ctx;

static void each_outcome(void *ctx, const slac_outcome *o) {
  each_ctx *c = ctx;
  if (c->rc == 0) c->rc = slac_api_deliver(o, c->fn, c->userdata, c->d);
}

/* Evaluate R, writing to OUT in FORMAT and/or handing outcomes to EACH. */
static int run(slac_api_run *r, slac_format format, FILE *out, each_ctx *each) {
  slac_diags d;
  slac_api_diags(&d, &r->target);
  slac_eval_options o;
  memset(&o, 0, sizeof o);
  o.p = r->policy->program;
  o.accounts_path = r->accounts;
  o.claims_path = r->claims;
  o.history_path = r->history;
  o.data_paths = r->data_paths;
  o.ndata = r->ndata;
  o.has_period = r->has_period;
  o.period = r->period;
  o.period_to = r->period_to;
  o.format = format;
  o.out = out;
  o.jobs = 1; /* the embedder owns its threads */
  if (r->rows_ready) o.rows = &r->rows;
  if (r->sums) o.winsums = &r->sums->sums;
  if (r->layout_set && r->rows_ready)
    return misuse(r, "a column mapping or a time style describes data files; pushed rows are "
                     "in slac's own layout");
  if (r->layout_set) o.layout = &r->layout;
  if (each) {
    each->d = &d;
    o.on_outcome = each_outcome;
    o.outcome_ctx = each;
  }
  int rc = slac_eval(&o, &d);
  if (each && each->rc) rc = -1;
  return rc == 0 && d.errors == 0 ? 0 : -1;
}

int slac_run_write(slac_api_run *r, slac_api_format format, FILE *out) {
  if (!out) return misuse(r, "slac_run_write: an output stream is expected, got NULL");
  if (format != SLAC_API_TEXT && format != SLAC_API_JSONL && format != SLAC_API_CSV &&
      format != SLAC_API_HTML)
    return misuse(r, "slac_run_write: the format must be SLAC_API_TEXT, SLAC_API_JSONL, "
                     "SLAC_API_CSV or SLAC_API_HTML");
  static const slac_format formats[] = {SLAC_FORMAT_TEXT, SLAC_FORMAT_JSONL, SLAC_FORMAT_CSV,
                                        SLAC_FORMAT_HTML};
  return run(r, formats[format], out, NULL);
}

int slac_run_each(slac_api_run *r, slac_api_outcome_fn fn, void *userdata) {
  if (!fn) return misuse(r, "slac_run_each: a function is expected, got NULL");
  each_ctx c = {fn, userdata, NULL, 0};
  return run(r, SLAC_FORMAT_JSONL, NULL, &c);
}
