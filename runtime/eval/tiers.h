/* tiers.h - the commitment and credit tiers that apply to one account's
 * service, read back from the policy's code, for the html statement's
 * tier table.
 *
 * The tiers exist only as code.  The code generator
 * (compiler/gen_service.c) writes a service as its uptime ("... STORE_OUT
 * UPTIME s"), then either its one set of terms, or, with terms by plan,
 * "PLAN_IN set, JZ to the next terms, <terms>, JMP to the end" for each
 * terms naming plans, and the default terms last.  Terms are "LOAD_OUT
 * UPTIME s, PUSHK commit, GE, STORE_OUT MET s, PUSHK commit, STORE_OUT
 * COMMIT s", then each tier as "uptime <op> bound [and uptime <op> bound],
 * JZ to the next tier, PUSHK credit, STORE_OUT CREDIT s, ...", tested in
 * order (the first that holds applies), then "LOAD_OUT MET s".
 *
 * This follows that path as the VM does for the account's plan (the same
 * PLAN_IN test, the same jumps), strictly: code of any other shape (a
 * plan no terms name and no default, another code generator) gives no
 * table rather than a wrong one.  The expected html of the examples and
 * of tests/eval/html_* fails if the code generator changes the shape.
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

/* Which terms of a service the code took. */
typedef enum {
  SLAC_TERMS_ONLY,    /* the service's one set of terms */
  SLAC_TERMS_PLAN,    /* the terms naming the account's plan */
  SLAC_TERMS_DEFAULT  /* terms by plan, none naming it: the default terms */
} slac_terms_kind;

typedef struct {
  slac_terms_kind kind;
  slac_num commit;                  /* percent */
  int ntiers;
  slac_tier tiers[SLAC_MAX_TIERS];  /* in the order they are tested */
} slac_terms_table;

/* The terms of service S that the code applies to an account of PLAN
 * (NULL or "": no plan, as the VM reads it), into *OUT.  Returns 0, or
 * -1 when they cannot be read back (code of another shape, more than
 * SLAC_MAX_TIERS tiers, a plan without terms); *OUT is then unspecified. */
int slac_service_terms(const slac_program *p, int s, const char *plan, slac_terms_table *out);
/* Does UPTIME lie within T's bounds (exactly)? */
bool slac_tier_holds(const slac_tier *t, slac_num uptime);

#endif
