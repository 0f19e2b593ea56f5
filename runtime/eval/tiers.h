/* tiers.h - the credit tiers of a service, read back from the policy's
 * code, for the html statement's tier table.
 *
 * The tiers exist only as code: the code generator (compiler/gen_service.c)
 * writes each tier as "uptime <op> bound [and uptime <op> bound], JZ to the
 * next tier, PUSHK credit, STORE_OUT CREDIT", tested in order, the first
 * that holds applies.  This reads that shape back, strictly; a service
 * whose code does not have it (terms chosen by plan, or another code
 * generator) gets no table rather than a wrong one.  The expected html of
 * the examples fails if the code generator changes the shape.
 */
#ifndef SLAC_TIERS_H
#define SLAC_TIERS_H

#include <stdbool.h>
#include "runtime/base/num.h"
#include "runtime/vm/program.h"

enum { SLAC_MAX_TIERS = 32 };

typedef struct {
  int nbounds;       /* 1 or 2 */
  int op[2];         /* SLAC_OP_LT, _LE, _GT or _GE: uptime OP bound */
  slac_num bound[2];
  slac_num credit;   /* percent */
} slac_tier;

/* The tiers of service S in the order they are tested, into OUT
 * (SLAC_MAX_TIERS).  Returns their number, or -1 when the table cannot
 * be read back (terms by plan; code of another shape). */
int slac_service_tiers(const slac_program *p, int s, slac_tier *out);
/* Does UPTIME lie within T's bounds (exactly)? */
bool slac_tier_holds(const slac_tier *t, slac_num uptime);

#endif
