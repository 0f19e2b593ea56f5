/* diff_account.c - eligibility compared as a truth table, for slac diff.
 *
 * Eligibility depends on the account's plan and standing only: an
 * account is eligible when no `not eligible when` condition holds and
 * every `eligible only when` condition does.  Both policies are asked
 * about every plan that either names in a condition, about a plan that
 * neither names, and about both standings; a plan whose answer changes
 * the same way for both standings is reported once. */
#include <string.h>
#include "compiler/diff_int.h"

static void cond_plans(dw_names *l, const slac_cond *k) {
  if (!k) return;
  if (k->kind == SLAC_COND_PLAN_IN)
    for (const slac_name *x = k->plans; x; x = x->next) dw_names_add(l, x->text);
  cond_plans(l, k->lhs);
  cond_plans(l, k->rhs);
}

/* PLAN NULL: a plan no condition names. */
static bool cond_holds(const slac_cond *k, const char *plan, bool good) {
  switch (k->kind) {
  case SLAC_COND_PLAN_IN:
    if (plan)
      for (const slac_name *x = k->plans; x; x = x->next)
        if (strcmp(x->text, plan) == 0) return true;
    return false;
  case SLAC_COND_STANDING: return k->standing_good == good;
  case SLAC_COND_NOT: return !cond_holds(k->lhs, plan, good);
  case SLAC_COND_AND: return cond_holds(k->lhs, plan, good) && cond_holds(k->rhs, plan, good);
  case SLAC_COND_OR: return cond_holds(k->lhs, plan, good) || cond_holds(k->rhs, plan, good);
  }
  return false;
}

static bool eligible(const slac_model *m, const char *plan, bool good) {
  for (int i = 0; i < m->neligibility; i++) {
    const slac_clause *cl = m->eligibility[i];
    bool holds = cond_holds(cl->cond, plan, good);
    if (cl->kind == SLAC_CL_NOT_ELIGIBLE ? holds : !holds) return false;
  }
  return true;
}

static char *words(bool e, bool *oom) {
  dw_buf b = {0};
  dw_add(&b, "%s", e ? "eligible" : "not eligible");
  char *s = dw_take(&b);
  if (!s) *oom = true;
  return s;
}

/* "plan \"Free\"", "any other plan" or "any plan", then the standing. */
static char *subject(const char *plan, bool named_any, int standing, bool *oom) {
  dw_buf b = {0};
  if (plan) dw_add(&b, "plan \"%s\"", plan);
  else dw_add(&b, "%s", named_any ? "any other plan" : "any plan");
  if (standing >= 0) dw_add(&b, ", %s", standing ? "in good standing" : "overdue");
  char *s = dw_take(&b);
  if (!s) *oom = true;
  return s;
}

static void compare_plan(slac_diff *df, const slac_model *a, const slac_model *b,
                         const char *plan, bool named_any) {
  bool ag = eligible(a, plan, true), bg = eligible(b, plan, true);
  bool ao = eligible(a, plan, false), bo = eligible(b, plan, false);
  if (ag != bg && ao != bo && ag == ao) {
    dd_add(df, NULL, NULL, false, "eligibility", subject(plan, named_any, -1, &df->oom),
           words(ag, &df->oom), words(bg, &df->oom));
    return;
  }
  if (ag != bg)
    dd_add(df, NULL, NULL, false, "eligibility", subject(plan, named_any, 1, &df->oom),
           words(ag, &df->oom), words(bg, &df->oom));
  if (ao != bo)
    dd_add(df, NULL, NULL, false, "eligibility", subject(plan, named_any, 0, &df->oom),
           words(ao, &df->oom), words(bo, &df->oom));
}

void dd_eligibility(slac_diff *df, const slac_model *a, const slac_model *b) {
  dw_names plans = {0};
  for (int i = 0; i < a->neligibility; i++) cond_plans(&plans, a->eligibility[i]->cond);
  for (int i = 0; i < b->neligibility; i++) cond_plans(&plans, b->eligibility[i]->cond);
  dw_names_sort(&plans);
  if (plans.oom) df->oom = true;
  for (int i = 0; i < plans.n && !df->oom; i++) compare_plan(df, a, b, plans.v[i], true);
  if (!df->oom) compare_plan(df, a, b, NULL, plans.n > 0);
  dw_names_free(&plans);
}
