/* margins.c - the margins of each service of an outcome: the further
 * downtime (or error-rate points) to the next worse tier, and the error
 * budget left before the commitment is missed (margins.h).  Integers and
 * slac_num only: a margin is a threshold decision, so no floating point. */
#include "runtime/eval/margins.h"

#include <stdlib.h>
#include <string.h>

/* 100 as units of 10^-12: the scale of percent constants. */
#define HUNDRED_UNITS ((__int128)100 * 1000000000000)

int slac_margins_init(slac_margins_ctx *c, const slac_program *p) {
  memset(c, 0, sizeof *c);
  c->p = p;
  /* two crossings per threshold (at most one threshold per three
   * instructions), and the end of the month */
  c->ncand_cap = 2 * (size_t)p->nops + 2;
  c->sin = calloc((size_t)p->nservices + 1, sizeof *c->sin);
  c->out.services = calloc((size_t)p->nservices + 1, sizeof *c->out.services);
  c->cand = calloc(c->ncand_cap, sizeof *c->cand);
  c->rates = calloc(c->ncand_cap, sizeof *c->rates);
  if (!c->sin || !c->out.services || !c->cand || !c->rates) {
    slac_margins_free(c);
    return -1;
  }
  return 0;
}

void slac_margins_free(slac_margins_ctx *c) {
  slac_vm_output_clear(&c->out);
  free(c->sin);
  free(c->out.services);
  free(c->cand);
  free(c->rates);
  memset(c, 0, sizeof *c);
}

int64_t slac_margins_crossing(int64_t minutes, slac_num limit, bool strict) {
  /* uptime < L  <=>  (M - m) x 100 < L x M  <=>  m > M (100 - L) / 100,
   * and "<=" alike; with L = units / 10^12 the bound is X / D below */
  __int128 x = (__int128)minutes * (HUNDRED_UNITS - limit.units), d = HUNDRED_UNITS;
  if (limit.above && !strict) return minutes + 1; /* (never: constants are exact) */
  if (x < 0) return 0;                            /* L above 100%: always below */
  __int128 m = strict ? x / d + 1 : (x + d - 1) / d;
  return m > minutes ? minutes + 1 : (int64_t)m;
}

/* Is the instruction at I "uptime of service S compared with a
 * constant"?  The code generator writes every tier bound and the
 * commitment so: LOAD_OUT UPTIME S, PUSHK K, then LT/LE/GT/GE.  Sets
 * *LIMIT to the constant. */
static bool threshold_at(const slac_program *p, uint32_t i, int s, slac_num *limit) {
  if (i + 2 >= p->nops) return false;
  const slac_operands *a = &p->ops[i], *k = &p->ops[i + 1], *cmp = &p->ops[i + 2];
  if (a->op != SLAC_OP_LOAD_OUT || a->field != SLAC_OUT_UPTIME || a->service != s) return false;
  if (k->op != SLAC_OP_PUSHK) return false;
  if (cmp->op != SLAC_OP_LT && cmp->op != SLAC_OP_LE && cmp->op != SLAC_OP_GT && cmp->op != SLAC_OP_GE)
    return false;
  *limit = p->nums[k->k];
  return true;
}

static int cmp_minutes(const void *pa, const void *pb) {
  int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
  return (a > b) - (a < b);
}

size_t slac_margins_crossings(const slac_program *p, int s, int64_t minutes, int64_t *out, size_t cap) {
  size_t n = 0;
  for (uint32_t i = 0; i < p->nops && n + 3 <= cap; i++) {
    slac_num limit;
    if (!threshold_at(p, i, s, &limit)) continue;
    int64_t at[2] = {slac_margins_crossing(minutes, limit, true), slac_margins_crossing(minutes, limit, false)};
    for (int j = 0; j < 2; j++)
      if (at[j] > 0 && at[j] <= minutes) out[n++] = at[j];
  }
  if (minutes > 0 && n < cap) out[n++] = minutes; /* the whole month down: the worst */
  qsort(out, n, sizeof *out, cmp_minutes);
  size_t k = 0;
  for (size_t j = 0; j < n; j++)
    if (k == 0 || out[j] != out[k - 1]) out[k++] = out[j];
  return k;
}

/* Exact rates only compare with exact rates or with ABOVE rates of other
 * units; candidates are T or "just above T", so order by units, then
 * ABOVE last. */
static int cmp_rates(const void *pa, const void *pb) {
  const slac_num *a = pa, *b = pb;
  if (a->units != b->units) return a->units < b->units ? -1 : 1;
  return (int)a->above - (int)b->above;
}

/* Run the program with service S's input replaced by SI: the credit of
 * S in *CREDIT. */
static int probe(slac_margins_ctx *c, const slac_vm_input *in, int s, const slac_vm_service_input *si,
                 slac_num *credit, char *err, size_t errsize) {
  slac_vm_input pin = *in;
  memcpy(c->sin, in->services, (size_t)c->p->nservices * sizeof *c->sin);
  c->sin[s] = *si;
  pin.services = c->sin;
  c->out.hits = NULL; /* a probe is no run of the policy's reasons (coverage) */
  /* nor are its reasons read: writing them cost an allocation each, for
   * every probe of every service of every outcome */
  c->out.no_reasons = true;
  int rc = slac_vm_run(c->p, &pin, &c->out, err, errsize);
  if (rc == 0) *credit = c->out.services[s].credit;
  return rc;
}

