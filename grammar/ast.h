/* ast.h - the abstract syntax tree of a policy.
 *
 * The parser builds it, the checker annotates it with exact values, the
 * code generator reads it.  Every node carries the source range it came
 * from, so every diagnostic can point at the word that is wrong.  Lists
 * are singly linked in source order.  Everything is owned by the tree and
 * freed by slac_ast_free_policy().
 */
#ifndef SLAC_AST_H
#define SLAC_AST_H

#include <stdbool.h>
#include <stdint.h>
#include "runtime/base/num.h"
#include "runtime/base/arena.h"
#include "runtime/base/diag.h"
#include "runtime/base/names.h"

/* A literal with its unit as written: "99.95%", "10 min", "5.00 USD",
 * or a bare number.  The checker fills VALUE (and SECONDS for
 * durations) once the text is known to be a valid number. */
typedef enum {
  SLAC_UNIT_NONE,     /* bare number */
  SLAC_UNIT_PERCENT,
  SLAC_UNIT_DURATION,
  SLAC_UNIT_MONEY,
  SLAC_UNIT_MONTHS,   /* "2 months": calendar months (claim deadlines, caps) */
  SLAC_UNIT_ORDINAL   /* "2nd": the Nth billing month */
} slac_unit;

typedef struct {
  slac_loc loc;
  char *text;             /* the number as written, without its unit */
  slac_unit unit;
  int64_t unit_seconds;   /* duration: seconds per unit (60 for "min") */
  char currency[4];       /* money: the code as written, NUL-terminated;
                             ordinal: its suffix ("nd") */
  /* filled by the checker */
  bool valid;
  slac_num value;         /* percent: 99.95; money: 5.00; duration: seconds */
} slac_quantity;

typedef struct slac_cite {
  slac_loc loc;
  char *text; /* as written, "§4" or "§\"Service Credits\"" without quotes */
  struct slac_cite *next;
} slac_cite;

typedef struct slac_name {
  slac_loc loc;
  char *text;
  struct slac_name *next;
} slac_name;

/* "below 99.95%", "at or above 99.9%", "above 5%", "at or below 1%" */
typedef enum {
  SLAC_BOUND_BELOW,
  SLAC_BOUND_AT_OR_BELOW,
  SLAC_BOUND_ABOVE,
  SLAC_BOUND_AT_OR_ABOVE
} slac_bound_kind;

typedef struct {
  slac_loc loc;
  slac_bound_kind kind;
  slac_quantity value;
} slac_bound;

typedef struct slac_tier {
  slac_loc loc;
  int nbounds;           /* 1 or 2 */
  slac_bound bounds[2];
  slac_quantity credit;  /* the credit percentage */
  slac_cite *cites;
  struct slac_tier *next;
} slac_tier;

/* Eligibility conditions: plan and standing, combined with and/or/not. */
typedef enum {
  SLAC_COND_AND,
  SLAC_COND_OR,
  SLAC_COND_NOT,
  SLAC_COND_PLAN_IN,   /* plan in { "Free", "Starter" } or plan is "Free" */
  SLAC_COND_STANDING   /* standing is good | overdue */
} slac_cond_kind;

typedef struct slac_cond {
  slac_loc loc;
  slac_cond_kind kind;
  struct slac_cond *lhs, *rhs; /* AND/OR: both; NOT: lhs */
  slac_name *plans;            /* PLAN_IN: string values */
  bool standing_good;          /* STANDING */
  int depth;                   /* 1 for a leaf */
} slac_cond;

typedef enum {
  SLAC_BASE_MONTHLY_FEE,       /* "monthly fee" */
  SLAC_BASE_AFFECTED_CHARGES,  /* "charges of affected services" */
  SLAC_BASE_SERVICE_CHARGE,    /* "service charge": each service on its own */
  SLAC_BASE_PERIOD_FEES        /* "fees" (caps): the fees of the cap's period */
} slac_base;

typedef enum {
  SLAC_METRIC_MINUTES,    /* percentage of minutes with downtime */
  SLAC_METRIC_ERROR_RATE  /* average of window error rates */
} slac_metric;

typedef enum {
  SLAC_EMPTY_ZERO,        /* a window without requests counts as 0% */
  SLAC_EMPTY_LEFT_OUT     /* ... or is left out of the average */
} slac_empty_windows;

typedef enum {
  SLAC_CL_PROVIDER,      /* provider "Saleor Commerce" */
  SLAC_CL_CURRENCY,      /* currency USD, EUR */
  SLAC_CL_PERIOD,        /* period calendar month in UTC */
  SLAC_CL_SERVICE,       /* service id "Name" { ... } */
  SLAC_CL_MEASURE,       /* measure unavailable minutes / average error rate */
  SLAC_CL_COMMIT,        /* commit 99.9% */
  SLAC_CL_CREDIT,        /* credit of monthly fee [, most severe tier applies] { tiers } */
  SLAC_CL_EXCLUDE,       /* exclude maintenance up to 10 min per month */
  SLAC_CL_CAUSE,         /* cause name "description": declares a cause */
  SLAC_CL_COUNT,         /* count cause, ...: more causes that are downtime */
  SLAC_CL_NOT_ELIGIBLE,  /* not eligible when COND */
  SLAC_CL_ELIGIBLE_ONLY, /* eligible only when COND */
  SLAC_CL_MINIMUM,       /* issue credit only if amount greater than 5 USD */
  SLAC_CL_MAXIMUM,       /* credits never exceed 50% of monthly fee */
  SLAC_CL_NOTE,          /* note "..." : recorded, not evaluated */
  SLAC_CL_CLAIM,         /* claim required { ticket within ...; ... } */
  SLAC_CL_TERMS,         /* [default] terms for plan "A", "B" { commit ... credit ... } */
  SLAC_CL_KINDS,         /* count only errors of kind a, b / ignore errors of kind a */
  SLAC_CL_CAVEAT,        /* caveat "...": shown in the report with a credit */
  SLAC_CL_CHARGE         /* charge support "Support plans" not credited */
} slac_clause_kind;

