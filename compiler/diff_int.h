/* diff_int.h - what the files of slac diff share (compiler/diff*.c only):
 * a growing string, the list of differences, and the canonical words in
 * which each side's rule is put before the two are compared. */
#ifndef SLAC_DIFF_INT_H
#define SLAC_DIFF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "compiler/check.h"
#include "compiler/diff.h"

/* A growing string; OOM is sticky and every call after it does nothing. */
typedef struct {
  char *s;
  size_t n, cap;
  bool oom;
} dw_buf;

void dw_add(dw_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The string (never NULL unless out of memory), owned by B. */
const char *dw_str(dw_buf *b);
void dw_free(dw_buf *b);
/* Move the string out of B (B is empty afterwards); NULL when out of memory. */
char *dw_take(dw_buf *b);

/* A number as the policy would write it, without trailing zeros: "99.9". */
void dw_num(dw_buf *b, slac_num v);
/* A duration: "10 min", "1 h 30 min". */
void dw_duration(dw_buf *b, int64_t seconds);

/* The canonical words of one side (NULL: that side has none).  Each
 * returns a malloc'ed string, or NULL after setting *OOM. */
char *dw_measure(const slac_model_service *s, bool *oom);
char *dw_cause(const slac_cause_rule *r, bool *oom);     /* R NULL: unknown cause */
char *dw_minimum(const slac_model *m, bool *oom);
char *dw_maximum(const slac_model *m, bool *oom);
char *dw_period_cap(const slac_model *m, bool *oom);
char *dw_claim(const slac_model *m, bool *oom);
char *dw_currencies(const slac_model *m, bool *oom);
char *dw_charges(const slac_model *m, bool *oom);
const char *dw_base_words(slac_base base);

/* Sorted, distinct strings (pointers into a model; not owned). */
typedef struct {
  const char **v;
  int n, cap;
  bool oom;
} dw_names;
void dw_names_add(dw_names *l, const char *name);
void dw_names_sort(dw_names *l); /* and drop duplicates */
bool dw_names_has(const dw_names *l, const char *name);
void dw_names_free(dw_names *l);

/* Add a difference to DF, taking OLD_TEXT, NEW_TEXT and SUBJECT (each may
 * be NULL); copies SERVICE and PLAN.  Returns the item, or NULL after
 * setting DF->oom. */
slac_diff_item *dd_add(slac_diff *df, const char *service, const char *plan, bool other_plans,
                       const char *topic, char *subject, char *old_text, char *new_text);
/* Add an item when the words differ (NULL is "none"); takes both. */
void dd_compare(slac_diff *df, const char *service, const char *topic, char *subject,
                char *old_text, char *new_text);

/* The terms of one service for every plan (diff_terms.c): commitments
 * and credit schedules of OLD_S and NEW_S, of the same id. */
void dd_terms(slac_diff *df, const slac_model_service *old_s, const slac_model_service *new_s);
/* Eligibility for every plan named and both standings (diff_account.c). */
void dd_eligibility(slac_diff *df, const slac_model *old_m, const slac_model *new_m);

#endif
