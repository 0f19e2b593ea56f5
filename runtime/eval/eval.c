/* eval.c - orchestrates the readers, the interval algebra and the VM. */
#include "runtime/eval/eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "runtime/data/claims.h"
#include "runtime/base/currency.h"
#include "runtime/base/fileio.h"
#include "runtime/data/dataset.h"
#include "runtime/data/history.h"
#include "runtime/data/parallel.h"
#include "runtime/data/readers.h"
#include "runtime/eval/exposure.h"
#include "runtime/eval/exposure_report.h"
#include "runtime/eval/margins.h"
#include "runtime/eval/ordered.h"
#include "runtime/vm/vm.h"

typedef struct {
  slac_diags *d;
  const slac_eval_options *o;
  slac_dataset ds;
  slac_data_kind *kinds;
  struct stat *stats;           /* [ndata]: each data file when first read */
  slac_claims claims;
  slac_history history;
} evaluation;

/* The history file's rows must be credits that the accounts file can
 * vouch for: a listed account, in its currency and minor unit. */
static int check_history(evaluation *e) {
  const slac_program *p = e->o->p;
  const char *path = e->o->history_path;
  if (!p->period_cap_months)
    slac_diag_data_warning(e->d, path, 0, "the policy caps no credits over several months, "
                           "so the history of earlier credits is not used");
  for (size_t i = 0; i < e->history.n; i++) {
    const slac_history_row *r = &e->history.v[i];
    const slac_account *a = slac_dataset_find(&e->ds, r->account, strlen(r->account));
    if (!a || !a->listed) {
      slac_diag_data(e->d, path, r->line, "account", "account \"%s\" is not in the accounts file",
                     r->account);
      return -1;
    }
    const char *code = p->currencies[a->currency];
    if (memcmp(r->currency, code, 3) != 0) {
      slac_diag_data(e->d, path, r->line, "currency", "the credit is in %.3s, but account \"%s\" "
                     "pays in %.3s", r->currency, r->account, code);
      return -1;
    }
    slac_num whole;
    int digits = slac_currency_digits(code);
    if (slac_num_trunc(r->amount, digits, &whole) != SLAC_NUM_OK || whole.units != r->amount.units) {
      slac_diag_data(e->d, path, r->line, "credit_amount", "the amount has more decimals than %.3s "
                     "has (%d)", code, digits);
      return -1;
    }
  }
  return 0;
}

/* Rows pushed in memory, in the order of files: accounts, then incidents
 * and probes, then windows (which need the applied exclusions). */
static int read_rows(evaluation *e) {
  slac_rows *r = e->o->rows;
  static const slac_rows_kind order[] = {SLAC_ROWS_ACCOUNTS, SLAC_ROWS_INCIDENTS,
                                         SLAC_ROWS_PROBES, SLAC_ROWS_WINDOWS};
  for (int i = 0; i < 4; i++) {
    slac_rows_kind k = order[i];
    if (slac_rows_has(r, k) && slac_rows_fold(&e->ds, r, k, (uint32_t)k, false, e->d) != 0)
      return -1;
  }
  if (e->o->winsums && slac_winsums_fold(&e->ds, e->o->winsums, SLAC_ROWS_WINDOWS, e->d) != 0)
    return -1;
  return 0;
}

/* A month that needs the exact pass but whose windows came as sums: the
 * rows that pass reads are not there.  -1 after reporting the first. */
static int summed_needs_exact(evaluation *e) {
  const slac_program *p = e->o->p;
  for (size_t i = 0; i < e->ds.naccounts; i++)
    for (int s = 0; s < p->nservices; s++) {
      const slac_svc_state *st = &e->ds.accounts[i].svc[s];
      if (!st->windows_summed) continue;
      for (size_t k = 0; k < st->nmonths; k++) {
        if (!st->months[k].exact) continue;
        char month[8];
        slac_month_format(st->months[k].month, month);
        slac_diag_plain(e->d, SLAC_ERROR, "account \"%s\", service \"%s\", %s: the average error "
                        "rate is within 10^-26 of a step of 10^-12 %%, which only the exact pass "
                        "over the window rows decides, and its windows came as sums; give the "
                        "window rows of this account", e->ds.accounts[i].name,
                        p->strings[p->services[s].id], month);
        return -1;
      }
    }
  return 0;
}

