/* diff_words.c - the canonical words of a rule, for slac diff: one
 * wording per meaning (numbers without trailing zeros, durations as
 * "1 h 30 min", names sorted), so that two rules mean the same exactly
 * when their words are the same string. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/diff_int.h"
#include "runtime/base/currency.h"
#include "runtime/vm/vm.h"

void dw_add(dw_buf *b, const char *fmt, ...) {
  if (b->oom) return;
  va_list ap;
  va_start(ap, fmt);
  int need = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (need < 0) { b->oom = true; return; }
  if (b->n + (size_t)need + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + (size_t)need + 1) cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) { b->oom = true; return; }
    b->s = s;
    b->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
  va_end(ap);
  b->n += (size_t)need;
}

const char *dw_str(dw_buf *b) {
  if (!b->s && !b->oom) dw_add(b, "%s", "");
  return b->oom ? NULL : b->s;
}

void dw_free(dw_buf *b) {
  free(b->s);
  memset(b, 0, sizeof *b);
}

char *dw_take(dw_buf *b) {
  const char *s = dw_str(b);
  if (!s) { dw_free(b); return NULL; }
  char *out = b->s;
  memset(b, 0, sizeof *b);
  return out;
}

void dw_num(dw_buf *b, slac_num v) {
  char t[64];
  slac_num_format(v, -1, t, sizeof t);
  dw_add(b, "%s", t);
}

void dw_duration(dw_buf *b, int64_t seconds) {
  char t[64];
  slac_format_duration(seconds, t, sizeof t);
  dw_add(b, "%s", t);
}

static char *finish(dw_buf *b, bool *oom) {
  char *s = dw_take(b);
  if (!s) *oom = true;
  return s;
}

/* ------------------------------------------------------------------ */

