/* exposure.c - each account's amount as a step function of further
 * downtime of the named services: the candidate minutes from the
 * policy's bounds, a VM run at each, the changes kept (exposure.h).
 * Nothing is allocated per account: the buffers are the context's, and
 * the change records grow by doubling. */
#include "runtime/eval/exposure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/eval/margins.h"

int slac_exposure_init(slac_exposure *x, const slac_program *p, const bool *named) {
  memset(x, 0, sizeof *x);
  x->p = p;
  x->named = named;
  size_t ns = (size_t)p->nservices + 1;
  x->ncross_cap = 2 * (size_t)p->nops + 2;
  x->sin = calloc(ns, sizeof *x->sin);
  x->out.services = calloc(ns, sizeof *x->out.services);
  x->out.no_reasons = true; /* a probe's numbers only: no reason written */
  x->cross = calloc(ns * x->ncross_cap, sizeof *x->cross);
  x->ncross = calloc(ns, sizeof *x->ncross);
  x->cand = calloc(ns * x->ncross_cap + 2, sizeof *x->cand);
  if (!x->sin || !x->out.services || !x->cross || !x->ncross || !x->cand) {
    slac_exposure_free(x);
    return -1;
  }
  return 0;
}

void slac_exposure_free(slac_exposure *x) {
  slac_vm_output_clear(&x->out);
  free(x->sin);
  free(x->out.services);
  free(x->cross);
  free(x->ncross);
  free(x->cand);
  free(x->v);
  memset(x, 0, sizeof *x);
}

static int keep(slac_exposure *x, slac_month month, int currency, int64_t d, slac_num delta,
                int credited) {
  if (x->n == x->cap) {
    size_t cap = x->cap ? 2 * x->cap : 1024;
    slac_exposure_change *v = realloc(x->v, cap * sizeof *v);
    if (!v) return -2;
    x->v = v;
    x->cap = cap;
  }
  slac_exposure_change *c = &x->v[x->n++];
  c->month = month;
  c->d = d;
  c->delta = delta;
  c->currency = (int16_t)currency;
  c->credited = (int8_t)credited;
  return 0;
}

/* The crossings of every named service in a month of MINUTES: the same
 * for every account of that length, so found once per length. */
static void crossings_for(slac_exposure *x, int64_t minutes) {
  if (x->month_minutes == minutes) return;
  for (int s = 0; s < x->p->nservices; s++)
    x->ncross[s] = x->named[s] ? slac_margins_crossings(x->p, s, minutes, x->cross + (size_t)s * x->ncross_cap,
                                                        x->ncross_cap)
                               : 0;
  x->month_minutes = minutes;
}

static bool positive(slac_num a) { return a.units > 0 || (a.units == 0 && a.above); }

int slac_exposure_account(slac_exposure *x, slac_month month, const slac_vm_input *in,
                          const slac_vm_output *out, char *err, size_t errsize) {
  const slac_program *p = x->p;
  int64_t total = in->month_minutes;
  crossings_for(x, total);
  bool was = positive(out->amount);
  if (keep(x, month, in->currency, 0, out->amount, was) != 0) return -2;
  /* the candidates: where a named service's uptime crosses a bound, and
   * where a service without downtime becomes affected */
  size_t n = 0;
  for (int s = 0; s < p->nservices; s++) {
    if (!x->named[s]) continue;
    int64_t now = in->services[s].unavailable_minutes;
    if (now == 0 && total > 0) x->cand[n++] = 1;
    const int64_t *c = x->cross + (size_t)s * x->ncross_cap;
    for (size_t k = 0; k < x->ncross[s]; k++)
      if (c[k] > now) x->cand[n++] = c[k] - now;
  }
  /* a handful: insertion sort, then each once */
  for (size_t i = 1; i < n; i++) {
    int64_t v = x->cand[i];
    size_t j = i;
    for (; j > 0 && x->cand[j - 1] > v; j--) x->cand[j] = x->cand[j - 1];
    x->cand[j] = v;
  }
  slac_vm_input pin = *in;
  pin.services = x->sin;
  /* further minutes have no clock time: where they are the month's only
   * downtime, they start with the month, as --what-if's do (the earliest
   * a claim deadline can run from; docs/analysis.md) */
  bool any_down = false;
  for (int s = 0; s < p->nservices; s++)
    any_down |= p->services[s].metric == SLAC_PM_MINUTES && in->services[s].unavailable_minutes > 0;
  if (!any_down) pin.first_down = slac_month_start(month);
  slac_num amount = out->amount;
  for (size_t k = 0; k < n; k++) {
    int64_t d = x->cand[k];
    if (k && d == x->cand[k - 1]) continue;
    memcpy(x->sin, in->services, (size_t)p->nservices * sizeof *x->sin);
    for (int s = 0; s < p->nservices; s++) {
      if (!x->named[s]) continue;
      slac_vm_service_input *si = &x->sin[s];
      int64_t room = total - si->unavailable_minutes; /* as --what-if: within the month */
      si->unavailable_minutes += d < room ? d : room;
      si->affected = si->unavailable_minutes > 0;
    }
    int rc = slac_vm_run(p, &pin, &x->out, err, errsize);
    if (rc != 0) return rc;
    slac_num now = x->out.amount;
    if (now.units == amount.units && now.above == amount.above) continue;
    slac_num delta;
    if (slac_num_sub(now, amount, &delta) != SLAC_NUM_OK) {
      snprintf(err, errsize, "an amount of the exposure is too large to subtract exactly");
      return -1;
    }
    bool is = positive(now);
    if (keep(x, month, in->currency, d, delta, (int)is - (int)was) != 0) return -2;
    amount = now;
    was = is;
  }
  return 0;
}

static int by_group_and_d(const void *pa, const void *pb) {
  const slac_exposure_change *a = pa, *b = pb;
  if (a->month != b->month) return a->month < b->month ? -1 : 1;
  if (a->currency != b->currency) return a->currency < b->currency ? -1 : 1;
  return (a->d > b->d) - (a->d < b->d);
}

void slac_exposure_sort(slac_exposure *x) {
  if (x->n) qsort(x->v, x->n, sizeof *x->v, by_group_and_d);
}
