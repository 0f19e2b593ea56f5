/* history.h - the credits of earlier months, for caps over a period.
 *
 * A policy that caps credits over a calendar quarter, a calendar year or
 * N consecutive months (`credits never exceed 50% of fees per calendar
 * year`) needs the credits already given in the period's earlier months.
 * Those evaluated in the same run are known; `slac eval --history FILE`
 * gives the others, one row per account and month:
 * account,period,credit_amount,currency (CONTRACT 6.3).
 */
#ifndef SLAC_HISTORY_H
#define SLAC_HISTORY_H

#include <stddef.h>
#include "runtime/base/diag.h"
#include "runtime/base/num.h"
#include "runtime/base/timestamp.h"

typedef struct {
  char *account;
  slac_month month;
  slac_num amount;       /* at least 0, at most 3 decimals (checked against
                            the account's currency by the evaluator) */
  char currency[4];
  long line;
} slac_history_row;

typedef struct {
  const char *path;
  slac_history_row *v;   /* sorted by account, then month */
  size_t n, cap;
} slac_history;

/* Read PATH.  Returns 0, or -1 after reporting FILE:LINE errors (two rows
 * for one account and month name both lines). */
int slac_history_read(slac_history *h, const char *path, slac_diags *d);
/* The rows of ACCOUNT, in month order: *N of them from the returned one. */
const slac_history_row *slac_history_of(const slac_history *h, const char *account, size_t *n);
void slac_history_free(slac_history *h);

#endif