void dw_names_add(dw_names *l, const char *name) {
  if (l->oom) return;
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 8;
    const char **v = realloc(l->v, (size_t)cap * sizeof *v);
    if (!v) { l->oom = true; return; }
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = name;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void dw_names_sort(dw_names *l) {
  if (l->n == 0) return;
  qsort(l->v, (size_t)l->n, sizeof *l->v, cmp_str);
  int k = 1;
  for (int i = 1; i < l->n; i++)
    if (strcmp(l->v[i], l->v[k - 1]) != 0) l->v[k++] = l->v[i];
  l->n = k;
}

bool dw_names_has(const dw_names *l, const char *name) {
  for (int i = 0; i < l->n; i++)
    if (strcmp(l->v[i], name) == 0) return true;
  return false;
}

void dw_names_free(dw_names *l) {
  free(l->v);
  memset(l, 0, sizeof *l);
}

/* "a, b, c" of the names of NAMES, sorted. */
static void add_sorted(dw_buf *b, const slac_name *names, bool quoted) {
  dw_names l = {0};
  for (const slac_name *x = names; x; x = x->next) dw_names_add(&l, x->text);
  dw_names_sort(&l);
  if (l.oom) b->oom = true;
  for (int i = 0; i < l.n; i++) dw_add(b, quoted ? "%s\"%s\"" : "%s%s", i ? ", " : "", l.v[i]);
  dw_names_free(&l);
}

/* ------------------------------------------------------------------ */

const char *dw_base_words(slac_base base) {
  switch (base) {
  case SLAC_BASE_MONTHLY_FEE: return "the monthly fee";
  case SLAC_BASE_AFFECTED_CHARGES: return "the charges of affected services";
  case SLAC_BASE_SERVICE_CHARGE: return "each service's charge";
  case SLAC_BASE_PERIOD_FEES: return "the fees";
  }
  return "the monthly fee";
}

char *dw_measure(const slac_model_service *s, bool *oom) {
  dw_buf b = {0};
  if (s->metric == SLAC_METRIC_MINUTES) {
    dw_add(&b, "unavailable minutes");
    if (s->has_rate_rule) {
      dw_add(&b, "; a minute is down when its error rate is %s ",
             s->rate_inclusive ? "at or above" : "above");
      dw_num(&b, s->rate_threshold);
      dw_add(&b, "%% with at least %lld requests", (long long)s->min_requests);
    }
    if (s->min_run_minutes > 0)
      dw_add(&b, "; only runs of at least %lld min count", (long long)s->min_run_minutes);
  } else {
    dw_add(&b, "average error rate of ");
    dw_duration(&b, s->window_seconds);
    dw_add(&b, " windows");
    if (s->empty == SLAC_EMPTY_LEFT_OUT) dw_add(&b, "; windows without requests left out");
  }
  if (s->kinds_mode != SLAC_KINDS_ALL && s->kinds) {
    dw_add(&b, s->kinds_mode == SLAC_KINDS_ONLY ? "; counting only errors of kind "
                                                : "; ignoring errors of kind ");
    add_sorted(&b, s->kinds->names, false);
  }
  return finish(&b, oom);
}

static const char *period_words(int months) {
  return months == 12 ? "calendar year" : months == 3 ? "calendar quarter" : "month";
}

char *dw_cause(const slac_cause_rule *r, bool *oom) {
  dw_buf b = {0};
  if (!r) dw_add(&b, "unknown (data naming it is refused)");
  else if (r->mode == SLAC_CAUSE_COUNTS) dw_add(&b, "counts as downtime");
  else {
    dw_add(&b, "excluded");
    if (r->mode == SLAC_CAUSE_CAPPED) {
      dw_add(&b, " up to ");
      dw_duration(&b, r->cap_seconds);
      dw_add(&b, " per %s", period_words(r->cap_months));
    }
    if (r->notice_seconds > 0) {
      dw_add(&b, " when announced at least ");
      dw_duration(&b, r->notice_seconds);
      dw_add(&b, " ahead");
    }
  }
  return finish(&b, oom);
}

/* An amount with its currency's minor digits: "5.00 USD". */
static void add_money(dw_buf *b, slac_num v, const char *code) {
  int digits = slac_currency_digits(code);
  char t[64];
  slac_num_format(v, digits < 0 ? -1 : digits, t, sizeof t);
  dw_add(b, "%s %s", t, code);
}

char *dw_minimum(const slac_model *m, bool *oom) {
  const slac_clause *mn = m->minimum;
  if (!mn) return NULL;
  dw_buf b = {0};
  dw_add(&b, "credit %s ", mn->at_least ? "at least" : "greater than");
  /* one amount per currency, in the order of the codes */
  bool *done = calloc((size_t)mn->namounts + 1, sizeof *done);
  if (!done) { *oom = true; dw_free(&b); return NULL; }
  for (int k = 0; k < mn->namounts; k++) {
    int best = -1;
    for (int j = 0; j < mn->namounts; j++)
      if (!done[j] && (best < 0 || strcmp(mn->amounts[j].currency, mn->amounts[best].currency) < 0))
        best = j;
    done[best] = true;
    if (k) dw_add(&b, ", ");
    add_money(&b, mn->amounts[best].value, mn->amounts[best].currency);
  }
  free(done);
  return finish(&b, oom);
}

char *dw_maximum(const slac_model *m, bool *oom) {
  if (!m->maximum) return NULL;
  dw_buf b = {0};
  dw_num(&b, m->maximum_percent);
  dw_add(&b, "%% of %s per month", dw_base_words(m->maximum->base));
  return finish(&b, oom);
}

char *dw_period_cap(const slac_model *m, bool *oom) {
  if (!m->period_cap) return NULL;
  dw_buf b = {0};
  dw_num(&b, m->period_cap_percent);
  dw_add(&b, "%% of %s per ", dw_base_words(m->period_cap->base));
  if (m->period_cap_rolling) dw_add(&b, "%d months ending with the month", m->period_cap_months);
  else dw_add(&b, "%s", period_words(m->period_cap_months));
  return finish(&b, oom);
}

static const char *ordinal_suffix(int64_t n) {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

static void add_deadline(dw_buf *b, const char *what, slac_deadline dl) {
  dw_add(b, "; %s ", what);
  switch (dl.kind) {
  case SLAC_DEADLINE_NONE: dw_add(b, "at any time"); return;
  case SLAC_DEADLINE_SECONDS:
    dw_add(b, "within ");
    dw_duration(b, dl.value);
    dw_add(b, " of the interruption");
    return;
  case SLAC_DEADLINE_MONTHS:
    dw_add(b, "within %lld calendar month%s of the interruption", (long long)dl.value,
           dl.value == 1 ? "" : "s");
    return;
  case SLAC_DEADLINE_END_OF_MONTH:
    dw_add(b, "by the end of the %lld%s billing month after the interruption's month",
           (long long)dl.value, ordinal_suffix(dl.value));
    return;
  case SLAC_DEADLINE_AFTER_MONTH_END:
    dw_add(b, "within ");
    dw_duration(b, dl.value);
    dw_add(b, " after the end of the interruption's month");
    return;
  }
}

char *dw_claim(const slac_model *m, bool *oom) {
  if (!m->claim) return NULL;
  dw_buf b = {0};
  dw_add(&b, "required");
  add_deadline(&b, "a support ticket", m->claim_ticket);
  add_deadline(&b, "the claim", m->claim_sent);
  bool any = false;
  for (int c = 0; c < SLAC_CLAIM_NCONTENTS; c++)
    if (m->claim_includes[c]) {
      dw_add(&b, "%s%s", any ? ", " : "; including ", slac_claim_words[c]);
      any = true;
    }
  if (m->claim->text) dw_add(&b, "; its subject containing \"%s\"", m->claim->text);
  return finish(&b, oom);
}

char *dw_currencies(const slac_model *m, bool *oom) {
  dw_names l = {0};
  for (int i = 0; i < m->ncurrencies; i++) dw_names_add(&l, m->currencies[i]);
  dw_names_sort(&l);
  dw_buf b = {0};
  if (l.oom) b.oom = true;
  for (int i = 0; i < l.n; i++) dw_add(&b, "%s%s", i ? ", " : "", l.v[i]);
  dw_names_free(&l);
  return finish(&b, oom);
}

char *dw_charges(const slac_model *m, bool *oom) {
  if (m->ncharges == 0) return NULL;
  dw_names l = {0};
  for (int i = 0; i < m->ncharges; i++) dw_names_add(&l, m->charges[i]->id);
  dw_names_sort(&l);
  dw_buf b = {0};
  if (l.oom) b.oom = true;
  for (int i = 0; i < l.n; i++) dw_add(&b, "%s%s", i ? ", " : "", l.v[i]);
  dw_names_free(&l);
  return finish(&b, oom);
}