static int read_all(evaluation *e) {
  const slac_eval_options *o = e->o;
  if (o->rows) return read_rows(e);
  if (o->accounts_path && slac_read_accounts(&e->ds, o->accounts_path, e->d) != 0) return -1;
  if (o->claims_path) {
    if (slac_claims_read(&e->claims, o->claims_path, e->d) != 0) return -1;
    for (size_t i = 0; i < e->claims.n; i++)
      if (!slac_dataset_find(&e->ds, e->claims.v[i].account, strlen(e->claims.v[i].account))) {
        slac_diag_data(e->d, o->claims_path, 0, "account",
                       "account \"%s\" has a claim but is not in the accounts file", e->claims.v[i].account);
        return -1;
      }
  }
  if (o->history_path) {
    if (!o->accounts_path) {
      slac_diag_plain(e->d, SLAC_ERROR, "a history of credits (--history) needs the accounts file "
                      "(--accounts): the credits are in the accounts' currencies");
      return -1;
    }
    if (slac_history_read(&e->history, o->history_path, e->d) != 0 || check_history(e) != 0)
      return -1;
  }
  e->kinds = calloc((size_t)o->ndata + 1, sizeof *e->kinds);
  if (!e->kinds) { slac_diag_oom(e->d); return -1; }
  e->stats = calloc((size_t)o->ndata + 1, sizeof *e->stats);
  if (!e->stats) { slac_diag_oom(e->d); return -1; }
  for (int i = 0; i < o->ndata; i++) {
    if (slac_data_kind_of(o->data_paths[i], o->layout, &e->kinds[i], e->d) != 0) return -1;
    /* to know, before reading it again, that it is the same file */
    if (stat(o->data_paths[i], &e->stats[i]) != 0) memset(&e->stats[i], 0, sizeof e->stats[i]);
  }
  /* Incidents and probes first: windows need the applied exclusions. */
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < o->ndata; i++) {
      bool windows = e->kinds[i] == SLAC_DATA_WINDOWS;
      if (windows != (pass == 1)) continue;
      bool incidents = e->kinds[i] == SLAC_DATA_INCIDENTS;
      int parallel = o->jobs == 1 ? 1
                     : windows   ? slac_read_windows_parallel(&e->ds, o->data_paths[i], (uint32_t)i + 1, o->jobs, e->d)
                     : incidents ? slac_read_incidents_parallel(&e->ds, o->data_paths[i], (uint32_t)i + 1, o->jobs, e->d)
                                 : 1;
      if (parallel < 0) return -1;
      if (parallel == 1 && slac_read_data(&e->ds, o->data_paths[i], e->kinds[i], (uint32_t)i + 1, false, e->d) != 0)
        return -1;
    }
  return 0;
}

/* The first index of V[0..N) (sorted) at or after M. */
static size_t month_lower_bound(const slac_month *v, size_t n, slac_month m) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid] < m) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* Is M among V[0..N) (sorted)?  Months are looked up, never scanned: a
 * windows file over 80,000 months took 14 s when each lookup was a walk. */
static bool has_month(const slac_month *v, size_t n, slac_month m) {
  size_t i = month_lower_bound(v, n, m);
  return i < n && v[i] == m;
}

/* The error rate of one window month; W windows take part.  FAILED more
 * of them fail entirely in place of windows without errors (--what-if),
 * the rate then capped at 100%: returns 0, or 1 when the exact pass must
 * decide it, -1 when even that cannot. */
static int error_rate(const slac_prog_service *ps, const slac_window_month *wm, slac_month m,
                      uint64_t failed, slac_num *out) {
  uint64_t w = ps->empty_left_out ? (wm ? wm->with_requests : 0)
                                  : (uint64_t)slac_month_days(m) * 86400u / ps->window_seconds;
  if (w == 0) { *out = slac_num_int(0); return 0; } /* no window to fail */
  if (failed >= w) { *out = slac_num_int(100); return 0; }
  static const slac_ratesum none; /* a month without windows: all at 0% */
  int r = wm && wm->exact ? (slac_exactsum_percent(wm->exact, failed, w, out) == SLAC_NUM_OK ? 0 : -1)
                          : slac_ratesum_percent(wm ? &wm->sum : &none, failed, w, out);
  slac_num hundred = slac_num_int(100);
  if (r == 0 && failed && (out->units > hundred.units || (out->units == hundred.units && out->above)))
    *out = hundred; /* fewer windows were without errors than failed */
  return r;
}

/* The windows that --what-if fails in service S (0: none). */
static uint64_t what_if_failed(const slac_eval_options *o, int s) {
  return o->what_if && o->p->services[s].metric == SLAC_PM_ERROR_RATE ? (uint64_t)o->what_if[s] : 0;
}

/* Mark the month sums that need the exact pass; returns how many. */
static long plan_exact(evaluation *e, const slac_month *months, size_t nmonths) {
  long need = 0;
  const slac_program *p = e->o->p;
  for (size_t i = 0; i < e->ds.naccounts; i++)
    for (int s = 0; s < p->nservices; s++) {
      if (p->services[s].metric != SLAC_PM_ERROR_RATE) continue;
      slac_svc_state *st = &e->ds.accounts[i].svc[s];
      for (size_t k = 0; k < st->nmonths; k++) {
        slac_window_month *wm = &st->months[k];
        slac_num v;
        if (!has_month(months, nmonths, wm->month) || error_rate(&p->services[s], wm, wm->month, what_if_failed(e->o, s), &v) != 1)
          continue;
        wm->exact = slac_exactsum_new();
        if (!wm->exact) return -1;
        need++;
      }
    }
  return need;
}

static int order_by_appearance(const void *pa, const void *pb) {
  const slac_account *a = *(slac_account *const *)pa, *b = *(slac_account *const *)pb;
  if (a->first_file != b->first_file) return a->first_file < b->first_file ? -1 : 1;
  return (a->first_line > b->first_line) - (a->first_line < b->first_line);
}

/* Months measured at once for one account.  All of them at once took
 * services x months x causes of memory (9.7 GB for 50 services, 100 causes
 * and an incident from year 1 to 9999); a chunk bounds it by the policy
 * (at most 255 x 255 causes: 25 MB), and 16 covers the months of an
 * ordinary run in one go.  The results are the same whatever the chunk:
 * the run rule looks across a chunk's edge by itself (intervals.h). */
