/* errorrate.h - the exact average of window error rates.
 *
 * The window metric averages errors/requests over every window of a month.
 * A sum of thousands of fractions with unrelated denominators has no small
 * exact form, so slac_ratesum keeps, per account and service and month:
 *   floor_sum = sum of floor(errors * 10^30 / requests) over the windows,
 *   inexact   = how many of those terms had a non-zero remainder.
 * The true sum S then lies in [floor_sum, floor_sum + inexact) * 10^-30,
 * strictly above floor_sum when inexact > 0.  Rates that are terminating
 * decimals (1%, 0.5%, 1/8) are exact terms.  slac_ratesum_percent turns the
 * sum into the error-rate percentage 100 * S / windows as a slac_num; it
 * reports "undecided" only when that interval straddles a multiple of
 * 10^-12 percent, which needs a sum within 10^-26 of such a point.  The
 * caller then recomputes that one group exactly with slac_exactsum
 * (GMP rationals) in a second pass.
 */
#ifndef SLAC_ERRORRATE_H
#define SLAC_ERRORRATE_H

#include <stdint.h>
#include "runtime/base/num.h"

typedef struct {
  /* 8-byte aligned, not 16: the sums of every account, service and month
   * stay 48 bytes (runtime/data/dataset.h) instead of 64 */
  unsigned __int128 floor_sum __attribute__((packed, aligned(8))); /* units of 10^-30 */
  uint32_t inexact;            /* terms with a remainder: at most the windows
                                  of a month, SLAC_RATESUM_MAX_WINDOWS */
} slac_ratesum;

/* Add one window: REQUESTS > 0 and ERRORS <= REQUESTS (caller checks). */
void slac_ratesum_add(slac_ratesum *s, uint64_t errors, uint64_t requests);

/* 100 * (S + FAILED) / WINDOWS as a slac_num (exact, or floor with
 * ABOVE): FAILED windows more at 100% errors in place of windows at 0%
 * (slac eval --what-if; 0 otherwise), at most WINDOWS.  WINDOWS is
 * 1..SLAC_RATESUM_MAX_WINDOWS.  Returns 0, or 1 when the bound is not tight
 * enough to decide the 12th decimal (then use slac_exactsum). */
#define SLAC_RATESUM_MAX_WINDOWS 2678400u /* one-second windows in 31 days */
int slac_ratesum_percent(const slac_ratesum *s, uint64_t failed, uint64_t windows, slac_num *out);

/* The exact fallback: an arbitrary-precision rational sum. */
typedef struct slac_exactsum slac_exactsum;
slac_exactsum *slac_exactsum_new(void);       /* NULL when out of memory */
void slac_exactsum_free(slac_exactsum *x);
void slac_exactsum_add(slac_exactsum *x, uint64_t errors, uint64_t requests);
/* 100 * (S + FAILED) / WINDOWS, exactly: floor at 10^-12 with ABOVE when
 * inexact (FAILED as for slac_ratesum_percent). */
slac_num_status slac_exactsum_percent(const slac_exactsum *x, uint64_t failed, uint64_t windows,
                                      slac_num *out);

#endif
