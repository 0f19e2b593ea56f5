/* check.h - semantic checks, and the resolved model of a policy.
 *
 * slac_check() validates a parsed policy and reports every problem through
 * the diagnostics sink: names (undefined, duplicate), units (a duration
 * where a percentage belongs), ranges (percentages outside [0, 100], caps
 * longer than a month), and the shape of each credit schedule (tiers that
 * overlap or can never match, a gap between the commitment and the first
 * tier, credit that decreases as uptime falls).  When there are no errors
 * it also returns a slac_model: the policy with every name resolved and
 * every literal converted to an exact number, which is all the code
 * generator needs.
 */
#ifndef SLAC_CHECK_H
#define SLAC_CHECK_H

#include "grammar/ast.h"
#include "runtime/base/diag.h"
#include "runtime/vm/opcodes.h" /* SLAC_CLAIM_NCONTENTS */

/* The causes every policy knows without declaring them (CONTRACT §5). */
extern const char *const slac_standard_causes[];

typedef enum {
  SLAC_CAUSE_COUNTS,   /* downtime */
  SLAC_CAUSE_EXCLUDED, /* never downtime */
  SLAC_CAUSE_CAPPED    /* excluded up to a cap per period, then downtime */
} slac_cause_mode;

typedef struct {
  slac_cause_mode mode;
  int64_t cap_seconds;          /* CAPPED */
  int cap_months;               /* CAPPED: the cap's period, 1 (calendar
                                   month), 3 (quarter) or 12 (year) */
  int64_t notice_seconds;       /* EXCLUDED, CAPPED: 0, or excluded only when
                                   announced at least this long before */
  const slac_clause *clause;    /* the exclude/count clause, or NULL */
} slac_cause_rule;

typedef struct {
  const char *name;
  const char *description;      /* from a cause declaration, or NULL */
} slac_model_cause;

typedef struct {
  int lower_kind;               /* -1 none, else SLAC_BOUND_ABOVE / _AT_OR_ABOVE */
  slac_num lower;
  int upper_kind;               /* -1 none, else SLAC_BOUND_BELOW / _AT_OR_BELOW */
  slac_num upper;
  slac_num credit;              /* percent */
  const slac_tier *tier;
} slac_model_tier;

/* A commitment and the credit schedule that goes with it: a service's
 * own, or those of one `terms for plan` block. */
typedef struct {
  const slac_clause *clause;    /* the terms clause; NULL: the service's own */
  bool is_default;              /* applies to plans no other terms name */
  slac_num commit;              /* percent */
  bool commit_valid;
  const slac_clause *commit_clause;
  const slac_clause *credit;    /* its own schedule, the service's or the
                                   policy's, or NULL */
  slac_model_tier *tiers;       /* sorted by lower bound, lowest uptime first; under
                                   "most severe tier applies", most credit first */
  int ntiers;
} slac_model_terms;

/* Which errors of a request window count. */
typedef enum {
  SLAC_KINDS_ALL,               /* the `errors` column */
  SLAC_KINDS_ONLY,              /* the sum of the named kinds' columns */
  SLAC_KINDS_IGNORE             /* `errors` less the named kinds' columns */
} slac_kinds_mode;

typedef struct {
  const slac_clause *clause;    /* the service clause */
  const char *id, *title;
  slac_metric metric;
  int64_t window_seconds;       /* ERROR_RATE */
  slac_empty_windows empty;     /* ERROR_RATE */
  bool has_rate_rule;           /* MINUTES: a minute is down by error rate */
  bool rate_inclusive;          /* "at or above" (else "above") */
  slac_num rate_threshold;      /* percent */
  int64_t min_requests;
  int64_t min_run_minutes;      /* 0: every minute counts */
  const slac_clause *measure;
  slac_kinds_mode kinds_mode;
  const slac_clause *kinds;     /* the clause naming the kinds, or NULL */
  /* The terms: one (clause NULL) for a service without `terms`; else one
   * per `terms` block, in source order.  Never empty once checked. */
  slac_model_terms *terms;
  int nterms;
  slac_cause_rule *rules;       /* [model.ncauses] */
  int nown_rules;               /* (checker only) */
} slac_model_service;

/* A claim deadline: a duration from the interruption, N calendar months
 * after it, the end of the Nth billing month after its month, or a
 * duration after the end of its month. */
typedef enum {
  SLAC_DEADLINE_NONE,
  SLAC_DEADLINE_SECONDS,
  SLAC_DEADLINE_MONTHS,
  SLAC_DEADLINE_END_OF_MONTH,
  SLAC_DEADLINE_AFTER_MONTH_END
} slac_deadline_kind;

typedef struct {
  slac_deadline_kind kind;
  int64_t value;                /* seconds, or months */
} slac_deadline;

typedef struct {
  const slac_policy *ast;
  const char *id, *title, *provider;
  int64_t version;
  int ncurrencies;
  char (*currencies)[4];
  int nservices;
  slac_model_service *services;
  int ncauses;                  /* cause 0 is "outage" */
  slac_model_cause *causes;
  slac_base base;               /* of every credit schedule */
  const slac_clause **eligibility; /* NOT_ELIGIBLE and ELIGIBLE_ONLY clauses */
  int neligibility;
  const slac_clause *minimum;   /* or NULL */
  const slac_clause *claim;     /* "claim required", or NULL */
  slac_deadline claim_ticket;   /* kind NONE: no ticket deadline */
  slac_deadline claim_sent;     /* kind NONE: no claim deadline */
  bool claim_includes[SLAC_CLAIM_NCONTENTS]; /* the contents a claim must
                                   include (slac_claim_content) */
  const slac_clause *maximum;   /* the monthly cap, or NULL */
  slac_num maximum_percent;
  const slac_clause *period_cap; /* a cap over a quarter, a year or N
                                   months, or NULL */
  slac_num period_cap_percent;
  int period_cap_months;        /* 3, 12, or N (rolling) */
  bool period_cap_rolling;      /* the N months ending with the evaluated one */
  const slac_clause **notes;    /* not evaluated */
  int nnotes;
  const slac_clause **caveats;  /* shown with every credit */
  int ncaveats;
  const slac_clause **charges;  /* charges in the fee that earn no credit */
  int ncharges;
} slac_model;

/* Check P (from SRC).  Returns the model when there was no error and P
 * is complete (the caller frees it with slac_model_free; it points into
 * P), NULL otherwise.  Warnings do not prevent the model. */
slac_model *slac_check(const slac_policy *p, slac_source *src, slac_diags *d);
void slac_model_free(slac_model *m);

/* Text of a cite list as reasons quote it: "§2, §5(i)"; "" when none.
 * Returns a malloc'ed string or NULL when out of memory. */
char *slac_cites_text(const slac_cite *c);

#endif