#define MEASURE_CHUNK 16

typedef struct {
  slac_month_downtime *down;   /* [nservices][MEASURE_CHUNK] */
  int64_t *secs;               /* backing store for per-cause seconds: excluded,
                                  beyond the cap, not announced in time */
  slac_spanset *sets;          /* NULL, or (html) [nservices][MEASURE_CHUNK][2]:
                                  the unavailable and the excluded minutes */
} measures;

/* Measure A in MONTHS[0..NMONTHS), NMONTHS <= MEASURE_CHUNK: service S,
 * month K is MZ->down[S * MEASURE_CHUNK + K].  Returns 0, or -1 when out
 * of memory. */
static int measure_account(const evaluation *e, slac_account *a, const slac_month *months, size_t nmonths,
                           measures *mz) {
  const slac_program *p = e->o->p;
  size_t per = (size_t)p->ncauses * 3;
  for (int s = 0; s < p->nservices; s++) {
    slac_month_downtime *row = mz->down + (size_t)s * MEASURE_CHUNK;
    for (size_t k = 0; k < nmonths; k++) {
      int64_t *base = mz->secs + ((size_t)s * MEASURE_CHUNK + k) * per;
      memset(base, 0, per * sizeof *base);
      row[k].cause_excluded_seconds = base;
      row[k].cause_excess_seconds = base + p->ncauses;
      row[k].cause_late_seconds = base + 2 * (size_t)p->ncauses;
      slac_spanset *sets = mz->sets ? mz->sets + ((size_t)s * MEASURE_CHUNK + k) * 2 : NULL;
      row[k].unavailable_set = sets;
      row[k].excluded_set = sets ? sets + 1 : NULL;
    }
    slac_downtime_input in;
    int64_t caps[256];
    int cap_months[256];
    slac_downtime_view(&e->ds, &a->svc[s], s, &in, caps, cap_months);
    if (slac_downtime_months(&in, months, nmonths, row) != 0) return -1; /* out of memory */
  }
  return 0;
}

/* Terms by plan: every account's plan must choose terms in every service
 * that has them (its own, or the default), before anything is reported.
 * Without the accounts file, plans are unknown and the default applies. */
static int check_terms(evaluation *e, slac_account *const *order, size_t n) {
  const slac_program *p = e->o->p;
  for (int s = 0; s < p->nservices; s++) {
    const slac_prog_service *ps = &p->services[s];
    if (!ps->nterms) continue;
    bool has_default = false;
    for (int k = 0; k < ps->nterms; k++) has_default |= ps->terms[k].is_default;
    for (size_t i = 0; i < n && !has_default; i++) {
      const slac_account *a = order[i];
      const char *plan = a->plan ? a->plan : "";
      bool found = false;
      for (int k = 0; k < ps->nterms && !found; k++) {
        uint16_t set = ps->terms[k].set;
        for (uint16_t j = 0; set != SLAC_NONE && j < p->set_sizes[set] && !found; j++)
          found = strcmp(p->strings[p->sets[set][j]], plan) == 0;
      }
      if (found) continue;
      char names[512] = "";
      for (int k = 0; k < ps->nterms; k++) {
        uint16_t set = ps->terms[k].set;
        for (uint16_t j = 0; set != SLAC_NONE && j < p->set_sizes[set]; j++) {
          size_t w = strlen(names);
          snprintf(names + w, sizeof names - w, "%s\"%s\"", w ? ", " : "", p->strings[p->sets[set][j]]);
        }
      }
      if (!a->listed)
        slac_diag_plain(e->d, SLAC_ERROR, "service '%s' has terms by plan (%s) and no default terms: "
                        "give the accounts file (--accounts), whose plans choose them",
                        p->strings[ps->id], names);
      else
        slac_diag_data(e->d, e->o->accounts_path, a->first_line, "plan", "account \"%s\" has plan "
                       "\"%s\", and service '%s' has no terms for it (its terms are for %s) and no "
                       "default terms", a->name, plan, p->strings[ps->id], names);
      return -1;
    }
  }
  return 0;
}

/* A month given by the history and evaluated as well would count twice. */
static int check_history_months(evaluation *e, const slac_month *months, size_t nmonths) {
  for (size_t i = 0; i < e->history.n; i++) {
    const slac_history_row *r = &e->history.v[i];
    if (has_month(months, nmonths, r->month)) {
      char m[8];
      slac_month_format(r->month, m);
      slac_diag_data(e->d, e->o->history_path, r->line, "period", "%s of account \"%s\" is "
                     "evaluated in this run, so its credit would count twice: remove the row, or "
                     "evaluate only later months (--period)", m, r->account);
      return -1;
    }
  }
  return 0;
}

/* A month of a capped period that the data reaches, before an evaluated
 * month, but that is neither evaluated nor given by the history: its
 * credits count as none (CONTRACT 6.3), which the user must hear, since
 * evaluating it would have changed the room left. */
static int compare_months(const void *pa, const void *pb) {
  slac_month a = *(const slac_month *)pa, b = *(const slac_month *)pb;
  return (a > b) - (a < b);
}

/* The first month of the capped period that ends with month M. */
static slac_month period_from(const slac_program *p, slac_month m) {
  int len = p->period_cap_months;
  return p->period_cap_rolling ? m - len + 1 : m - (((m % len) + len) % len);
}