static bool same(slac_num a, slac_num b) { return a.units == b.units && a.above == b.above; }

static int minutes_margin(slac_margins_ctx *c, const slac_vm_input *in, const slac_vm_output *out,
                          int s, slac_margin *m, char *err, size_t errsize) {
  int64_t total = in->month_minutes, now = in->services[s].unavailable_minutes;
  const slac_vm_service_output *so = &out->services[s];
  /* the commitment is met while uptime >= commit: missed from MISS on */
  int64_t miss = slac_margins_crossing(total, so->commit, true);
  if (so->met) {
    m->budget_minutes = (miss > total ? total : miss - 1) - now;
    if (m->budget_minutes < 0) m->budget_minutes = 0;
  } else {
    m->over_minutes = now - (miss - 1);
    if (m->over_minutes < 0) m->over_minutes = 0;
  }
  size_t n = slac_margins_crossings(c->p, s, total, c->cand, c->ncand_cap);
  for (size_t k = 0; k < n; k++) {
    if (c->cand[k] <= now) continue;
    slac_vm_service_input si = in->services[s];
    si.unavailable_minutes = c->cand[k];
    si.affected = true;
    slac_num credit;
    int rc = probe(c, in, s, &si, &credit, err, errsize);
    if (rc != 0) return rc;
    if (!same(credit, so->credit)) {
      m->has_next = true;
      m->next_credit = credit;
      m->to_next_minutes = c->cand[k] - now;
      return 0;
    }
  }
  return 0;
}

static int rate_margin(slac_margins_ctx *c, const slac_vm_input *in, const slac_vm_output *out,
                       int s, slac_margin *m, char *err, size_t errsize) {
  const slac_program *p = c->p;
  slac_num e = in->services[s].error_rate, hundred = slac_num_int(100), zero = slac_num_int(0);
  const slac_vm_service_output *so = &out->services[s];
  m->to_next_points = m->budget_points = m->over_points = zero;
  /* met while 100 - e >= commit, that is e <= 100 - commit */
  slac_num limit;
  if (slac_num_sub(hundred, so->commit, &limit) == SLAC_NUM_OK) {
    if (so->met) {
      if (slac_num_sub(limit, e, &m->budget_points) != SLAC_NUM_OK || m->budget_points.units < 0)
        m->budget_points = zero;
    } else if (slac_num_sub(e, limit, &m->over_points) != SLAC_NUM_OK || m->over_points.units < 0) {
      m->over_points = zero;
    }
  }
  size_t n = 0;
  for (uint32_t i = 0; i < p->nops && n + 3 <= c->ncand_cap; i++) {
    slac_num bound, t;
    int order;
    if (!threshold_at(p, i, s, &bound) || slac_num_sub(hundred, bound, &t) != SLAC_NUM_OK) continue;
    if (t.units < 0 || t.above || slac_num_cmp(t, hundred, &order) != SLAC_NUM_OK || order > 0) continue;
    if (slac_num_cmp(t, e, &order) != SLAC_NUM_OK) continue;
    if (order > 0) c->rates[n++] = t; /* the error rate reaches T */
    if (order >= 0 && t.units < hundred.units) {
      c->rates[n] = t; /* ... or passes it, by however little */
      c->rates[n++].above = true;
    }
  }
  int order;
  if (slac_num_cmp(hundred, e, &order) == SLAC_NUM_OK && order > 0) c->rates[n++] = hundred;
  qsort(c->rates, n, sizeof *c->rates, cmp_rates);
  for (size_t k = 0; k < n; k++) {
    if (k && same(c->rates[k], c->rates[k - 1])) continue;
    slac_vm_service_input si = in->services[s];
    si.error_rate = c->rates[k];
    si.affected = true;
    slac_num credit;
    int rc = probe(c, in, s, &si, &credit, err, errsize);
    if (rc != 0) return rc;
    if (!same(credit, so->credit)) {
      slac_num t = c->rates[k];
      t.above = false;
      m->has_next = true;
      m->next_credit = credit;
      m->to_next_strict = c->rates[k].above;
      if (slac_num_sub(t, e, &m->to_next_points) != SLAC_NUM_OK) m->to_next_points = zero;
      return 0;
    }
  }
  return 0;
}

int slac_margins_compute(slac_margins_ctx *c, const slac_vm_input *in, const slac_vm_output *out,
                         slac_margin *m, char *err, size_t errsize) {
  for (int s = 0; s < c->p->nservices; s++) {
    memset(&m[s], 0, sizeof m[s]);
    m[s].minutes = c->p->services[s].metric == SLAC_PM_MINUTES;
    int rc = m[s].minutes ? minutes_margin(c, in, out, s, &m[s], err, errsize)
                          : rate_margin(c, in, out, s, &m[s], err, errsize);
    if (rc != 0) return rc;
  }
  return 0;
}
