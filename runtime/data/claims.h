/* claims.h - the claims file: what each account claimed, and when.
 *
 * Where a policy makes credit depend on a claim (TagoIO §5: a support
 * ticket within 24 hours of the interruption, a claim within 7 days,
 * with required contents), `slac eval --claims FILE` reads one row per
 * account and month claimed.  docs/claims.md describes the format.
 */
#ifndef SLAC_CLAIMS_H
#define SLAC_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include "runtime/base/diag.h"
#include "runtime/base/timestamp.h"
#include "runtime/vm/opcodes.h" /* SLAC_CLAIM_CONTENTS, slac_claim_columns */

typedef struct {
  char *account;
  slac_month month;
  slac_time ticket_at, claimed_at;
  char *subject;
  bool has[SLAC_CLAIM_NCONTENTS];
} slac_claim;

typedef struct {
  slac_claim *v;   /* sorted by account, then month */
  size_t n, cap;
} slac_claims;

/* Read PATH.  Returns 0, or -1 after reporting FILE:LINE errors. */
int slac_claims_read(slac_claims *c, const char *path, slac_diags *d);
/* The claim of ACCOUNT for MONTH, or NULL. */
const slac_claim *slac_claims_find(const slac_claims *c, const char *account, slac_month month);
void slac_claims_free(slac_claims *c);

#endif