/* Returns 0, or -1 when out of memory (reported): a warning that could
 * not be given is not silently skipped. */
static int warn_unevaluated_months(evaluation *e, const slac_month *months, size_t nmonths) {
  const slac_program *p = e->o->p;
  if (!p->period_cap_months || !e->ds.have_accounts_file) return 0;
  /* the months the history gives, sorted, to look up */
  slac_month *given = malloc((e->history.n + 1) * sizeof *given);
  if (!given) { slac_diag_oom(e->d); return -1; }
  for (size_t h = 0; h < e->history.n; h++) given[h] = e->history.v[h].month;
  qsort(given, e->history.n, sizeof *given, compare_months);
  for (size_t i = 0; i < e->ds.nmonths; i++) {
    slac_month m = e->ds.months[i];
    /* a later evaluated month whose period reaches back to M: the first
     * one after M has the earliest period start (it grows with the month) */
    size_t k = month_lower_bound(months, nmonths, m + 1);
    bool evaluated = has_month(months, nmonths, m);
    bool later = k < nmonths && period_from(p, months[k]) <= m;
    if (evaluated || !later || has_month(given, e->history.n, m)) continue;
    int len = p->period_cap_months;
    char text[8], words[64];
    slac_month_format(m, text);
    if (p->period_cap_rolling) snprintf(words, sizeof words, "any %d consecutive months", len);
    else snprintf(words, sizeof words, "each calendar %s", len == 12 ? "year" : "quarter");
    slac_diag_plain(e->d, SLAC_WARNING, "the policy caps the credits of %s, and %s is in the data "
                    "but not evaluated: its credits count as none, unless the history file "
                    "(--history) gives them", words, text);
  }
  free(given);
  return 0;
}

/* The credits already given to A in the period of the policy's cap that
 * ends with MONTHS[K]: from the history, and from the months evaluated
 * before it (GIVEN).  Months neither evaluated nor in the history count
 * as no credit (CONTRACT 6.3). */
static slac_num period_credited(const evaluation *e, const slac_account *a, const slac_month *months,
                                size_t k, const slac_num *given) {
  slac_month m = months[k], from = period_from(e->o->p, m);
  slac_num sum = slac_num_int(0);
  size_t nh = 0;
  const slac_history_row *h = e->history.n ? slac_history_of(&e->history, a->name, &nh) : NULL;
  /* the account's rows are in month order, one per month: the period's
   * are found, not walked to (at most 12 of them) */
  size_t lo = 0, hi = nh;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (h[mid].month < from) lo = mid + 1; else hi = mid;
  }
  for (size_t i = lo; i < nh && h[i].month < m; i++) slac_num_add(sum, h[i].amount, &sum);
  for (size_t j = month_lower_bound(months, k, from); j < k; j++) slac_num_add(sum, given[j], &sum);
  return sum;
}

/* The incident rows by account, each account's in the order of the
 * files (html statements). */
