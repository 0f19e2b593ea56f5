/* account_rules.h - what the accounts file must not leave ambiguous
 * (CONTRACT 6.2): which of the policy's services (or of the charges it
 * credits nothing for) a row's `service` names, one row per account and
 * service, and plans spelled almost like one the policy names.
 */
#ifndef SLAC_ACCOUNT_RULES_H
#define SLAC_ACCOUNT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/vm/program.h"

/* The slot of the `service` value NAME: a service's index, nservices +
 * the index of a charge that earns no credit, or -1.  For -1, *NEAR is
 * the known name that NAME matches but for ASCII case and surrounding
 * blanks (or NULL). */
int slac_charge_slot(const slac_program *p, const char *name, size_t len, const char **near);

/* Rows seen, per account and slot: a second row for the same pair is an
 * error that names both lines. */
typedef struct {
  uint64_t *keys;   /* open addressing: (account << 17 | slot) + 1, 0 empty */
  long *lines;
  size_t cap, n;
} slac_row_pairs;

/* Record ACCOUNT's row for SLOT at LINE: 0 when new, the earlier row's
 * line when the pair was seen, -1 when out of memory. */
long slac_row_pairs_add(slac_row_pairs *t, size_t account, int slot, long line);
void slac_row_pairs_free(slac_row_pairs *t);

/* The plans a policy names (eligibility and terms), to find the account
 * plans that differ from one only in case or surrounding blanks. */
typedef struct {
  char **norm;      /* sorted: each plan lower-cased and trimmed */
  const char **exact;
  size_t n;
  char **warned;    /* account plans already warned about */
  size_t nwarned, warned_cap;
} slac_plan_names;

int slac_plan_names_init(slac_plan_names *pn, const slac_program *p);
/* The policy's plan that PLAN (LEN bytes) almost is, when PLAN is not one
 * of the policy's plans and has not been reported yet; else NULL.
 * *OOM is set when memory ran out. */
const char *slac_plan_near_miss(slac_plan_names *pn, const char *plan, size_t len, bool *oom);
void slac_plan_names_free(slac_plan_names *pn);

#endif
