/* margins.h - how far each service of an outcome is from its next worse
 * tier and from its commitment (CONTRACT 6.4, docs/evaluation.md).
 *
 * A policy keeps its tiers only as code, so margins are found by asking
 * the program itself: the uptime thresholds that the code compares a
 * service's uptime with are read from its instructions, the few measures
 * where the uptime crosses one of them are computed exactly, and the VM
 * is run again at each, in order, until the service's credit changes.
 * Source and bytecode therefore give the same margins, terms by plan
 * included (the account's plan chooses the code path, as in the run).
 */
#ifndef SLAC_MARGINS_H
#define SLAC_MARGINS_H

#include <stdbool.h>
#include <stdint.h>
#include "runtime/base/num.h"
#include "runtime/vm/vm.h"

typedef struct {
  bool minutes;            /* measured in minutes; else in error-rate points */
  bool has_next;           /* a worse tier exists within the month */
  slac_num next_credit;    /* its credit percent (has_next) */
  /* minutes: the least further whole unavailable minutes that give the
   * next worse tier; the minutes of downtime left before the commitment
   * is missed (0 when missed); how many fewer would have met it (0 when
   * met) */
  int64_t to_next_minutes, budget_minutes, over_minutes;
  /* error-rate points (percentage points of the average error rate):
   * the same three, exact to 12 decimals (truncated when the month's
   * average is not a 12-decimal number itself) */
  slac_num to_next_points, budget_points, over_points;
  bool to_next_strict;     /* points: the rate must pass TO_NEXT_POINTS, not
                              just reach it (a bound "below X%"); a budget
                              in points is always strict: any more misses */
} slac_margin;

/* Scratch space for the VM runs of one program. */
typedef struct {
  const slac_program *p;
  slac_vm_service_input *sin;   /* [nservices] */
  slac_vm_output out;
  int64_t *cand;                /* candidate minutes */
  slac_num *rates;              /* candidate error rates */
  size_t ncand_cap;
} slac_margins_ctx;

/* 0, or -1 when out of memory. */
int slac_margins_init(slac_margins_ctx *c, const slac_program *p);
void slac_margins_free(slac_margins_ctx *c);

/* The margins of every service of the outcome of IN and OUT (a run of
 * C->p) into M[nservices].  Returns 0, or what slac_vm_run returned
 * (-1 with a message in ERR, -2 out of memory). */
int slac_margins_compute(slac_margins_ctx *c, const slac_vm_input *in, const slac_vm_output *out,
                         slac_margin *m, char *err, size_t errsize);

/* The least whole minutes M0 in 0..MINUTES at which an uptime of
 * (MINUTES - M0) / MINUTES x 100 is below LIMIT (STRICT) or at or below
 * it; MINUTES + 1 when none is.  Exact (integers). */
int64_t slac_margins_crossing(int64_t minutes, slac_num limit, bool strict);

/* The whole minutes in 1..MINUTES at which service S's uptime crosses a
 * bound that P's code compares it with (each bound from both sides:
 * reaching it and passing it), and MINUTES itself (the whole month down),
 * sorted and each once, into OUT[0..CAP); returns how many.  Between two
 * of them (and below the first) nothing that the code tests about S's
 * uptime changes.  CAP = 2 x P->nops + 2 holds them all (the margins'
 * and the exposure's candidates). */
size_t slac_margins_crossings(const slac_program *p, int s, int64_t minutes, int64_t *out, size_t cap);

#endif
