/* diff.h - what two checked policies decide differently (slac diff).
 *
 * slac_diff() compares the meaning of two models (compiler/check.h), not
 * their text: every number is the checker's exact value, every rule is
 * put in one canonical wording before it is compared, and a credit
 * schedule is compared as the step function it is, the credit percentage
 * at every uptime from 0% to 100%.  Two policies that write the same
 * terms differently (tiers in another order, 99.90% for 99.9%, one
 * `exclude` clause for two) therefore give no difference.
 *
 * What is compared: currencies, the credit base, the services (added,
 * removed, how each is measured), for each service and each plan the
 * commitment and the exact uptime intervals where the credit differs,
 * for each service and cause how the cause counts (exclusions and their
 * caps and notice), eligibility for every plan named and every standing,
 * the minimum credit, the monthly maximum, the cap over several months,
 * the claim rules and the charges that earn no credit.  Titles, notes,
 * caveats and citations are words, not terms: they are not compared.
 */
#ifndef SLAC_DIFF_H
#define SLAC_DIFF_H

#include <stdbool.h>
#include <stdio.h>
#include "compiler/check.h"
#include "runtime/base/num.h"

/* One difference.  SERVICE is NULL for the account's rules; PLAN is
 * NULL when the terms do not depend on the plan.  OLD and NEW are the
 * canonical words of each side, or NULL where that side has none. */
typedef struct {
  char *service;
  char *plan;            /* a plan's name, or "other plans" (OTHER_PLANS) */
  bool other_plans;      /* PLAN stands for every plan no terms name */
  const char *topic;     /* "credit", "commitment", "cause", ... (static) */
  char *subject;         /* what the topic is about: a cause, an account
                            kind; NULL for none */
  /* topic "credit": the uptime interval, in percent */
  slac_num lo, hi;
  bool lo_in, hi_in;     /* the bound belongs to the interval */
  char *old_text, *new_text;
} slac_diff_item;

typedef struct {
  slac_diff_item *items;
  int n, cap;
  bool oom;
} slac_diff;

/* Compare OLD and NEW into OUT (initialised here).  Returns 0, or -1
 * when out of memory (OUT is then freed). */
int slac_diff_models(const slac_model *old_m, const slac_model *new_m, slac_diff *out);
void slac_diff_free(slac_diff *df);

/* The interval of a credit item in words: "at or above 99.9% and below
 * 99.95%", "below 99%", "exactly 99.5%", "any uptime".  BUF holds 200. */
void slac_diff_interval_words(const slac_diff_item *it, char *buf, size_t size);

/* The report.  OLD_NAME and NEW_NAME are the files as the user typed
 * them.  Text: a heading, one line per difference, and a count; JSON:
 * one object on one line (docs/analysis.md). */
void slac_diff_print_text(const slac_diff *df, const slac_model *old_m, const char *old_name,
                          const slac_model *new_m, const char *new_name, FILE *out);
void slac_diff_print_json(const slac_diff *df, const slac_model *old_m, const char *old_name,
                          const slac_model *new_m, const char *new_name, FILE *out);

#endif