static int by_account(const void *pa, const void *pb) {
  const slac_incident *a = pa, *b = pb;
  if (a->account != b->account) return a->account < b->account ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* D's incidents: the rows of account A in DS's sorted rows. */
static void account_incidents(const slac_dataset *ds, uint32_t a, slac_outcome_detail *d) {
  size_t lo = 0, hi = ds->nincidents;
  while (lo < hi) { /* the first row of an account >= A */
    size_t mid = lo + (hi - lo) / 2;
    if (ds->incidents[mid].account < a) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < ds->nincidents && ds->incidents[end].account == a) end++;
  d->incidents = ds->incidents + lo;
  d->nincidents = end - lo;
}

/* --only-account NAME: keep only that account in ORDER[0..*N).  An account
 * that is nowhere is an error, with the name it differs from only in case
 * when there is one: an empty report would look like "no credit". */
static int only_account(evaluation *e, slac_account **order, size_t *n) {
  const char *want = e->o->account;
  const char *nearly = NULL;
  for (size_t i = 0; i < *n; i++) {
    if (strcmp(order[i]->name, want) == 0) {
      order[0] = order[i];
      *n = 1;
      return 0;
    }
    if (!nearly && strcasecmp(order[i]->name, want) == 0) nearly = order[i]->name;
  }
  if (nearly)
    slac_diag_plain(e->d, SLAC_ERROR, "--only-account %s: no such account; did you mean '%s'? "
                    "(account names are compared exactly)", want, nearly);
  else
    slac_diag_plain(e->d, SLAC_ERROR, "--only-account %s: no such account in the %s", want,
                    e->ds.have_accounts_file ? "accounts file" : "data files");
  return -1;
}

/* What one thread needs to evaluate accounts: the measures of a chunk of
 * months, the VM's inputs and outputs, the margins, and the html
 * statement's views.  Allocated once per thread, never per outcome. */
typedef struct {
  measures mz;
  size_t nsets;
  slac_spanset *unavailable, *excluded; /* html: views of mz.sets, per service */
  const slac_window_day **days;
  slac_num *given;                      /* [nmonths]: the amounts of the months so far */
  slac_vm_service_input *sin;
  slac_vm_service_output *sout;
  slac_margin *margins;
  slac_margins_ctx mc;
  bool have_mc;
  slac_vm_output out;
  /* how the last account failed: out of memory, or this message */
  bool oom;
  char failure[640];
} worker;

static void worker_free(worker *w) {
  slac_vm_output_clear(&w->out);
  free(w->mz.down);
  free(w->mz.secs);
  for (size_t i = 0; w->mz.sets && i < w->nsets; i++) slac_spanset_free(&w->mz.sets[i]);
  free(w->mz.sets);
  free(w->unavailable); /* views: their spans belong to mz.sets */
  free(w->excluded);
  free(w->days);
  free(w->sin);
  free(w->sout);
  free(w->given);
  free(w->margins);
  if (w->have_mc) slac_margins_free(&w->mc);
}

/* Returns 0, or -1 when out of memory (W is then freed). */
static int worker_init(worker *w, const evaluation *e, size_t nmonths, bool detailed) {
  const slac_eval_options *o = e->o;
  const slac_program *p = o->p;
  memset(w, 0, sizeof *w);
  w->mz.down = calloc((size_t)p->nservices * MEASURE_CHUNK + 1, sizeof *w->mz.down);
  w->mz.secs = calloc((size_t)p->nservices * MEASURE_CHUNK * p->ncauses * 3 + 1, sizeof *w->mz.secs);
  /* the html statements show the minutes day by day (all zero: empty sets) */
  w->nsets = detailed ? (size_t)p->nservices * MEASURE_CHUNK * 2 : 0;
  w->mz.sets = detailed ? calloc(w->nsets, sizeof *w->mz.sets) : NULL;
  w->unavailable = detailed ? calloc((size_t)p->nservices + 1, sizeof *w->unavailable) : NULL;
  w->excluded = detailed ? calloc((size_t)p->nservices + 1, sizeof *w->excluded) : NULL;
  w->days = detailed ? calloc((size_t)p->nservices + 1, sizeof *w->days) : NULL;
  w->given = calloc(nmonths + 1, sizeof *w->given);
  w->sin = calloc(p->nservices, sizeof *w->sin);
  w->sout = calloc(p->nservices, sizeof *w->sout);
  w->margins = calloc(p->nservices + 1u, sizeof *w->margins);
  w->have_mc = slac_margins_init(&w->mc, p) == 0;
  w->out.services = w->sout;
  w->out.hits = o->reason_hits;
  w->out.no_reasons = o->exposure && !o->reason_hits; /* the exposure shows amounts only */
  if (!w->mz.down || !w->mz.secs || !w->sin || !w->sout || !w->given || !w->margins || !w->have_mc ||
      (detailed && (!w->mz.sets || !w->unavailable || !w->excluded || !w->days))) {
    worker_free(w);
    return -1;
  }
  return 0;
}

/* Report W's failure (worker.oom, worker.failure) through E's diagnostics. */
static void report_failure(evaluation *e, const worker *w) {
  if (w->oom) slac_diag_oom(e->d);
  else slac_diag_plain(e->d, SLAC_ERROR, "%s", w->failure);
}

/* The outcomes of account A in every month: measured, run through the
 * policy, and given to REPORT (NULL: none), the exposure EX (NULL: none)
 * and the caller's outcome function.  Returns 0, or -1 with W's failure
 * set; the outcomes before the failure are reported. */
static int account_outcomes(const evaluation *e, worker *w, slac_account *a, const slac_month *months,
                            size_t nmonths, slac_report_state *report, slac_exposure *ex) {
  const slac_eval_options *o = e->o;
  const slac_program *p = o->p;
  bool detailed = w->mz.sets != NULL;
  for (size_t k = 0; k < nmonths; k++) {
    size_t kc = k % MEASURE_CHUNK; /* K in its chunk */
    if (kc == 0) {
      size_t cn = nmonths - k < MEASURE_CHUNK ? nmonths - k : MEASURE_CHUNK;
      if (measure_account(e, a, months + k, cn, &w->mz) != 0) {
        w->oom = true;
        return -1;
      }
    }
    slac_vm_input in;
    memset(&in, 0, sizeof in);
    in.month_minutes = slac_month_minutes(months[k]);
    in.has_account = a->listed;
    in.fee = a->fee;
    in.currency = a->currency;
    in.minor_digits = a->listed ? slac_currency_digits(p->currencies[a->currency]) : 2;
    in.plan = a->plan ? a->plan : "";
    in.standing_good = a->standing_good;
    in.services = w->sin;
    in.has_claims = o->claims_path != NULL;
    const slac_claim *cl = in.has_claims ? slac_claims_find(&e->claims, a->name, months[k]) : NULL;
    slac_vm_claim facts;
    if (cl) {
      facts.ticket_at = cl->ticket_at;
      facts.claimed_at = cl->claimed_at;
      facts.subject = cl->subject;
      /* the reader's and the VM's views of one SLAC_CLAIM_CONTENTS */
      _Static_assert(sizeof facts.has == sizeof cl->has, "one flag per claim content in both");
      memcpy(facts.has, cl->has, sizeof facts.has);
    }
    in.claim = cl ? &facts : NULL;
    in.first_down = 0;
    bool any_down = false;
    for (int s = 0; s < p->nservices; s++) {
      const slac_month_downtime *md = &w->mz.down[(size_t)s * MEASURE_CHUNK + kc];
      if (p->services[s].metric != SLAC_PM_MINUTES || md->unavailable_minutes == 0) continue;
      if (!any_down || md->first_unavailable < in.first_down) in.first_down = md->first_unavailable;
      any_down = true;
    }
    /* --what-if minutes have no clock time: where they are the month's
     * only downtime, they are taken to start with the month (the
     * earliest a claim deadline can run from; docs/analysis.md) */
    for (int s = 0; o->what_if && !any_down && s < p->nservices; s++)
      if (p->services[s].metric == SLAC_PM_MINUTES && o->what_if[s] > 0) {
        in.first_down = slac_month_start(months[k]);
        any_down = true;
      }
    for (int s = 0; s < p->nservices; s++) {
      const slac_prog_service *ps = &p->services[s];
      const slac_month_downtime *md = &w->mz.down[(size_t)s * MEASURE_CHUNK + kc];
      slac_vm_service_input *si = &w->sin[s];
      memset(si, 0, sizeof *si);
      si->unavailable_minutes = md->unavailable_minutes;
      if (o->what_if && ps->metric == SLAC_PM_MINUTES) { /* as if they were down, within the month */
        int64_t room = in.month_minutes - si->unavailable_minutes;
        si->unavailable_minutes += o->what_if[s] < room ? o->what_if[s] : room;
      }
      si->excluded_minutes = md->excluded_minutes;
      si->excluded_seconds = md->cause_excluded_seconds;
      si->excess_seconds = md->cause_excess_seconds;
      si->late_seconds = md->cause_late_seconds;
      si->charge = a->charges ? a->charges[s] : slac_num_int(0); /* unlisted: none */
      si->error_rate = slac_num_int(0);
      if (ps->metric == SLAC_PM_ERROR_RATE) {
        const slac_window_month *wm = slac_svc_find_month(&a->svc[s], months[k]);
        if (error_rate(ps, wm, months[k], what_if_failed(o, s), &si->error_rate) != 0) {
          snprintf(w->failure, sizeof w->failure, "internal error: an error rate could not be decided exactly");
          return -1;
        }
        si->affected = si->error_rate.units > 0 || si->error_rate.above;
      } else {
        si->affected = si->unavailable_minutes > 0;
      }
    }
    if (p->period_cap_months) in.period_credited = period_credited(e, a, months, k, w->given);
    char err[512];
    int vr = slac_vm_run(p, &in, &w->out, err, sizeof err);
    /* the margins run the same code at other measures: it fails alike */
    if (vr == 0 && !ex) vr = slac_margins_compute(&w->mc, &in, &w->out, w->margins, err, sizeof err);
    if (vr == 0 && ex) vr = slac_exposure_account(ex, months[k], &in, &w->out, err, sizeof err);
    if (vr != 0) {
      char period[8];
      slac_month_format(months[k], period);
      w->oom = vr == -2;
      snprintf(w->failure, sizeof w->failure, "account \"%s\", %s: %s", a->name, period, err);
      return -1;
    }
    w->given[k] = w->out.amount;
    slac_outcome_detail detail = {w->unavailable, w->excluded, NULL, 0, w->days};
    if (detailed) account_incidents(&e->ds, (uint32_t)(a - e->ds.accounts), &detail);
    for (int s = 0; detailed && s < p->nservices; s++) {
      /* views of the chunk's sets, for this month */
      w->unavailable[s] = w->mz.sets[((size_t)s * MEASURE_CHUNK + kc) * 2];
      w->excluded[s] = w->mz.sets[((size_t)s * MEASURE_CHUNK + kc) * 2 + 1];
      w->days[s] = p->services[s].metric == SLAC_PM_ERROR_RATE
                       ? slac_window_days_of(&e->ds, slac_svc_find_month(&a->svc[s], months[k]))
                       : NULL;
    }
    slac_outcome oc = {p, a->name, months[k], &in, &w->out, ex ? NULL : w->margins,
                       detailed ? &detail : NULL, o->what_if_words};
    if (report) slac_report_outcome(report, &oc);
    if (o->on_outcome) o->on_outcome(o->outcome_ctx, &oc);
  }
  return 0;
}

/* Accounts evaluated by one thread at a time, and handed to the report
 * together: about this many outcomes. */
#define RANGE_OUTCOMES 2048

/* The evaluation of ORDER[0..N) by several threads, in account ranges,
 * written in order (ordered.h). */
typedef struct {
  evaluation *e;                /* its diagnostics: on the delivering thread only */
  slac_account *const *order;
  size_t n, per_range;
  const slac_month *months;
  size_t nmonths;
  worker *workers;              /* [threads] */
  slac_report_state *parts;     /* [slots] */
  int *failed;                  /* [slots]: the range stopped at a failure of */
  int *failed_worker;           /* [slots]: ... this worker */
  slac_report_state *report;    /* the whole report */
} ranges;

static void range_work(void *ctx, int thread, size_t chunk, int slot) {
  ranges *r = ctx;
  size_t from = chunk * r->per_range, to = from + r->per_range < r->n ? from + r->per_range : r->n;
  r->failed[slot] = 0;
  for (size_t i = from; i < to; i++)
    if (account_outcomes(r->e, &r->workers[thread], r->order[i], r->months, r->nmonths, &r->parts[slot],
                         NULL) != 0) {
      r->failed[slot] = 1;
      r->failed_worker[slot] = thread;
      return;
    }
}

static int range_deliver(void *ctx, size_t chunk, int slot) {
  (void)chunk;
  ranges *r = ctx;
  if (slac_report_part_append(r->report, &r->parts[slot]) != 0) {
    slac_diag_oom(r->e->d);
    return 1;
  }
  if (r->failed[slot]) {
    /* the outcomes before the failure are written, as by one thread */
    report_failure(r->e, &r->workers[r->failed_worker[slot]]);
    return 1;
  }
  return 0;
}

/* The threads that evaluate accounts: --jobs (0: one per core), when the
 * report is all they feed (not html, whose statements share one summary,
 * nor libslac's outcome function, coverage counts or the exposure, which
 * want one thread) and there are two ranges of accounts at least. */
static int evaluation_threads(const evaluation *e, size_t n, size_t per_range, bool reporting) {
  const slac_eval_options *o = e->o;
  int jobs = o->jobs == 0 ? slac_jobs_auto() : o->jobs;
  if (jobs > SLAC_ORDERED_MAX_THREADS) jobs = SLAC_ORDERED_MAX_THREADS;
  if (jobs < 2 || !reporting || o->format == SLAC_FORMAT_HTML || o->on_outcome || o->reason_hits ||
      o->exposure || n <= per_range)
    return 1;
  size_t nranges = (n + per_range - 1) / per_range;
  return nranges < (size_t)jobs ? (int)nranges : jobs;
}

/* Evaluate ORDER[0..N) on THREADS threads into REPORT.  Returns 0, -1
 * after reporting a failure, or 1 when no thread could start (nothing
 * was written: evaluate on this thread). */
static int evaluate_threaded(evaluation *e, slac_account *const *order, size_t n, size_t per_range,
                             int threads, const slac_month *months, size_t nmonths,
                             slac_report_state *report) {
  int slots = threads * 2;
  ranges r = {e, order, n, per_range, months, nmonths, NULL, NULL, NULL, NULL, report};
  r.workers = calloc((size_t)threads, sizeof *r.workers);
  r.parts = calloc((size_t)slots, sizeof *r.parts);
  r.failed = calloc((size_t)slots, sizeof *r.failed);
  r.failed_worker = calloc((size_t)slots, sizeof *r.failed_worker);
  int nworkers = 0, nparts = 0, rc = -1;
  if (!r.workers || !r.parts || !r.failed || !r.failed_worker) goto done;
  for (; nworkers < threads; nworkers++)
    if (worker_init(&r.workers[nworkers], e, nmonths, false) != 0) goto done;
  for (; nparts < slots; nparts++)
    if (slac_report_part_begin(&r.parts[nparts], report) != 0) goto done;
  slac_ordered run = {(n + per_range - 1) / per_range, threads, slots, &r, range_work, range_deliver};
  int ran = slac_ordered_run(&run);
  rc = ran == 0 ? 0 : ran < 0 ? 1 : -1;
done:
  if (rc == -1 && (nworkers < threads || nparts < slots)) slac_diag_oom(e->d);
  for (int i = 0; i < nworkers; i++) worker_free(&r.workers[i]);
  for (int i = 0; i < nparts; i++) slac_report_free(&r.parts[i]);
  free(r.workers);
  free(r.parts);
  free(r.failed);
  free(r.failed_worker);
  return rc;
}

static int evaluate(evaluation *e, const slac_month *months, size_t nmonths) {
  const slac_eval_options *o = e->o;
  const slac_program *p = o->p;
  size_t n = e->ds.naccounts;
  slac_account **order = calloc(n + 1, sizeof *order);
  bool detailed = o->out && o->format == SLAC_FORMAT_HTML;
  worker w;
  bool have_w = worker_init(&w, e, nmonths, detailed) == 0;
  slac_exposure ex; /* --exposure: the changes of every account */
  bool exposure = o->exposure != NULL, have_ex = exposure && slac_exposure_init(&ex, p, o->exposure) == 0;
  if (have_ex) ex.account = o->account;
  int rc = 0;
  if (!order || !have_w || (exposure && !have_ex)) {
    slac_diag_oom(e->d);
    rc = -1;
    goto done;
  }
  for (size_t i = 0; i < n; i++) order[i] = &e->ds.accounts[i];
  if (detailed && e->ds.nincidents)
    qsort(e->ds.incidents, e->ds.nincidents, sizeof *e->ds.incidents, by_account);
  if (!e->ds.have_accounts_file) qsort(order, n, sizeof *order, order_by_appearance);
  if (o->account && only_account(e, order, &n) != 0) {
    rc = -1;
    goto done;
  }
  if (check_terms(e, order, n) != 0 || check_history_months(e, months, nmonths) != 0) {
    rc = -1;
    goto done;
  }
  if (warn_unevaluated_months(e, months, nmonths) != 0) {
    rc = -1;
    goto done;
  }
  slac_report_state report;
  bool reporting = o->out != NULL && !exposure;
  if (reporting && slac_report_begin(&report, o->out, o->format, p, months[0], months[nmonths - 1]) != 0) {
    slac_diag_oom(e->d);
    rc = -1;
    goto done;
  }
  if (reporting && o->what_if_words) slac_report_hypothesis(&report, o->what_if_words);
  size_t per_range = nmonths >= RANGE_OUTCOMES ? 1 : RANGE_OUTCOMES / nmonths;
  int threads = evaluation_threads(e, n, per_range, reporting);
  int threaded = threads > 1 ? evaluate_threaded(e, order, n, per_range, threads, months, nmonths, &report) : 1;
  if (threaded < 0) rc = -1;
  /* one thread: it alone writes the report's stream */
  if (threaded == 1 && reporting) slac_stream_exclusive(o->out);
  for (size_t i = 0; threaded == 1 && i < n && rc == 0; i++)
    if (account_outcomes(e, &w, order[i], months, nmonths, reporting ? &report : NULL, exposure ? &ex : NULL) != 0) {
      report_failure(e, &w);
      rc = -1;
    }
  if (reporting && rc == 0 && slac_report_end(&report) != 0) {
    const char *overflow = slac_report_overflow(&report);
    if (!overflow) slac_diag_oom(e->d); /* the html report's memory */
    else slac_diag_plain(e->d, SLAC_ERROR, "the total credit in %s reaches 10^24 and cannot be added "
                         "exactly: evaluate fewer accounts or months at once", overflow);
    rc = -1;
  }
  if (reporting) {
    slac_report_free(&report);
    if (threaded == 1) slac_stream_shared(o->out);
  }
  if (exposure && rc == 0 && o->out) {
    const char *overflow = NULL;
    slac_exposure_sort(&ex);
    if (slac_exposure_write(&ex, o->out, o->format, &overflow) != 0) {
      slac_diag_plain(e->d, SLAC_ERROR, "the total credit in %s reaches 10^24 and cannot be added "
                      "exactly: evaluate fewer accounts or months at once", overflow);
      rc = -1;
    }
  }
done:
  if (have_ex) slac_exposure_free(&ex);
  if (have_w) worker_free(&w);
  free(order);
  return rc;
}

void (*slac_eval_before_second_pass)(void) = NULL;

/* The exact pass reads the windows files again: the same files, or the
 * report would mix two versions of one. */
static int same_file(evaluation *e, int i) {
  struct stat now;
  const struct stat *then = &e->stats[i];
  if (stat(e->o->data_paths[i], &now) == 0 && now.st_dev == then->st_dev &&
      now.st_ino == then->st_ino && now.st_size == then->st_size &&
      now.st_mtim.tv_sec == then->st_mtim.tv_sec && now.st_mtim.tv_nsec == then->st_mtim.tv_nsec)
    return 0;
  slac_diag_data(e->d, e->o->data_paths[i], 0, NULL, "the file changed while slac was reading it "
                 "(it is read twice for an exact average): the report would mix two versions; "
                 "evaluate it again once it no longer changes");
  return -1;
}

int slac_eval(const slac_eval_options *o, slac_diags *d) {
  evaluation e;
  memset(&e, 0, sizeof e);
  e.d = d;
  e.o = o;
  if (slac_dataset_init(&e.ds, o->p) != 0) { slac_diag_oom(d); return -1; }
  e.ds.layout = o->layout;
  e.ds.progress = o->progress;
  e.ds.keep_incidents = o->out && o->format == SLAC_FORMAT_HTML;
  e.ds.keep_days = e.ds.keep_incidents;
  int rc = read_all(&e);
  if (rc == 0 && slac_finish_probes(&e.ds) != 0) { slac_diag_oom(d); rc = -1; }
  /* --period: every month of the range, with data or not */
  slac_month range[SLAC_EVAL_MAX_PERIOD_MONTHS];
  size_t nrange = 0;
  for (slac_month m = o->period; o->has_period && m <= o->period_to && nrange < SLAC_EVAL_MAX_PERIOD_MONTHS; m++)
    range[nrange++] = m;
  if (o->has_period && nrange == 0) range[nrange++] = o->period; /* period_to unset */
  const slac_month *months = o->has_period ? range : e.ds.months;
  size_t nmonths = o->has_period ? nrange : e.ds.nmonths;
  slac_progress_finish(o->progress); /* before anything is written */
  if (rc == 0) {
    long need = plan_exact(&e, months, nmonths);
    if (need < 0) { slac_diag_oom(d); rc = -1; }
    if (need > 0 && slac_eval_before_second_pass) slac_eval_before_second_pass();
    if (rc == 0 && need > 0 && o->winsums && summed_needs_exact(&e) != 0) rc = -1;
    if (rc == 0 && need > 0 && o->rows && slac_rows_has(o->rows, SLAC_ROWS_WINDOWS))
      rc = slac_rows_fold(&e.ds, o->rows, SLAC_ROWS_WINDOWS, SLAC_ROWS_WINDOWS, true, d);
    for (int i = 0; rc == 0 && need > 0 && i < o->ndata; i++)
      if (e.kinds[i] == SLAC_DATA_WINDOWS &&
          (same_file(&e, i) != 0 ||
           slac_read_data(&e.ds, o->data_paths[i], e.kinds[i], (uint32_t)i + 1, true, d) != 0))
        rc = -1;
  }
  if (rc == 0 && nmonths == 0)
    slac_diag_plain(d, SLAC_WARNING, "the data files have no rows, so no month is evaluated; "
                                     "give --period YYYY-MM to evaluate one anyway");
  if (rc == 0 && nmonths > 0) rc = evaluate(&e, months, nmonths);
  slac_dataset_free(&e.ds);
  slac_claims_free(&e.claims);
  slac_history_free(&e.history);
  free(e.stats);
  free(e.kinds);
  return rc;
}
