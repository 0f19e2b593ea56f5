/* diag_hold.h - diagnostics held back and delivered in source order.
 *
 * Checks run by topic, not in the order of the text (the parser first,
 * then names, services, schedules), but a reader goes down the file: a
 * holder takes the diagnostics reported meanwhile and, when released,
 * delivers them sorted by file, line and column (then in the order they
 * were found) to whatever sink was there before.  Holders nest: an inner
 * release delivers into the outer holder, which sorts everything again.
 * Counting, --werror and the message limit apply as they are reported.
 */
#ifndef SLAC_DIAG_HOLD_H
#define SLAC_DIAG_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include "runtime/base/diag.h"

typedef struct slac_held slac_held;

typedef struct {
  slac_diags *d;
  slac_diag_sink sink;   /* what D had before */
  void *sink_ctx;
  slac_held *v;
  size_t n, cap;
  bool lost;             /* one could not be kept (out of memory) */
  bool oom_kept;         /* the "out of memory" message is among those kept */
} slac_diag_holder;

/* Hold D's diagnostics in H until slac_diags_release(H). */
void slac_diags_hold(slac_diags *d, slac_diag_holder *h);
/* Deliver the held diagnostics in source order and give D its sink back.
 * Every source a held diagnostic points into must still be alive. */
void slac_diags_release(slac_diag_holder *h);

#endif