typedef struct slac_clause {
  slac_loc loc;          /* the whole clause */
  slac_loc key_loc;      /* its first keyword */
  slac_clause_kind kind;
  slac_cite *cites;
  struct slac_clause *next;

  /* PROVIDER, NOTE, CAVEAT, CAUSE and CHARGE (description, may be NULL
   * for CHARGE), SERVICE (display name) */
  char *text;
  slac_loc text_loc;
  /* SERVICE (id), CAUSE and CHARGE (name) */
  char *id;
  slac_loc id_loc;
  /* SERVICE: its own clauses */
  struct slac_clause *body;
  /* CURRENCY: codes; EXCLUDE, COUNT: causes */
  slac_name *names;
  /* MEASURE */
  slac_metric metric;
  slac_quantity window;            /* error rate: window length */
  bool has_empty;                  /* error rate: empty-window rule written */
  slac_empty_windows empty;
  slac_quantity empty_percent;     /* "count as 0% errors" */
  bool has_rate_rule;              /* minutes: minute down by error rate */
  slac_bound rate_bound;           /* above 5% / at or above 5% */
  slac_quantity min_requests;      /* "with at least 10 requests" */
  bool has_run_rule;               /* minutes: runs of at least N */
  slac_quantity min_run;           /* a duration */
  /* COMMIT, MAXIMUM: percent; EXCLUDE: cap (when capped) */
  slac_quantity value;
  bool capped;
  /* EXCLUDE (capped), MAXIMUM: the cap's period in calendar months, 1, 3
   * or 12 ("per month", "per calendar quarter", "per year"); MAXIMUM
   * "per 12 months": ROLLING, with the count in PERIOD_LEN */
  int cap_months;
  slac_loc cap_period_loc;
  bool rolling;
  slac_quantity period_len;
  /* EXCLUDE: "announced at least 24 h ahead" */
  bool has_notice;
  slac_quantity notice;
  /* TERMS: plans in NAMES (strings), "default terms" */
  bool is_default;
  /* KINDS: kinds in NAMES; "ignore errors of kind" (else "count only") */
  bool ignore_kinds;
  /* CREDIT: tiers; CREDIT and MAXIMUM: base */
  slac_tier *tiers;
  slac_base base;
  /* CREDIT: ", most severe tier applies" written (kept for the formatter):
   * tiers may overlap, and the one with the highest credit applies */
  bool most_severe;
  slac_loc most_severe_loc;        /* "most" .. "applies" */
  /* NOT_ELIGIBLE, ELIGIBLE_ONLY */
  slac_cond *cond;
  /* CLAIM: deadlines (durations), subject (TEXT), contents (NAMES) */
  bool has_ticket_deadline, has_claim_deadline;
  slac_quantity ticket_within, claim_within;  /* a duration, N months, or
                                     (END_OF_MONTH) the ordinal N */
  bool ticket_end_of_month, claim_end_of_month; /* "by end of Nth billing
                                     month after interruption" */
  bool ticket_after_month_end, claim_after_month_end; /* "within 30 days
                                     after end of billing month" */
  /* MINIMUM: amounts, one per currency, and the comparison */
  slac_quantity *amounts;
  int namounts;
  bool at_least;                   /* "at least" (else "greater than") */
} slac_clause;

typedef struct {
  slac_loc loc;
  char *id;              /* policy identifier, as printed in reports */
  slac_loc id_loc;
  char *title;           /* display name, may be NULL */
  slac_quantity version; /* a bare integer */
  slac_clause *clauses;
  bool incomplete;       /* syntax errors dropped some clauses: the checker
                            does not complain that they are missing */
  slac_arena *arena;     /* holds every clause node (not their contents) */
} slac_policy;

slac_policy *slac_ast_policy_new(void);
/* A clause node comes from ARENA (the parse's, then its policy's): a
 * large policy is thousands of them, and one calloc each was most of
 * `slac check`'s time (runtime/base/arena.h). */
slac_clause *slac_ast_clause_new(slac_arena *arena, slac_clause_kind kind, slac_loc loc);
/* Frees the clauses, then the arena that holds them. */
void slac_ast_free_policy(slac_policy *p);
/* Frees what the clauses own; their nodes go with their arena. */
void slac_ast_free_clauses(slac_clause *c);
void slac_ast_free_cites(slac_cite *c);
void slac_ast_free_names(slac_name *n);
void slac_ast_free_tiers(slac_tier *t);
void slac_ast_free_cond(slac_cond *c);
void slac_ast_free_quantity(slac_quantity *q);


#endif
