/* diff_terms.c - the commitment and the credit schedule of a service,
 * compared plan by plan, for slac diff.
 *
 * A schedule is a step function of the uptime: the credit of the first
 * tier whose bounds hold (the code generator tests the tiers in the
 * model's order), 0 when none does.  Every bound of either side cuts the
 * range [0%, 100%] into points and open intervals on which both
 * functions are constant; the pieces where they differ are merged into
 * maximal intervals, each reported with its exact bounds.  Terms chosen
 * by plan are compared for every plan that either side names and for the
 * plans that neither names (the default terms). */
#include <stdlib.h>
#include <string.h>
#include "compiler/diff_int.h"

static int num_cmp(slac_num a, slac_num b) {
  int r = 0;
  slac_num_cmp(a, b, &r); /* exact constants: always decided */
  return r;
}

/* A piece of [0, 100]: a point (lo == hi, both in) or an open interval. */
typedef struct {
  slac_num lo, hi;
  bool point;
} piece;

static bool tier_holds(const slac_model_tier *t, const piece *p) {
  if (t->lower_kind >= 0) {
    int c = num_cmp(p->lo, t->lower);
    if (p->point ? (t->lower_kind == SLAC_BOUND_ABOVE ? c <= 0 : c < 0) : c < 0) return false;
  }
  if (t->upper_kind >= 0) {
    int c = num_cmp(p->hi, t->upper);
    if (p->point ? (t->upper_kind == SLAC_BOUND_BELOW ? c >= 0 : c > 0) : c > 0) return false;
  }
  return true;
}

/* The credit of terms T (NULL: none apply) on piece P. */
static slac_num credit_on(const slac_model_terms *t, const piece *p) {
  if (t)
    for (int k = 0; k < t->ntiers; k++)
      if (tier_holds(&t->tiers[k], p)) return t->tiers[k].credit;
  return slac_num_int(0);
}

static int cmp_num_ptr(const void *a, const void *b) {
  return num_cmp(*(const slac_num *)a, *(const slac_num *)b);
}

static void add_bounds(slac_num *v, int *n, const slac_model_terms *t) {
  if (!t) return;
  for (int k = 0; k < t->ntiers; k++) {
    if (t->tiers[k].lower_kind >= 0) v[(*n)++] = t->tiers[k].lower;
    if (t->tiers[k].upper_kind >= 0) v[(*n)++] = t->tiers[k].upper;
  }
}

static char *percent_text(slac_num v, bool *oom) {
  dw_buf b = {0};
  dw_num(&b, v);
  dw_add(&b, "%%");
  char *s = dw_take(&b);
  if (!s) *oom = true;
  return s;
}

static void compare_schedules(slac_diff *df, const char *service, const char *plan, bool other,
                              const slac_model_terms *a, const slac_model_terms *b) {
  int max = 2 + 2 * ((a ? a->ntiers : 0) + (b ? b->ntiers : 0));
  slac_num *cuts = malloc((size_t)max * sizeof *cuts);
  if (!cuts) { df->oom = true; return; }
  int n = 0;
  cuts[n++] = slac_num_int(0);
  cuts[n++] = slac_num_int(100);
  add_bounds(cuts, &n, a);
  add_bounds(cuts, &n, b);
  qsort(cuts, (size_t)n, sizeof *cuts, cmp_num_ptr);
  /* distinct cuts within [0, 100] */
  int k = 0;
  for (int i = 0; i < n; i++) {
    if (num_cmp(cuts[i], slac_num_int(0)) < 0 || num_cmp(cuts[i], slac_num_int(100)) > 0) continue;
    if (k == 0 || num_cmp(cuts[i], cuts[k - 1]) != 0) cuts[k++] = cuts[i];
  }
  n = k;
  /* walk the pieces: point 0, (0, c1), point c1, ..., point 100 */
  slac_diff_item *run = NULL;
  slac_num run_old = slac_num_int(0), run_new = slac_num_int(0);
  for (int i = 0; i < 2 * n - 1 && !df->oom; i++) {
    piece p;
    p.point = i % 2 == 0;
    p.lo = cuts[i / 2];
    p.hi = p.point ? p.lo : cuts[i / 2 + 1];
    slac_num co = credit_on(a, &p), cn = credit_on(b, &p);
    if (num_cmp(co, cn) == 0) {
      run = NULL;
      continue;
    }
    if (run && num_cmp(co, run_old) == 0 && num_cmp(cn, run_new) == 0) {
      run->hi = p.hi;
      run->hi_in = p.point;
      continue;
    }
    char *ot = percent_text(co, &df->oom), *nt = percent_text(cn, &df->oom);
    run = dd_add(df, service, plan, other, "credit", NULL, ot, nt);
    if (!run) break;
    run->lo = p.lo;
    run->hi = p.hi;
    run->lo_in = run->hi_in = p.point;
    run_old = co;
    run_new = cn;
  }
  free(cuts);
}

static void compare_terms(slac_diff *df, const char *service, const char *plan, bool other,
                          const slac_model_terms *a, const slac_model_terms *b) {
  if (df->oom) return;
  char *ca = a ? percent_text(a->commit, &df->oom) : NULL;
  char *cb = b ? percent_text(b->commit, &df->oom) : NULL;
  if ((ca == NULL) != (cb == NULL) || (ca && strcmp(ca, cb) != 0)) {
    dd_add(df, service, plan, other, "commitment", NULL, ca, cb);
  } else {
    free(ca);
    free(cb);
  }
  compare_schedules(df, service, plan, other, a, b);
}

static bool single_terms(const slac_model_service *s) {
  return s->nterms == 1 && !s->terms[0].clause;
}

/* The terms that apply to PLAN (NULL: a plan no terms name): the first
 * terms naming it, else the default terms, else none. */
static const slac_model_terms *terms_for(const slac_model_service *s, const char *plan) {
  if (single_terms(s)) return &s->terms[0];
  const slac_model_terms *dflt = NULL;
  for (int k = 0; k < s->nterms; k++) {
    const slac_model_terms *t = &s->terms[k];
    if (plan)
      for (const slac_name *x = t->clause->names; x; x = x->next)
        if (strcmp(x->text, plan) == 0) return t;
    if (t->is_default && !dflt) dflt = t;
  }
  return dflt;
}

static void add_plans(dw_names *l, const slac_model_service *s) {
  if (single_terms(s)) return;
  for (int k = 0; k < s->nterms; k++)
    for (const slac_name *x = s->terms[k].clause->names; x; x = x->next) dw_names_add(l, x->text);
}

void dd_terms(slac_diff *df, const slac_model_service *a, const slac_model_service *b) {
  if (single_terms(a) && single_terms(b)) {
    compare_terms(df, a->id, NULL, false, &a->terms[0], &b->terms[0]);
    return;
  }
  dw_names plans = {0};
  add_plans(&plans, a);
  add_plans(&plans, b);
  dw_names_sort(&plans);
  if (plans.oom) df->oom = true;
  for (int i = 0; i < plans.n; i++)
    compare_terms(df, a->id, plans.v[i], false, terms_for(a, plans.v[i]), terms_for(b, plans.v[i]));
  compare_terms(df, a->id, "other plans", true, terms_for(a, NULL), terms_for(b, NULL));
  dw_names_free(&plans);
}
