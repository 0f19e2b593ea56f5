/* exposure.h - the total credit owed as an exact step function of further
 * downtime (slac eval --exposure; issue 19 item 3, docs/analysis.md).
 *
 * For every account and month, the further unavailable minutes d = 1, 2,
 * ... of the named minute-measured services (each further minute down for
 * all of them at once, never more than the month holds, as --what-if adds
 * them) change the account's amount only where some named service's
 * uptime crosses a bound that the policy's code tests, or where a service
 * first becomes affected (d = 1 from no downtime).  Those few d are the
 * candidates (margins.h finds the crossings); the VM runs at each, in
 * order, with the account's real inputs, and every change of the rounded
 * amount is kept as a change record.  The records of all accounts are then
 * sorted by month, currency and d and added (exposure_report.c): the
 * steps of the total.  Integers and slac_num only.
 */
#ifndef SLAC_EXPOSURE_H
#define SLAC_EXPOSURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/base/num.h"
#include "runtime/base/timestamp.h"
#include "runtime/vm/vm.h"

/* One account's amount at D further minutes changed by DELTA (at D = 0:
 * DELTA is its amount now); CREDITED is the change of "the amount is
 * above 0" (-1, 0, 1; at D = 0: 1 when credited now). */
typedef struct {
  slac_month month;
  int64_t d;
  slac_num delta;
  int16_t currency;     /* index in p->currencies */
  int8_t credited;
} slac_exposure_change;

typedef struct {
  const slac_program *p;
  const bool *named;            /* [nservices]: the services given more downtime */
  const char *account;          /* NULL, or the one account evaluated (the
                                   text report names it; --only-account) */
  slac_vm_service_input *sin;   /* [nservices]: a probe's inputs */
  slac_vm_output out;           /* a probe's outputs (no reasons) */
  int64_t month_minutes;        /* the month length of the crossings below */
  int64_t *cross;               /* [nservices][ncross_cap] */
  size_t *ncross;               /* [nservices] */
  size_t ncross_cap;
  int64_t *cand;                /* [nservices * ncross_cap + 1]: one account's d */
  slac_exposure_change *v;      /* every account's changes, in run order */
  size_t n, cap;
} slac_exposure;

/* 0, or -1 when out of memory.  NAMED must outlive X. */
int slac_exposure_init(slac_exposure *x, const slac_program *p, const bool *named);
void slac_exposure_free(slac_exposure *x);

/* The changes of one account in MONTH, whose real run had inputs IN and
 * outputs OUT (OUT->amount is its amount now).  Returns 0, or what
 * slac_vm_run returned (-1 with a message in ERR, -2 out of memory). */
int slac_exposure_account(slac_exposure *x, slac_month month, const slac_vm_input *in,
                          const slac_vm_output *out, char *err, size_t errsize);

/* Sort the changes by month, currency and d (the order within a d does not
 * matter: its changes are added). */
void slac_exposure_sort(slac_exposure *x);

#endif
